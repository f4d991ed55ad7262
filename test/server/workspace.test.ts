// The server's view of the workspace: the initial scan of folders on disk, the file watcher, and
// cross-file results (a Secret in one document resolves a secretRef in another).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileUri, LspClient } from '../support/lsp-client';
import { OCI_WITH_BRANCH, OCI_WITH_SECRET_REF, SECRET_REGCRED } from './fixtures';

describe('workspace files and cross-file results', () => {
  let client: LspClient;
  let root: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'flux-oci-ws-'));
    mkdirSync(join(root, 'apps', 'podinfo'), { recursive: true });
    mkdirSync(join(root, 'node_modules', 'pkg'), { recursive: true });
    mkdirSync(join(root, '.git'), { recursive: true });
    writeFileSync(join(root, 'apps', 'podinfo', 'source.yaml'), OCI_WITH_BRANCH);
    writeFileSync(join(root, 'apps', 'secret.yml'), SECRET_REGCRED);
    writeFileSync(join(root, 'node_modules', 'pkg', 'ignored.yaml'), OCI_WITH_BRANCH);
    writeFileSync(join(root, '.git', 'ignored.yaml'), OCI_WITH_BRANCH);
    writeFileSync(join(root, 'binary.yaml'), Buffer.from([0x61, 0x3a, 0x00, 0x01, 0x02]));
    writeFileSync(join(root, 'latin1.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
    writeFileSync(join(root, 'notes.txt'), 'not yaml');
    client = await LspClient.start();
    await client.initialize({ rootPath: root });
  });
  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
    assert.deepEqual(client.strayOutput, []);
  });

  it('scans the workspace folder on initialize, skipping node_modules, .git, binary and non-UTF-8 files', async () => {
    const scanned = await client.waitForNotification<{ files: number; skipped: number }>('fluxOci/workspaceScanned');
    assert.deepEqual(scanned, { files: 2, skipped: 2 });
    const status = await client.request<{ files: number; workspaceScanned: boolean; workspaceTrusted: boolean }>('fluxOci/indexStatus', null);
    assert.equal(status.workspaceScanned, true);
    assert.equal(status.workspaceTrusted, false);
    assert.equal(status.files, 2);
  });

  it('registers a file watcher for YAML files', async () => {
    await client.waitForNotification('fluxOci/workspaceScanned', () => true, 100).catch(() => undefined);
    const watcher = client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles');
    assert.ok(watcher, JSON.stringify(client.registrations));
    assert.deepEqual(watcher.registerOptions, { watchers: [{ globPattern: '**/*.{yaml,yml}' }] });
  });

  it('publishes diagnostics of files on disk that are not open', async () => {
    const uri = fileUri(join(root, 'apps', 'podinfo', 'source.yaml'));
    const { diagnostics } = await client.diagnosticsFor(uri);
    assert.ok(
      diagnostics.some((d) => d.range.start.line === 9 && (d.severity ?? 9) <= 2),
      JSON.stringify(diagnostics),
    );
    assert.ok(!client.allNotifications.some((m) => JSON.stringify(m.params).includes('node_modules')), 'node_modules must not be indexed');
  });

  it('lets an open buffer override its file on disk, and restores the disk results on close', async () => {
    const uri = fileUri(join(root, 'apps', 'podinfo', 'source.yaml'));
    client.openDocument(uri, OCI_WITH_BRANCH.replace('branch: main', 'tag: latest'), 3);
    const edited = await client.diagnosticsFor(uri, 3);
    assert.equal(edited.diagnostics.filter((d) => d.range.start.line === 9).length, 0, 'the buffer, not the disk file, is checked');
    client.notify('textDocument/didClose', { textDocument: { uri } });
    const closed = await client.diagnosticsFor(uri);
    assert.ok(
      closed.diagnostics.some((d) => d.range.start.line === 9),
      'after closing, the disk content is checked again',
    );
  });

  it('picks up a file created on disk through didChangeWatchedFiles, and forgets it when deleted', async () => {
    const path = join(root, 'apps', 'new-source.yaml');
    const uri = fileUri(path);
    writeFileSync(path, OCI_WITH_BRANCH.replace('podinfo\n', 'created\n'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 1 }] });
    const created = await client.diagnosticsFor(uri);
    assert.ok(created.diagnostics.length > 0);
    rmSync(path);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 3 }] });
    const deleted = await client.diagnosticsFor(uri);
    assert.deepEqual(deleted.diagnostics, []);
  });

  it('indexes a workspace folder when it is added, and drops its files and diagnostics when it is removed', async () => {
    const other = mkdtempSync(join(tmpdir(), 'flux-oci-ws-other-'));
    try {
      const path = join(other, 'extra-source.yaml');
      const uri = fileUri(path);
      writeFileSync(path, OCI_WITH_BRANCH.replace('podinfo\n', 'extra\n'));
      const folder = { uri: fileUri(other), name: 'other' };
      const filesBefore = (await client.request<{ files: number }>('fluxOci/indexStatus', null)).files;

      client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [folder], removed: [] } });
      const added = await client.diagnosticsFor(uri);
      assert.ok(added.diagnostics.length > 0, 'the added folder is scanned and its file checked');
      assert.equal((await client.request<{ files: number }>('fluxOci/indexStatus', null)).files, filesBefore + 1);

      client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folder] } });
      const removed = await client.diagnosticsFor(uri);
      assert.deepEqual(removed.diagnostics, [], 'diagnostics of a removed folder are cleared');
      assert.equal((await client.request<{ files: number }>('fluxOci/indexStatus', null)).files, filesBefore, 'its files leave the index');
      const scanned = fileUri(join(root, 'apps', 'podinfo', 'source.yaml'));
      assert.ok(
        !client.backlog.some(
          (m) => m.method === 'textDocument/publishDiagnostics' && (m.params as { uri: string }).uri === scanned && (m.params as { diagnostics: unknown[] }).diagnostics.length === 0,
        ),
        'files of the remaining folder keep their diagnostics',
      );
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('resolves a secretRef once the Secret is opened in another document', async () => {
    // named "pullcred" here: the scanned folder already holds a Secret "regcred"
    const repoUri = 'untitled:private-app';
    client.openDocument(repoUri, OCI_WITH_SECRET_REF.replace('regcred', 'pullcred'));
    const missing = await client.diagnosticsFor(repoUri);
    const aboutSecret = missing.diagnostics.filter((d) => d.message.includes('pullcred'));
    assert.equal(aboutSecret.length, 1, `the missing Secret should be noted: ${JSON.stringify(missing.diagnostics)}`);
    assert.equal(aboutSecret[0].range.start.line, 11);

    const secretUri = 'untitled:regcred-secret';
    client.openDocument(secretUri, SECRET_REGCRED.replace('regcred', 'pullcred'));
    const resolved = await client.diagnosticsFor(repoUri);
    assert.deepEqual(
      resolved.diagnostics.filter((d) => d.message.includes('pullcred')),
      [],
    );
  });
});
