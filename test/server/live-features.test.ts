// Live (registry-backed) editor features through the real server over stdio against a real registry: hover, completion,
// inlay hints, live diagnostics and their quick fix, navigation, the disk cache when the registry is gone, and trust.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { applyTextEdits, fileUri, LspClient, type PublishedDiagnostics } from '../support/lsp-client';
import type { Registry } from '../support/registry';
import { pushHelmChart, type PushedArtifact } from '../support/registry-push';
import { podinfoRepository, PODINFO_RELEASE, startLiveServer, type LiveServer } from './live-server';

const repository = podinfoRepository;

interface Hover {
  contents: { value: string };
}

describe('live features over stdio', () => {
  let server: LiveServer;
  let registry: Registry;
  let workspace: string;
  let storage: string;
  let client: LspClient;
  let newest: PushedArtifact;
  let repoUri: string;
  let releaseUri: string;

  before(async () => {
    server = await startLiveServer('live', async (r) => {
      await pushHelmChart(r, 'charts/podinfo', { name: 'podinfo', version: '6.7.1' });
      newest = await pushHelmChart(r, 'charts/podinfo', { name: 'podinfo', version: '6.8.0' });
      return { 'sources/podinfo.yaml': podinfoRepository(r.host, 'podinfo', 'semver: ">=6.0.0"'), 'sources/release.yaml': PODINFO_RELEASE };
    });
    ({ registry, workspace, storage, client } = server);
    repoUri = server.uris['sources/podinfo.yaml']!;
    releaseUri = server.uris['sources/release.yaml']!;
  });

  after(() => server?.stop());

  it('hovers a semver ref with the resolved tag and digest, below the field docs', async () => {
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: repoUri }, position: { line: 9, character: 14 } });
    assert.ok(hover);
    assert.match(hover.contents.value, /Flux pulls tag `6\.8\.0`/);
    assert.ok(hover.contents.value.includes(newest.digest), hover.contents.value);
    assert.match(hover.contents.value, /semver/i);
    assert.ok(client.allNotifications.some((n) => n.method === 'fluxOci/registryActivity' && (n.params as { busy: number }).busy > 0));
  });

  it('shows the resolved tag as an inlay hint after the ref', async () => {
    const hints = await client.request<Array<{ label: string; position: { line: number } }>>('textDocument/inlayHint', {
      textDocument: { uri: repoUri },
      range: { start: { line: 0, character: 0 }, end: { line: 14, character: 0 } },
    });
    assert.equal(hints.length, 1);
    assert.equal(hints[0]!.position.line, 9);
    assert.match(hints[0]!.label, /6\.8\.0 @sha256:[0-9a-f]{12}/);
  });

  it('completes ref.tag with the pushed tags, newest first', async () => {
    const uri = fileUri(join(workspace, 'sources', 'typing.yaml'));
    client.openDocument(uri, repository(registry.host, 'typing', 'tag: '));
    await client.diagnosticsFor(uri);
    const items = await client.request<Array<{ label: string; sortText?: string; detail?: string }>>('textDocument/completion', { textDocument: { uri }, position: { line: 9, character: 9 } });
    const tags = items.filter((i) => i.sortText?.startsWith('1-')).sort((a, b) => a.sortText!.localeCompare(b.sortText!));
    assert.deepEqual(
      tags.map((t) => t.label),
      ['6.8.0', '6.7.1'],
    );
    assert.equal(tags[0]!.detail, 'newest');
  });

  it('publishes a live diagnostic with a quick fix, and drops it once fixed', async () => {
    const uri = fileUri(join(workspace, 'sources', 'missing.yaml'));
    const text = repository(registry.host, 'missing', 'tag: 9.9.9');
    client.openDocument(uri, text, 1);
    const withLive = await client.waitForNotification<PublishedDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'live-tag-not-found'));
    const diagnostic = withLive.diagnostics.find((d) => d.code === 'live-tag-not-found')!;
    assert.equal(diagnostic.range.start.line, 9);
    assert.match(diagnostic.message, /9\.9\.9/);
    const actions = await client.request<Array<{ title: string; edit: { changes: Record<string, Array<{ range: PublishedDiagnostics['diagnostics'][number]['range']; newText: string }>> } }>>(
      'textDocument/codeAction',
      {
        textDocument: { uri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic], only: ['quickfix'] },
      },
    );
    const fix = actions.find((a) => /6\.8\.0/.test(a.title));
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    const fixed = applyTextEdits(text, fix.edit.changes[uri]!);
    assert.match(fixed, /tag: "?6\.8\.0"?\n/);
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
    await client.waitForNotification<PublishedDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === uri && !p.diagnostics.some((d) => d.code === 'live-tag-not-found') && p.version === 2);
    // and the live run after the edit does not bring it back
    const stillClean = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 9, character: 10 } });
    assert.match(stillClean?.contents.value ?? '', /6\.8\.0/);
  });

  it('goes from a chartRef to its OCIRepository and back', async () => {
    const definition = await client.request<{ uri: string; range: { start: { line: number } } } | null>('textDocument/definition', {
      textDocument: { uri: releaseUri },
      position: { line: 9, character: 12 },
    });
    assert.equal(definition?.uri, repoUri);
    assert.equal(definition?.range.start.line, 3);
    const references = await client.request<Array<{ uri: string; range: { start: { line: number } } }>>('textDocument/references', {
      textDocument: { uri: repoUri },
      position: { line: 3, character: 9 },
      context: { includeDeclaration: false },
    });
    assert.deepEqual(
      references.map((r) => [r.uri, r.range.start.line]),
      [[releaseUri, 9]],
    );
  });

  it('says so on hover and makes no registry request in an untrusted workspace', async () => {
    const untrusted = await LspClient.start();
    try {
      await untrusted.initialize({ rootPath: workspace, initializationOptions: { workspaceTrusted: false, storagePath: storage } });
      await untrusted.waitForNotification('fluxOci/workspaceScanned');
      const hover = await untrusted.request<Hover | null>('textDocument/hover', { textDocument: { uri: repoUri }, position: { line: 9, character: 14 } });
      assert.match(hover?.contents.value ?? '', /not trusted/);
      const hints = await untrusted.request<unknown[]>('textDocument/inlayHint', { textDocument: { uri: repoUri }, range: { start: { line: 0, character: 0 }, end: { line: 14, character: 0 } } });
      assert.deepEqual(hints, []);
      assert.ok(!untrusted.allNotifications.some((n) => n.method === 'fluxOci/registryActivity'), 'no registry activity');
    } finally {
      await untrusted.stop();
    }
  });

  it('answers from the disk cache, marked stale, once the registry is gone', async () => {
    await client.request('fluxOci/refresh', {});
    await registry.stop();
    const offline = await LspClient.start();
    try {
      offline.configuration = { registry: { timeoutSeconds: 2 } };
      await offline.initialize({ rootPath: workspace, initializationOptions: { workspaceTrusted: true, storagePath: storage } });
      await offline.waitForNotification('fluxOci/workspaceScanned');
      const hover = await offline.request<Hover | null>('textDocument/hover', { textDocument: { uri: repoUri }, position: { line: 9, character: 14 } }, 60_000);
      assert.match(hover?.contents.value ?? '', /6\.8\.0/);
      assert.match(hover?.contents.value ?? '', /stale/);
      offline.openDocument(repoUri, repository(registry.host, 'podinfo', 'semver: ">=6.0.0"'));
      await offline.diagnosticsFor(repoUri);
      await offline.request('fluxOci/refresh', {}, 60_000); // resolves once the live checks have published
      const last = offline.allNotifications.filter((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as PublishedDiagnostics).uri === repoUri).at(-1);
      const codes = (last?.params as PublishedDiagnostics).diagnostics.map((d) => d.code);
      assert.ok(!codes.includes('live-registry-unavailable'), `cached data, not an outage, answers: ${codes.join(', ')}`);
    } finally {
      await offline.stop();
    }
  });
});
