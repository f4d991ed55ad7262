// Node http(s).Agents for libraries that take no undici dispatcher (the AWS SDK's HTTP handler, gaxios): the same proxy
// choice (ProxySelector: NO_PROXY, loopback direct) and TLS material as the DispatcherPool. No proxy credential is ever logged.
import type { Agent as HttpAgentType, ClientRequest } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { ConnectionOptions } from 'node:tls';
import type { HttpProxyAgent } from 'http-proxy-agent';
import type { HttpsProxyAgent } from 'https-proxy-agent';
import { describeProxyAddress, networkFingerprint, proxyUrlWithCredentials, type ClientNetwork, type ProxyEndpoint } from './network-options';
import { ProxySelector } from './proxy-rules';
import { rememberCredential } from '../../shared/redaction';
import { tlsConnectOptions } from './tls-material';

/** The tunnelling agents' classes, loaded with the cloud SDKs (they ship in the AWS bundle, never in the main ones). */
export interface ProxyAgentClasses {
  HttpsProxyAgent: typeof HttpsProxyAgent;
  HttpProxyAgent: typeof HttpProxyAgent;
}

/** What was chosen for one URL: the agent (undefined: the library's own default, direct) and the proxy for messages. */
export interface AgentChoice {
  agent?: HttpAgentType;
  /** `http://proxy:3128` (never its credentials) when the request goes through a proxy. */
  proxy?: string;
}

/**
 * Agents for one client network, one per (proxy, scheme) and kept for the object's life: `destroy()` closes them all.
 * The TLS material (a private CA, a client certificate) applies to the target host, through a tunnel or not.
 */
export class NodeAgents {
  private readonly selector?: ProxySelector;
  private readonly agents = new Map<string, HttpAgentType>();

  constructor(
    private readonly network: ClientNetwork | undefined,
    private readonly classes: ProxyAgentClasses,
  ) {
    this.selector = network?.proxyRules ? new ProxySelector(network.proxyRules) : undefined;
  }

  /**
   * The agent for requests to `url`, or none when the library's default (direct, public roots) already is right.
   * `sourceProxy` (an OCIRepository's proxySecretRef) applies to every request, as the DispatcherPool does.
   */
  choose(url: URL, sourceProxy?: ProxyEndpoint): AgentChoice {
    const secure = url.protocol === 'https:';
    const proxy = sourceProxy ?? this.selector?.proxyFor(url);
    const tls = tlsConnectOptions(this.network?.tls);
    if (proxy) {
      const key = `${secure ? 'https' : 'http'}|${networkFingerprint({ proxy })}`;
      let agent = this.agents.get(key);
      if (!agent) {
        rememberCredential({ username: proxy.username, password: proxy.password });
        // As in the DispatcherPool: a source's own proxy always has its certificate verified; http.proxyStrictSSL covers the rest.
        const strict = sourceProxy !== undefined || (this.network?.proxyRules?.proxyStrictSsl ?? true);
        const proxyTls = strict ? {} : { rejectUnauthorized: false };
        agent = secure ? this.tunnel(proxyUrlWithCredentials(proxy), proxyTls, tls) : new this.classes.HttpProxyAgent(proxyUrlWithCredentials(proxy), proxyTls);
        this.agents.set(key, agent);
      }
      return { agent, proxy: describeProxyAddress(proxy.address) };
    }
    if (!secure || !this.network?.tls) return {};
    let agent = this.agents.get('https|direct');
    if (!agent) {
      agent = new HttpsAgent(tls);
      this.agents.set('https|direct', agent);
    }
    return { agent };
  }

  /**
   * An https-proxy-agent whose TLS to the target (after CONNECT) uses `tls`: its constructor options (`proxyTls`) reach only
   * the proxy connection and it resets the agent-wide options, so the target's CA and client certificate are added where it connects.
   */
  private tunnel(proxy: URL, proxyTls: ConnectionOptions, tls: ConnectionOptions): HttpAgentType {
    type ConnectOpts = Parameters<HttpsProxyAgent<string>['connect']>[1];
    class TunnelWithTls extends this.classes.HttpsProxyAgent<string> {
      override connect(req: ClientRequest, opts: ConnectOpts): ReturnType<HttpsProxyAgent<string>['connect']> {
        return super.connect(req, { ...opts, ...tls } as ConnectOpts);
      }
    }
    return new TunnelWithTls(proxy, proxyTls);
  }

  destroy(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}
