// One line saying how registries are reached: which proxy (address only, never its credentials), NO_PROXY, and which CA
// bundle verifies TLS. For the editor's status bar tooltip and output channel, and the CLI's logs. Pure.
import { describeProxyAddress } from './network-options';
import type { ProxyRules } from './proxy-rules';

export function describeNetwork(rules: ProxyRules | undefined, env: Record<string, string | undefined> = process.env, clientTlsSource?: string): string {
  const parts: string[] = [];
  const https = rules?.httpsProxy ? describeProxyAddress(/^[a-z][a-z0-9+.-]*:\/\//i.test(rules.httpsProxy) ? rules.httpsProxy : `http://${rules.httpsProxy}`) : undefined;
  const http = rules?.httpProxy ? describeProxyAddress(/^[a-z][a-z0-9+.-]*:\/\//i.test(rules.httpProxy) ? rules.httpProxy : `http://${rules.httpProxy}`) : undefined;
  if (!https && !http) parts.push('Proxy: none (direct)');
  else if (https === http) parts.push(`Proxy: ${https} from ${rules!.origin}`);
  else parts.push(`Proxy: ${[https && `${https} for https`, http && `${http} for http`].filter(Boolean).join(', ')} from ${rules!.origin}`);
  if ((https || http) && rules?.noProxy) parts.push(`NO_PROXY: ${rules.noProxy}`);
  if ((https || http) && rules?.proxyStrictSsl === false) parts.push("the proxy's own certificate is not verified (http.proxyStrictSSL: false)");
  const extra = env.NODE_EXTRA_CA_CERTS;
  const ca = clientTlsSource ?? `Node's bundled roots${extra ? ` + NODE_EXTRA_CA_CERTS (${extra})` : ''}`;
  parts.push(`CA bundle: ${ca}; an OCIRepository's certSecretRef adds its own CA and client certificate`);
  return `${parts.join('; ')}.`;
}
