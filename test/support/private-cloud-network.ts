// The cloud token endpoints on a corporate network in miniature: the ECR API, an ACR registry (its /oauth2/exchange) and
// Google's STS endpoint behind https fronts (private test CA) under `.test` names only an authenticated CONNECT proxy resolves.
import { startConnectProxy, type ConnectProxy } from './connect-proxy';
import { startFakeEcrApi, startFakeGoogleEndpoints, type FakeEcrApi, type FakeGoogleEndpoints } from './fake-cloud-token-endpoints';
import { startFakeAcr, type FakeAcr } from './fake-vendor-registries';
import { makeTestCa, type TestCa } from './test-pki';
import { startTlsFront, type TlsFront } from './tls-front';

/** Names on the private network (RFC 2606 `.test`: they never resolve outside it). */
export const PRIVATE_CLOUD_NAMES = { ecrApi: 'api.ecr.cloud.test', acr: 'corp.azurecr.cloud.test', sts: 'sts.cloud.test' } as const;

export interface PrivateCloudNetwork {
  ca: TestCa;
  proxy: ConnectProxy;
  proxyAuth: { username: string; password: string };
  /** `http://user:pass@127.0.0.1:PORT`: the proxy with its credentials (what HTTPS_PROXY or --proxy would hold). */
  proxyUrlWithCredentials: string;
  ecrApi: FakeEcrApi;
  /** `https://api.ecr.cloud.test:PORT`, for AWS_ENDPOINT_URL_ECR. */
  ecrApiUrl: string;
  acr: FakeAcr;
  /** `corp.azurecr.cloud.test:PORT`: the ACR registry's host as the proxy sees it (its exchange goes there too). */
  acrHost: string;
  google: FakeGoogleEndpoints;
  /** `https://sts.cloud.test:PORT`: the fake Google endpoints (STS token_url, project lookup) under their private name. */
  googleUrl: string;
  /** Each endpoint's `name:port`, as a CONNECT names it. */
  targets: { ecrApi: string; acr: string; sts: string };
  stop(): Promise<void>;
}

/** `upstream`: the real registry behind the ACR fake; `accessKeyIds`: keys the ECR API accepts; `acceptsEntraToken`: the ACR exchange's check. */
export async function startPrivateCloudNetwork(options: { upstream: string; accessKeyIds: string[]; acceptsEntraToken: (token: string) => boolean }): Promise<PrivateCloudNetwork> {
  const ca = makeTestCa('flux-oci cloud test CA');
  const started: Array<{ stop?: () => Promise<void>; close?: () => Promise<void> }> = [];
  const stopAll = async () => {
    for (const s of started.reverse()) await (s.stop ?? s.close)?.();
    ca.remove();
  };
  try {
    const certificate = ca.issueServer(Object.values(PRIVATE_CLOUD_NAMES));
    const ecrApi = await startFakeEcrApi(options.accessKeyIds);
    started.push(ecrApi);
    const acr = await startFakeAcr(options.upstream, options.acceptsEntraToken);
    started.push(acr);
    const google = await startFakeGoogleEndpoints();
    started.push(google);
    const fronts: TlsFront[] = [];
    for (const upstream of [ecrApi.url, acr.url, google.url]) {
      const front = await startTlsFront({ upstream, certificate });
      fronts.push(front);
      started.push(front);
    }
    const [ecrFront, acrFront, googleFront] = fronts as [TlsFront, TlsFront, TlsFront];
    const proxyAuth = { username: 'cloud-user', password: 'cloud-proxy-pass-4k2m' };
    const proxy = await startConnectProxy({ auth: proxyAuth, hosts: Object.fromEntries(Object.values(PRIVATE_CLOUD_NAMES).map((name) => [name, '127.0.0.1'])) });
    started.push(proxy);
    const proxyUrl = new URL(proxy.url);
    proxyUrl.username = proxyAuth.username;
    proxyUrl.password = proxyAuth.password;
    const targets = {
      ecrApi: `${PRIVATE_CLOUD_NAMES.ecrApi}:${ecrFront.port}`,
      acr: `${PRIVATE_CLOUD_NAMES.acr}:${acrFront.port}`,
      sts: `${PRIVATE_CLOUD_NAMES.sts}:${googleFront.port}`,
    };
    return {
      ca,
      proxy,
      proxyAuth,
      proxyUrlWithCredentials: proxyUrl.toString().replace(/\/$/, ''),
      ecrApi,
      ecrApiUrl: `https://${targets.ecrApi}`,
      acr,
      acrHost: targets.acr,
      google,
      googleUrl: `https://${targets.sts}`,
      targets,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
