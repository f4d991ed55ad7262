// Loads the cloud SDKs on first use only, so activation and CLI start-up never pay for them.
// scripts/build.mjs bundles each into its own file under dist/cloud/ and points these imports there; nothing else imports them.
import type { ClientNetwork, ProxyEndpoint } from '../network-options';
import { NodeAgents, type ProxyAgentClasses } from '../node-agents';
import { ProxySelector } from '../proxy-rules';

export type AwsEcrSdk = typeof import('@aws-sdk/client-ecr');
export type GoogleAuthSdk = typeof import('google-auth-library');

/** A CommonJS bundle imported from CommonJS arrives as `{ default: module.exports }`; from sources, with named exports. */
function namedExports<T extends object>(loaded: T & { default?: T }, probe: keyof T): T {
  return loaded[probe] === undefined && loaded.default ? loaded.default : loaded;
}

export async function loadAwsEcrSdk(): Promise<AwsEcrSdk> {
  return namedExports(await import('@aws-sdk/client-ecr'), 'ECRClient');
}

export async function loadGoogleAuthSdk(): Promise<GoogleAuthSdk> {
  return namedExports(await import('google-auth-library'), 'GoogleAuth');
}

/** The tunnelling agents for the SDKs' Node HTTP stacks; the build puts them in the AWS bundle (scripts/cloud-sdk-bundles.mjs). */
export async function loadProxyAgents(): Promise<ProxyAgentClasses> {
  const [https, http] = await Promise.all([import('https-proxy-agent'), import('http-proxy-agent')]);
  return { HttpsProxyAgent: namedExports(https, 'HttpsProxyAgent').HttpsProxyAgent, HttpProxyAgent: namedExports(http, 'HttpProxyAgent').HttpProxyAgent };
}

/**
 * Node agents for `network` (and a source's own proxy), or undefined (no agent package loaded) when neither names a proxy
 * nor TLS material: then the SDK's default, direct, is what the registry transport would do too.
 */
export async function nodeAgentsFor(network: ClientNetwork, sourceProxy?: ProxyEndpoint): Promise<NodeAgents | undefined> {
  const proxied = sourceProxy !== undefined || (network.proxyRules ? new ProxySelector(network.proxyRules).active : false);
  if (!proxied && !network.tls) return undefined;
  return new NodeAgents(network, await loadProxyAgents());
}
