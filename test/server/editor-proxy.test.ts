// VS Code's proxy settings reach the language server (http.proxy with credentials, over workspace/configuration): live
// checks go through that proxy to a private-CA, mTLS registry (CA and client certificate from the OCIRepository's
// certSecretRef), the output channel and the status bar say which proxy and CA bundle are in use, and no password shows.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LspClient } from '../support/lsp-client';
import { pushHelmChart } from '../support/registry-push';
import { registryTlsSecretManifest, startPrivateNetwork, type PrivateNetwork } from '../support/private-network';
import { HELM_LAYER, startLiveServer, type LiveServer } from './live-server';

describe('VS Code proxy settings in the language server', () => {
  let server: LiveServer;
  let client: LspClient;
  let net: PrivateNetwork;

  before(async () => {
    server = await startLiveServer(
      'editor-proxy',
      async (registry) => {
        await pushHelmChart(registry, 'charts/podinfo', { name: 'podinfo', version: '6.7.1' });
        net = await startPrivateNetwork({ registry });
        return {
          'sources/private.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: private
  namespace: flux-system
spec:
  interval: 5m
  url: oci://${net.host}/charts/podinfo
  ref:
    semver: ">=6.0.0"
  layerSelector:
    mediaType: ${HELM_LAYER}
    operation: copy
  certSecretRef:
    name: registry-tls
---
${registryTlsSecretManifest(net, 'flux-system')}`,
        };
      },
      (lsp) => {
        // As VS Code answers workspace/configuration for `http`: the proxy with its credentials in the URL.
        lsp.configuration = { registry: { timeoutSeconds: 10 } };
        lsp.httpConfiguration = { proxy: net.proxyUrlWithCredentials, noProxy: ['.internal.example'], proxyStrictSSL: true };
      },
    );
    client = server.client;
  });
  after(async () => {
    await server?.stop();
    await net?.stop();
  });

  it('live checks go through http.proxy, and the log and status bar name the proxy without its password', async () => {
    const tunnels = net.proxy.tunnels.length;
    await client.request('fluxOci/refresh', {}, 60_000);
    const dbg = client.allNotifications
      .filter((n) => n.method === 'window/logMessage' || n.method === 'fluxOci/registryActivity')
      .map((n) => JSON.stringify(n.params))
      .join('\n');
    assert.ok(net.proxy.tunnels.length > tunnels, `not through the proxy: ${dbg}`);
    const activity = client.allNotifications.filter((n) => n.method === 'fluxOci/registryActivity').at(-1)?.params as { lastError?: string; network?: string };
    assert.equal(activity.lastError, undefined, `the private registry did not resolve: ${activity.lastError}`);
    const proxyAddress = new URL(net.proxy.url).host;
    assert.match(activity.network ?? '', new RegExp(`Proxy: http://${proxyAddress.replace(/\./g, '\\.')} from VS Code settings \\(http\\.proxy\\)`));
    assert.match(activity.network ?? '', /NO_PROXY: \.internal\.example/);
    assert.match(activity.network ?? '', /CA bundle: /);
    const logs = client.allNotifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as { message: string }).message);
    assert.ok(
      logs.some((l) => l.startsWith('Registry network: Proxy: http://')),
      logs.join('\n'),
    );
    assert.ok(!logs.some((l) => l.startsWith('Registry network: Proxy: none')), 'the editor settings applied from the first request on');
    const everything = JSON.stringify(client.allNotifications) + client.stderr;
    assert.ok(!everything.includes(net.proxyAuth.password), 'the proxy password appeared in a notification or log');
  });
});
