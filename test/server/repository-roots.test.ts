// The server reads a whole GitOps repository as Flux builds it: the repository root is the folder holding .git,
// cross-file notes use effective namespaces, and an edit to a kustomization.yaml in an open buffer re-publishes the
// files it changes. Also the root lookup on its own.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { repositoryRootOf, repositoryRootsOf } from '../../core/workspace/repository-roots';
import { fileUri, LspClient } from '../support/lsp-client';

const FLEET = resolve(__dirname, '../fixtures/fleet');

describe('repository roots', () => {
  it('is the folder holding .git at or above, else the folder itself', async () => {
    const top = mkdtempSync(join(tmpdir(), 'flux-oci-root-'));
    try {
      mkdirSync(join(top, 'repo', '.git'), { recursive: true });
      mkdirSync(join(top, 'repo', 'clusters', 'a'), { recursive: true });
      mkdirSync(join(top, 'loose'), { recursive: true });
      assert.equal(await repositoryRootOf(join(top, 'repo', 'clusters', 'a')), join(top, 'repo'));
      assert.equal(await repositoryRootOf(join(top, 'loose')), join(top, 'loose'));
      assert.deepEqual(await repositoryRootsOf([join(top, 'repo', 'clusters'), join(top, 'repo')]), [join(top, 'repo')]);
    } finally {
      rmSync(top, { recursive: true, force: true });
    }
  });
});

describe('the server on a fleet repository', () => {
  let client: LspClient;
  let root: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'flux-oci-fleet-'));
    cpSync(FLEET, root, { recursive: true });
    mkdirSync(join(root, '.git'));
    client = await LspClient.start();
    await client.initialize({ rootPath: join(root) });
    await client.waitForNotification('fluxOci/workspaceScanned');
  });
  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
    assert.deepEqual(client.strayOutput, []);
  });

  it('publishes notes with effective namespaces and none that are false', async () => {
    const image = await client.diagnosticsFor(fileUri(join(root, 'apps/base/podinfo/app-image.yaml')));
    assert.deepEqual(
      image.diagnostics.map((d) => d.code),
      ['secret-ref-not-found'],
    );
    assert.match(image.diagnostics[0]!.message, /namespace 'podinfo-production'.*flux-system\/apps \(clusters\/production\)/);
    const frontend = await client.diagnosticsFor(fileUri(join(root, 'apps/base/podinfo/frontend.yaml')));
    assert.deepEqual(
      frontend.diagnostics.map((d) => [d.code, d.severity]),
      [['substitution-unresolved', 3]],
    );
    // Files without findings are never published: no note for the release's chartRef or the sources' Secrets.
    const published = client.allNotifications.filter((m) => m.method === 'textDocument/publishDiagnostics').map((m) => (m.params as { uri: string }).uri);
    for (const clean of ['apps/base/podinfo/release.yaml', 'infrastructure/sources/podinfo-chart.yaml', 'infrastructure/sources/podinfo-helm-repository.yaml']) {
      assert.ok(!published.includes(fileUri(join(root, clean))), `${clean} has no diagnostics`);
    }
  });

  it('hover and inlay hints give each ${VAR} its postBuild value per cluster, without a registry', async () => {
    const uri = fileUri(join(root, 'apps/base/podinfo/release.yaml'));
    const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: { line: 13, character: 14 } });
    assert.match(hover?.contents.value ?? '', /flux-system\/apps \(clusters\/staging\): `1\.2\.4` \(postBuild\.substitute\)/);
    assert.match(hover?.contents.value ?? '', /flux-system\/apps \(clusters\/production\): `1\.3\.0`/);
    const hints = await client.request<Array<{ label: string; position: { line: number } }>>('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 30, character: 0 } },
    });
    assert.deepEqual(
      hints.map((h) => [h.position.line, h.label]),
      [
        [13, ' = 1.3.0 (flux-system/apps (clusters/production)), 1.2.4 (flux-system/apps (clusters/staging))'],
        [15, ' = production (flux-system/apps (clusters/production)), staging (flux-system/apps (clusters/staging))'],
      ],
    );
  });

  it('re-publishes what a kustomization.yaml edit changes', async () => {
    const uri = fileUri(join(root, 'apps/staging/kustomization.yaml'));
    const text = readFileSync(join(root, 'apps/staging/kustomization.yaml'), 'utf8');
    const image = fileUri(join(root, 'apps/base/podinfo/app-image.yaml'));
    const republished = client.waitForNotification<{ uri: string; diagnostics: Array<{ message: string }> }>(
      'textDocument/publishDiagnostics',
      (p) => p.uri === image && p.diagnostics.some((d) => d.message.includes("'podinfo-staging'")),
    );
    client.openDocument(uri, text.replace('  - app-pull-secret.yaml\n', ''), 2);
    const published = await republished;
    assert.equal(published.diagnostics.length, 2, 'one note per cluster now that staging lost its Secret');
  });
});
