// A corporate network in miniature: the real registry behind an https front (certificate from a private test CA, client
// certificate required) reachable under a name only an authenticated CONNECT proxy resolves; also the Secrets naming them.
import { startConnectProxy, type ConnectProxy } from './connect-proxy';
import { startRegistry, type Registry } from './registry';
import { makeTestCa, type IssuedCertificate, type TestCa } from './test-pki';
import { startTlsFront, type TlsFront } from './tls-front';

/** The registry's name on the private network: `.test` never resolves outside it (RFC 2606). */
export const PRIVATE_REGISTRY_NAME = 'registry.corp.test';

/** The `corp-proxy` Secret (namespace `apps`) a proxySecretRef names: the proxy's address and its credentials, as YAML text. */
export function proxySecretManifest(net: { proxy: { url: string }; proxyAuth: { username: string; password: string } }): string {
  return `apiVersion: v1
kind: Secret
metadata:
  name: corp-proxy
  namespace: apps
type: Opaque
stringData:
  address: ${net.proxy.url}
  username: ${net.proxyAuth.username}
  password: ${net.proxyAuth.password}
`;
}

/** The `registry-tls` kubernetes.io/tls Secret a certSecretRef names: the network's CA and client certificate, base64 in `data`. */
export function registryTlsSecretManifest(net: { ca: { cert: string }; client: { cert: string; key: string } }, namespace: string): string {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  return `apiVersion: v1
kind: Secret
metadata:
  name: registry-tls
  namespace: ${namespace}
type: kubernetes.io/tls
data:
  ca.crt: ${b64(net.ca.cert)}
  tls.crt: ${b64(net.client.cert)}
  tls.key: ${b64(net.client.key)}
`;
}

export interface PrivateNetwork {
  registry: Registry;
  ca: TestCa;
  client: IssuedCertificate;
  front: TlsFront;
  proxy: ConnectProxy;
  proxyAuth: { username: string; password: string };
  /** `registry.corp.test:PORT`: the registry's host as the proxy sees it. */
  host: string;
  /** `http://user:pass@127.0.0.1:PORT`: the proxy with its credentials (what HTTPS_PROXY would hold). */
  proxyUrlWithCredentials: string;
  stop(): Promise<void>;
}

/** `registry`: put the front before this (already running) registry instead of starting one; stop() then leaves it running. */
export async function startPrivateNetwork(options: { registry?: Registry } = {}): Promise<PrivateNetwork> {
  const ownRegistry = !options.registry;
  const registry = options.registry ?? (await startRegistry());
  const ca = makeTestCa();
  const proxyAuth = { username: 'corp-user', password: 'proxy-pass-9f3k' };
  try {
    const server = ca.issueServer([PRIVATE_REGISTRY_NAME]);
    const client = ca.issueClient('flux-oci-test-client');
    const front = await startTlsFront({ upstream: registry.url, certificate: server, requireClientCa: ca.cert });
    const proxy = await startConnectProxy({ auth: proxyAuth, hosts: { [PRIVATE_REGISTRY_NAME]: '127.0.0.1' } });
    const proxyUrl = new URL(proxy.url);
    proxyUrl.username = proxyAuth.username;
    proxyUrl.password = proxyAuth.password;
    return {
      registry,
      ca,
      client,
      front,
      proxy,
      proxyAuth,
      host: `${PRIVATE_REGISTRY_NAME}:${front.port}`,
      proxyUrlWithCredentials: proxyUrl.toString().replace(/\/$/, ''),
      stop: async () => {
        await proxy.close();
        await front.close();
        if (ownRegistry) await registry.stop();
        ca.remove();
      },
    };
  } catch (error) {
    if (ownRegistry) await registry.stop();
    ca.remove();
    throw error;
  }
}
