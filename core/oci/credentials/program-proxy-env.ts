// The proxy environment handed to the sign-in programs (`az`, docker credential helpers): the same proxy the registry
// requests use, as HTTPS_PROXY / HTTP_PROXY / NO_PROXY (both cases). Pure: builds an environment, never logs it.
import { proxyUrlWithCredentials, type ClientNetwork, type ProxyEndpoint } from '../network-options';

const NAMES = { https: ['HTTPS_PROXY', 'https_proxy'], http: ['HTTP_PROXY', 'http_proxy'], no: ['NO_PROXY', 'no_proxy'] } as const;

function set(env: NodeJS.ProcessEnv, names: readonly string[], value: string | undefined): void {
  for (const name of names) {
    if (value) env[name] = value;
    else delete env[name];
  }
}

/**
 * `env` with the proxy variables of `network` (the editor's http.proxy / http.noProxy, --proxy), or of a source's own
 * proxy (proxySecretRef: every request, so no NO_PROXY). Without proxy rules or a source proxy, `env` as it is.
 */
export function programProxyEnvironment(env: NodeJS.ProcessEnv, network: ClientNetwork, sourceProxy?: ProxyEndpoint): NodeJS.ProcessEnv {
  const rules = network.proxyRules;
  if (!sourceProxy && !rules) return env;
  const out: NodeJS.ProcessEnv = { ...env };
  if (sourceProxy) {
    const url = proxyUrlWithCredentials(sourceProxy).toString().replace(/\/$/, '');
    set(out, NAMES.https, url);
    set(out, NAMES.http, url);
    set(out, NAMES.no, undefined);
    return out;
  }
  set(out, NAMES.https, rules?.httpsProxy);
  set(out, NAMES.http, rules?.httpProxy);
  set(out, NAMES.no, rules?.noProxy);
  return out;
}
