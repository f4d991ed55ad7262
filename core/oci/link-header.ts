// Parses RFC 5988 `Link` headers and resolves the rel="next" target against the request URL, refusing
// targets on another origin (a Link is attacker-controlled: following it off-origin would be SSRF). Pure.
import { RegistryError } from './errors';

/** The raw `<…>` target of the rel="next" link, or undefined. */
export function nextLinkTarget(value: string | string[] | undefined): string | undefined {
  const values = Array.isArray(value) ? value : value ? [value] : [];
  for (const v of values) {
    const re = /<([^>]*)>\s*((?:;\s*[^;,]+)*)/g;
    for (let m = re.exec(v); m; m = re.exec(v)) {
      const params = m[2];
      if (/;\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(params)) return m[1].trim();
    }
  }
  return undefined;
}

/**
 * The URL of the next page named by `linkHeader`, resolved against `current`; undefined when there is none.
 * Throws a `protocol` RegistryError, naming `what` (e.g. "The tag list of host/repo"), when the link is not a
 * URL or leaves `current`'s origin.
 */
export function nextPageUrl(linkHeader: string | string[] | undefined, current: URL, what: string): URL | undefined {
  const next = nextLinkTarget(linkHeader);
  if (!next) return undefined;
  let url: URL;
  try {
    url = new URL(next, current);
  } catch {
    throw new RegistryError('protocol', `${what} has a next-page link that is not a URL.`);
  }
  if (url.origin !== current.origin) {
    throw new RegistryError('protocol', `${what} points its next page at another host (${url.host}); refusing to follow it.`);
  }
  return url;
}
