// What the client's status bar is told (fluxOci/registryActivity) through the real server over stdio: a live check that
// finds a registry unusable warns even though the run itself worked; cursor lookups keep the warning; a clean run clears it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LspClient } from '../support/lsp-client';
import { pushHelmChart } from '../support/registry-push';
import { podinfoRepository, startLiveServer, type LiveServer } from './live-server';

interface Activity {
  busy: number;
  label?: string;
  lastError?: string;
}

/** Port 1 on loopback: nothing listens there, so every request is refused at once. */
const DEAD_HOST = '127.0.0.1:1';

function lastActivity(client: LspClient): Activity | undefined {
  return client.allNotifications.filter((n) => n.method === 'fluxOci/registryActivity').at(-1)?.params as Activity | undefined;
}

describe('registry activity for the status bar', () => {
  let server: LiveServer;
  let client: LspClient;
  let brokenUri: string;
  let workingUri: string;

  before(async () => {
    server = await startLiveServer('activity', async (r) => {
      await pushHelmChart(r, 'charts/podinfo', { name: 'podinfo', version: '6.7.1' });
      return {
        'sources/working.yaml': podinfoRepository(r.host, 'working', 'semver: ">=6.0.0"'),
        'sources/broken.yaml': podinfoRepository(DEAD_HOST, 'broken', 'semver: ">=6.0.0"'),
      };
    });
    client = server.client;
    client.configuration = { registry: { timeoutSeconds: 2, insecureHosts: [DEAD_HOST] } };
    brokenUri = server.uris['sources/broken.yaml']!;
    workingUri = server.uris['sources/working.yaml']!;
  });

  after(() => server?.stop());

  it('a live check that finds a registry unreachable leaves the warning on, naming it', async () => {
    await client.request('fluxOci/refresh', {}, 60_000); // resolves once the live checks have published
    const activity = lastActivity(client);
    assert.equal(activity?.busy, 0);
    assert.ok(activity?.lastError?.includes(DEAD_HOST), `the status bar is not told about ${DEAD_HOST}: ${JSON.stringify(activity)}`);
  });

  it('a hover that resolves from the working registry does not clear that warning', async () => {
    const before = client.allNotifications.length;
    const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: workingUri }, position: { line: 9, character: 14 } });
    assert.match(hover?.contents.value ?? '', /6\.7\.1/);
    assert.ok(
      client.allNotifications.slice(before).some((n) => n.method === 'fluxOci/registryActivity' && (n.params as Activity).busy > 0),
      'the hover was tracked as registry activity',
    );
    assert.ok(lastActivity(client)?.lastError?.includes(DEAD_HOST), `the hover cleared the warning: ${JSON.stringify(lastActivity(client))}`);
  });

  it('once every source resolves, the next live check clears the warning', async () => {
    client.openDocument(brokenUri, podinfoRepository(server.registry.host, 'broken', 'semver: ">=6.0.0"'));
    await client.diagnosticsFor(brokenUri);
    await client.request('fluxOci/refresh', {}, 60_000);
    const activity = lastActivity(client);
    assert.equal(activity?.busy, 0);
    assert.equal(activity?.lastError, undefined, `the warning stayed after a clean run: ${JSON.stringify(activity)}`);
  });
});
