// Which proxy a registry URL goes through when its source names none: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (upper or
// lower case, as Go's httpproxy reads them) or VS Code's http.proxy / http.noProxy / http.proxyStrictSSL. Pure; no I/O.
import { RegistryError } from './errors';
import type { ProxyEndpoint } from './network-options';
import { bypassesProxy, parseNoProxy, type NoProxyRules } from './no-proxy';

export interface ProxyRules {
  httpsProxy?: string;
  httpProxy?: string;
  noProxy?: string;
  /** VS Code's http.proxyStrictSSL: false leaves an https proxy's own certificate unverified. Default true. */
  proxyStrictSsl?: boolean;
  /** "environment" or "VS Code settings": where these rules came from (for status text). */
  origin: string;
}

/** VS Code's proxy settings as the client passes them to the server. */
export interface EditorProxySettings {
  proxy?: string;
  noProxy?: string[];
  proxyStrictSsl?: boolean;
}

type Environment = Record<string, string | undefined>;

/** The first non-empty of NAME and name, as Go's getEnvAny reads them. */
function envValue(env: Environment, name: string): string | undefined {
  const value = [env[name.toUpperCase()], env[name.toLowerCase()]].find((v) => v !== undefined && v !== '');
  return value?.trim() || undefined;
}

/** HTTPS_PROXY, HTTP_PROXY and NO_PROXY (or their lower-case forms), as Go's httpproxy.FromEnvironment reads them. */
export function proxyRulesFromEnvironment(env: Environment = process.env): ProxyRules {
  return { httpsProxy: envValue(env, 'https_proxy'), httpProxy: envValue(env, 'http_proxy'), noProxy: envValue(env, 'no_proxy'), origin: 'environment' };
}

/**
 * The editor's settings over the environment: `http.proxy` (when set) replaces HTTPS_PROXY and HTTP_PROXY, and
 * `http.noProxy` entries are added to NO_PROXY; `http.proxyStrictSSL` applies to the proxy's own certificate.
 */
export function proxyRulesFromEditor(editor: EditorProxySettings, env: Environment = process.env): ProxyRules {
  const base = proxyRulesFromEnvironment(env);
  const proxy = editor.proxy?.trim();
  const noProxy = [base.noProxy, ...(editor.noProxy ?? [])].filter((v): v is string => !!v && v.trim() !== '').join(',');
  return {
    httpsProxy: proxy || base.httpsProxy,
    httpProxy: proxy || base.httpProxy,
    noProxy: noProxy || undefined,
    proxyStrictSsl: editor.proxyStrictSsl ?? true,
    origin: proxy ? 'VS Code settings (http.proxy)' : 'environment',
  };
}

/**
 * A proxy address as Go parses it: without a scheme it is `http://`; userinfo becomes username/password. Throws a
 * clear RegistryError (without repeating the address, which may hold a password) for anything else.
 */
export function parseProxyAddress(address: string, source: string): ProxyEndpoint {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `http://${address}`);
  } catch {
    throw new RegistryError('invalid-reference', `The proxy address from ${source} is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RegistryError('invalid-reference', `The proxy from ${source} uses ${url.protocol.replace(/:$/, '')}; only http:// and https:// proxies are supported.`);
  }
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  return { address: `${url.protocol}//${url.host}`, ...(username ? { username } : {}), ...(password ? { password } : {}), source };
}

/** A compiled form of ProxyRules for repeated lookups. */
export class ProxySelector {
  private readonly noProxy: NoProxyRules;
  private readonly https?: ProxyEndpoint;
  private readonly http?: ProxyEndpoint;

  constructor(readonly rules: ProxyRules) {
    this.noProxy = parseNoProxy(rules.noProxy);
    const name = rules.origin === 'environment' ? (which: string) => `the environment (${which})` : () => rules.origin;
    if (rules.httpsProxy) this.https = parseProxyAddress(rules.httpsProxy, name('HTTPS_PROXY'));
    if (rules.httpProxy) this.http = parseProxyAddress(rules.httpProxy, name('HTTP_PROXY'));
  }

  /** The proxy for `url`, or undefined to go direct (no proxy for its scheme, or NO_PROXY / loopback says so). */
  proxyFor(url: URL): ProxyEndpoint | undefined {
    const proxy = url.protocol === 'https:' ? this.https : url.protocol === 'http:' ? this.http : undefined;
    if (!proxy || bypassesProxy(url, this.noProxy)) return undefined;
    return proxy;
  }

  /** Whether any proxy is configured at all. */
  get active(): boolean {
    return this.https !== undefined || this.http !== undefined;
  }
}
