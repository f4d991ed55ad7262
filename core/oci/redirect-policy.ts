// Decides whether a blob redirect may be followed and with which credentials: same origin keeps Authorization, others never get it.
// Refuses https→http downgrades and redirects into private/loopback/link-local addresses unless the registry itself lives there.
import { RegistryError } from './errors';
import { hostnameOf } from './reference';

function isPrivateAddress(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1' || h.startsWith('fe80:') || h.startsWith('fc') || h.startsWith('fd')) return true;
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(h);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
}

export interface RedirectDecision {
  url: URL;
  sameOrigin: boolean;
}

export function checkRedirect(from: URL, location: string | undefined, registry: string): RedirectDecision {
  if (!location) throw new RegistryError('protocol', `${registry} sent a redirect without a Location.`);
  let url: URL;
  try {
    url = new URL(location, from);
  } catch {
    throw new RegistryError('protocol', `${registry} redirected to something that is not a URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RegistryError('protocol', `${registry} redirected to a ${url.protocol} URL; only http(s) is followed.`);
  if (from.protocol === 'https:' && url.protocol === 'http:') throw new RegistryError('insecure-refused', `${registry} redirected a download from HTTPS to plain HTTP (${url.host}); refusing it.`);
  if (isPrivateAddress(url.hostname) && !isPrivateAddress(hostnameOf(registry))) {
    throw new RegistryError('protocol', `${registry} redirected a download to a private address (${url.host}); refusing it.`);
  }
  return { url, sameOrigin: url.origin === from.origin };
}
