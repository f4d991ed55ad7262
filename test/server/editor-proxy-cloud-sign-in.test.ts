// VS Code's http.proxy reaches cloud sign-in in the language server: with no proxy variable in its environment, the ACR
// exchange and the ECR API (names only the authenticated proxy resolves) go through the editor's proxy, the tags resolve,
// and neither the proxy password nor a token reaches a hover, a notification or the server's stderr.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LspClient } from '../support/lsp-client';
import { pushHelmChart } from '../support/registry-push';
import { startFakeEcr } from '../support/fake-vendor-registries';
import type { FakeRegistry } from '../support/fake-registry';
import { writeFakeAzureCli } from '../support/fake-cloud-token-endpoints';
import { startPrivateCloudNetwork, type PrivateCloudNetwork } from '../support/private-cloud-network';
import { NO_PROXY_VARIABLES, withEnv } from '../support/scoped-env';
import { assertNoSecrets } from '../support/secret-assertions';
import { hoverText, PROVIDER_SEMVER_POSITION, providerRepository, startLiveServer, type LiveServer } from './live-server';

const ENTRA_TOKEN = 'entra-token-editor-proxy-8d7c6b';
const DEV_KEY = 'AKIAFAKEEDITORPROXY1';
const DEV_SECRET = 'editor-proxy-secret-2b4d6f8a';

describe('cloud sign-in through VS Code http.proxy', () => {
  let server: LiveServer;
  let client: LspClient;
  let net: PrivateCloudNetwork;
  let ecr: FakeRegistry;
  let dir: string;
  const hovers: string[] = [];

  const hover = async (relative: string) => {
    const text = await hoverText(server, relative, PROVIDER_SEMVER_POSITION, 60_000);
    hovers.push(text);
    return text;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flux-oci-editor-cloud-proxy-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFakeAzureCli(bin, { accessToken: ENTRA_TOKEN, tenant: 'tenant-editor-proxy' });
    const systemPath = process.env.PATH;
    // Inherited at spawn: no proxy variable (only the editor's settings name the proxy); the private CA trusted process-wide,
    // as a corporate machine's CA is; the ECR API under a name only the proxy resolves.
    server = await withEnv(
      {
        PATH: bin,
        HOME: dir,
        DOCKER_CONFIG: join(dir, 'docker'),
        ...NO_PROXY_VARIABLES,
        AWS_ACCESS_KEY_ID: DEV_KEY,
        AWS_SECRET_ACCESS_KEY: DEV_SECRET,
        AWS_PROFILE: undefined,
        AWS_REGION: 'eu-west-1',
        AWS_CONFIG_FILE: join(dir, 'absent'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'absent'),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ENDPOINT_URL: undefined,
        AWS_ENDPOINT_URL_ECR: undefined,
        NODE_EXTRA_CA_CERTS: undefined,
      },
      () =>
        startLiveServer(
          'cloud-proxy',
          async (registry) => {
            await pushHelmChart(registry, 'charts/podinfo', { name: 'podinfo', version: '6.7.1' });
            await pushHelmChart(registry, 'charts/podinfo', { name: 'podinfo', version: '6.8.0' });
            // The test CA is made with openssl, from the PATH the server will not see.
            net = await withEnv({ PATH: systemPath }, () => startPrivateCloudNetwork({ upstream: registry.url, accessKeyIds: [DEV_KEY], acceptsEntraToken: (token) => token === ENTRA_TOKEN }));
            process.env.NODE_EXTRA_CA_CERTS = net.ca.certPath;
            process.env.AWS_ENDPOINT_URL_ECR = net.ecrApiUrl;
            ecr = await startFakeEcr(registry.url, (password) => net.ecrApi.passwords.has(password));
            return { 'sources/on-acr.yaml': providerRepository('on-acr', net.acrHost, 'azure'), 'sources/on-ecr.yaml': providerRepository('on-ecr', ecr.host, 'aws') };
          },
          (lsp) => {
            lsp.configuration = { registry: { timeoutSeconds: 10 } };
            lsp.httpConfiguration = { proxy: net.proxyUrlWithCredentials, proxyStrictSSL: true };
          },
        ),
    );
    client = server.client;
  });

  after(async () => {
    await server?.stop();
    await ecr?.stop();
    await net?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('spec.provider: azure: the ACR exchange and the registry go through http.proxy, and the tag resolves', async () => {
    const text = await hover('sources/on-acr.yaml');
    assert.match(text, /Flux pulls tag `6\.8\.0`/);
    assert.deepEqual(
      net.acr.events.filter((e) => e.kind === 'route').map((e) => [e.path, e.status]),
      [['/oauth2/exchange', 200]],
    );
    assert.ok(net.proxy.tunnels.includes(net.targets.acr), net.proxy.tunnels.join(', '));
  });

  it('spec.provider: aws: GetAuthorizationToken goes through http.proxy, and the tag resolves', async () => {
    const text = await hover('sources/on-ecr.yaml');
    assert.match(text, /Flux pulls tag `6\.8\.0`/);
    assert.deepEqual(
      net.ecrApi.calls.map((c) => [c.accessKeyId, c.status]),
      [[DEV_KEY, 200]],
    );
    assert.ok(net.proxy.tunnels.includes(net.targets.ecrApi), net.proxy.tunnels.join(', '));
  });

  it('no proxy password, key or token in hovers, notifications or the server log', () => {
    assert.equal(net.proxy.refused, 0);
    const everything = [...hovers, JSON.stringify(client.allNotifications), client.stderr].join('\n');
    assertNoSecrets(everything, [net.proxyAuth.password, DEV_SECRET, ENTRA_TOKEN, ...net.acr.refreshTokens, ...net.ecrApi.passwords], 'editor output');
  });
});
