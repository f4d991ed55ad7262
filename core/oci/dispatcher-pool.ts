// Picks the undici dispatcher for a request: direct (Agent) or through a forward proxy (ProxyAgent, CONNECT tunnel),
// with the TLS material that applies (client-wide over per-source), and keeps one pooled dispatcher per combination.
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import { describeProxyAddress, networkFingerprint, type ClientNetwork, type ProxyEndpoint, type SourceNetwork, type TlsMaterial } from './network-options';
import { ProxySelector, type ProxyRules } from './proxy-rules';
import { rememberCredential } from '../../shared/redaction';
import { mergeTlsMaterial, tlsConnectOptions } from './tls-material';

/** The client's network (proxy rules: default none, direct; TLS material: a source's certSecretRef wins part by part). */
export interface DispatcherPoolOptions extends ClientNetwork {
  /** Connect timeout (TCP + TLS, and the proxy's CONNECT) in ms. */
  connectTimeoutMs: number;
}

/** What was chosen for one request, for messages: the proxy (never its credentials) and the TLS material's source. */
export interface DispatcherChoice {
  dispatcher: Dispatcher;
  /** `http://proxy:3128` when the request goes through a proxy. */
  proxy?: string;
  proxySource?: string;
  tlsSource?: string;
}

const basicToken = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;

export class DispatcherPool {
  private readonly pool = new Map<string, Dispatcher>();
  private readonly selector?: ProxySelector;

  constructor(private readonly options: DispatcherPoolOptions) {
    this.selector = options.proxyRules ? new ProxySelector(options.proxyRules) : undefined;
  }

  /** The proxy rules in force for sources without their own (for status text), or undefined when requests go direct. */
  get proxyRules(): ProxyRules | undefined {
    return this.selector?.active ? this.selector.rules : undefined;
  }

  choose(url: URL, network?: SourceNetwork): DispatcherChoice {
    // A source's own proxy (proxySecretRef, --proxy) applies to every request of that source, as in Flux.
    const proxy = network?.proxy ?? this.selector?.proxyFor(url);
    const tls = mergeTlsMaterial(this.options.tls, network?.tls);
    const key = `${proxy ? networkFingerprint({ proxy }) : 'direct'}|${tls ? networkFingerprint({ tls }) : 'default'}|${proxy?.address ?? ''}`;
    let dispatcher = this.pool.get(key);
    if (!dispatcher) {
      dispatcher = proxy ? this.proxied(proxy, tls, network?.proxy !== undefined) : this.direct(tls);
      this.pool.set(key, dispatcher);
    }
    return {
      dispatcher,
      ...(proxy ? { proxy: describeProxyAddress(proxy.address), proxySource: proxy.source } : {}),
      ...(tls ? { tlsSource: tls.source } : {}),
    };
  }

  private direct(tls: TlsMaterial | undefined): Dispatcher {
    return new Agent({ connect: { timeout: this.options.connectTimeoutMs, ...tlsConnectOptions(tls) }, keepAliveTimeout: 10_000, connections: 32 });
  }

  /** `fromSource`: a source's own proxy always has its certificate verified; http.proxyStrictSSL covers the editor's. */
  private proxied(proxy: ProxyEndpoint, tls: TlsMaterial | undefined, fromSource: boolean): Dispatcher {
    const strict = fromSource || (this.options.proxyRules?.proxyStrictSsl ?? true);
    rememberCredential({ username: proxy.username, password: proxy.password });
    return new ProxyAgent({
      uri: proxy.address,
      ...(proxy.username !== undefined ? { token: basicToken(proxy.username, proxy.password ?? '') } : {}),
      requestTls: { timeout: this.options.connectTimeoutMs, ...tlsConnectOptions(tls) },
      proxyTls: { timeout: this.options.connectTimeoutMs, ...(strict ? {} : { rejectUnauthorized: false }) },
      keepAliveTimeout: 10_000,
      connections: 32,
    });
  }

  async close(): Promise<void> {
    const all = [...this.pool.values()];
    this.pool.clear();
    await Promise.all(all.map((d) => d.close().catch(() => undefined)));
  }
}
