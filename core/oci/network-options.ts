// The network shape of a request: which proxy and which TLS material (CA bundle, client certificate) reach a registry.
// Types and fingerprints only; the values come from the environment, the editor, CLI flags or a source's Secrets.
import { createHash } from 'node:crypto';
import type { ProxyRules } from './proxy-rules';

/** One forward proxy, as an OCIRepository's `proxySecretRef` Secret names it (`address`, `username`, `password`). */
export interface ProxyEndpoint {
  /** `http://host:port` or `https://host:port` (no userinfo: credentials go in username/password). */
  address: string;
  username?: string;
  password?: string;
  /** Where it came from, for messages: "environment (HTTPS_PROXY)", "Secret flux-system/proxy", "--proxy". */
  source: string;
}

/** PEM text of a CA bundle and/or a client certificate and key (mTLS), as `certSecretRef` or `--ca-file` give them. */
export interface TlsMaterial {
  ca?: string;
  cert?: string;
  key?: string;
  /** Where it came from, for messages: "Secret flux-system/registry-tls", "--ca-file ca.pem". */
  source: string;
}

/** What one source (or one command) asks for beyond the client's defaults. */
export interface SourceNetwork {
  proxy?: ProxyEndpoint;
  tls?: TlsMaterial;
}

/**
 * How this client reaches the network when a source says nothing else: the proxy rules (environment, editor or --proxy)
 * and the client-wide TLS material (--ca-file, mTLS). One value, given to the registry transport and to cloud sign-in alike.
 */
export interface ClientNetwork {
  /** Proxy rules for requests whose source names no proxy of its own. Absent: direct. */
  proxyRules?: ProxyRules;
  /** TLS material for every request (a CA bundle, a client certificate and key). */
  tls?: TlsMaterial;
}

/** Non-reversible identity of a network setting, for pooling and cache keys. */
export function networkFingerprint(network: SourceNetwork | undefined): string {
  if (!network || (!network.proxy && !network.tls)) return 'default';
  const { proxy, tls } = network;
  const material = [proxy?.address, proxy?.username, proxy?.password, tls?.ca, tls?.cert, tls?.key].map((v) => v ?? '').join('\0');
  return createHash('sha256').update(material).digest('hex').slice(0, 16);
}

/** The proxy as a URL with its credentials percent-encoded in the userinfo: what proxy agents and HTTPS_PROXY take. Never for messages. */
export function proxyUrlWithCredentials(proxy: ProxyEndpoint): URL {
  const url = new URL(proxy.address);
  if (proxy.username !== undefined) url.username = encodeURIComponent(proxy.username);
  if (proxy.password !== undefined) url.password = encodeURIComponent(proxy.password);
  return url;
}

/** `host:port` of a proxy address, never its userinfo: what messages and the status bar may show. */
export function describeProxyAddress(address: string): string {
  try {
    const url = new URL(address);
    return `${url.protocol}//${url.host}`;
  } catch {
    return '(an invalid proxy address)';
  }
}
