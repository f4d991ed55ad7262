// Pull and Inspect through the real language server over stdio against a real local registry (distribution 2.8):
// tags, pull with progress, file reads, tampered and unknown digests, compare, and the workspace-source requests.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LspClient } from '../support/lsp-client';
import type { Registry } from '../support/registry';
import { pushHelmChart, pushImage } from '../support/registry-push';
import { podinfoRepository, PODINFO_RELEASE, startLiveServer, type LiveServer } from './live-server';

interface PullResult {
  id: string;
  digest: string;
  kind: string;
  extracted: boolean;
  files: Array<{ path: string; size: number }>;
  summaryMarkdown: string;
  chart?: { name: string; version: string };
}

interface Source {
  kind: string;
  name: string;
  namespace: string;
  uri: string;
  reference?: string;
  ref: { semver?: string; tag?: string };
  resolvedTag?: string;
  problem?: string;
  range: { start: { line: number } };
}

function manifests(host: string): string {
  return `${podinfoRepository(host, 'podinfo', 'semver: ">=6.0.0"')}---\n${PODINFO_RELEASE}`;
}

describe('pull and inspect over stdio', () => {
  let server: LiveServer;
  let registry: Registry;
  let workspace: string;
  let storage: string;
  let client: LspClient;
  let manifestUri: string;
  let tamperedTag: string;

  before(async () => {
    server = await startLiveServer('pull', async (r) => {
      await pushHelmChart(r, 'charts/podinfo', { name: 'podinfo', version: '6.7.1', appVersion: '6.7.1' });
      await pushHelmChart(r, 'charts/podinfo', {
        name: 'podinfo',
        version: '6.8.0',
        appVersion: '6.8.0',
        files: { 'README.md': '# podinfo\n', 'templates/service.yaml': 'kind: Service\n' },
      });
      await pushHelmChart(r, 'charts/podinfo', { name: 'podinfo', version: '6.0.0-rc.1' });
      await pushImage(r, 'images/app', { tag: '1.0.0' });
      // A chart whose layer bytes are replaced in the registry's storage after the push: same size, other content.
      const tampered = await pushHelmChart(r, 'charts/tampered', { name: 'tampered', version: '1.0.0' });
      tamperedTag = tampered.tag;
      const layer = tampered.layers[0]!;
      const hex = layer.digest.slice('sha256:'.length);
      const blobFile = join(r.dataDir, 'data', 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
      assert.equal(statSync(blobFile).size, layer.size);
      writeFileSync(blobFile, Buffer.alloc(layer.size, 7));
      return { 'apps/podinfo.yaml': manifests(r.host) };
    });
    ({ registry, workspace, storage, client } = server);
    manifestUri = server.uris['apps/podinfo.yaml']!;
  });

  after(() => server?.stop());

  it('lists tags newest first with the tag the OCIRepository under the cursor resolves to', async () => {
    const result = await client.request<{ tags: string[]; resolvedTag?: string; reference: string }>('fluxOci/listTags', {
      reference: `oci://${registry.host}/charts/podinfo`,
      uri: manifestUri,
      position: { line: 9, character: 6 },
    });
    assert.equal(result.reference, `oci://${registry.host}/charts/podinfo`);
    assert.deepEqual(result.tags, ['6.8.0', '6.7.1', '6.0.0-rc.1']);
    assert.equal(result.resolvedTag, '6.8.0');
  });

  it('pulls a chart with work-done progress and returns its file list and summary', async () => {
    const token = 'pull-progress-1';
    const pulled = await client.request<PullResult>('fluxOci/pullArtifact', { reference: `oci://${registry.host}/charts/podinfo:6.7.1`, workDoneToken: token });
    assert.equal(pulled.kind, 'helm-chart');
    assert.equal(pulled.extracted, true);
    assert.deepEqual(pulled.files.map((f) => f.path).sort(), ['podinfo/Chart.yaml', 'podinfo/templates/deployment.yaml', 'podinfo/values.yaml']);
    assert.equal(pulled.id, `${registry.host}/charts/podinfo@${pulled.digest}`);
    assert.deepEqual(pulled.chart && [pulled.chart.name, pulled.chart.version], ['podinfo', '6.7.1']);
    assert.match(pulled.summaryMarkdown, /Helm chart/);
    assert.match(pulled.summaryMarkdown, new RegExp(pulled.digest));
    const progress = client.allNotifications
      .filter((n) => n.method === '$/progress' && (n.params as { token: unknown }).token === token)
      .map((n) => (n.params as { value: { kind: string; message?: string } }).value);
    assert.equal(progress[0]?.kind, 'begin');
    assert.equal(progress.at(-1)?.kind, 'end');
    assert.ok(
      progress.some((p) => p.kind === 'report' && /Downloading .* of /.test(p.message ?? '')),
      JSON.stringify(progress),
    );
  });

  it('reads the pushed values.yaml and refuses paths outside the file list', async () => {
    const pulled = await client.request<PullResult>('fluxOci/pullArtifact', { reference: `oci://${registry.host}/charts/podinfo:6.7.1` });
    const file = await client.request<{ content: string; encoding: string; size: number }>('fluxOci/readArtifactFile', { id: pulled.id, path: 'podinfo/values.yaml' });
    assert.equal(file.encoding, 'utf8');
    assert.equal(file.content, 'replicaCount: 1\nimage:\n  repository: nginx\n  tag: ""\n');
    await assert.rejects(client.request('fluxOci/readArtifactFile', { id: pulled.id, path: '../../../etc/passwd' }), /has no file "\.\.\/\.\.\/\.\.\/etc\/passwd"/);
  });

  it('re-pulls from the cache by id when the server does not remember the artifact', async () => {
    const pulled = await client.request<PullResult>('fluxOci/pullArtifact', { reference: `oci://${registry.host}/charts/podinfo:6.8.0` });
    const other = await LspClient.start();
    try {
      await other.initialize({ initializationOptions: { workspaceTrusted: true, storagePath: storage } });
      const file = await other.request<{ content: string }>('fluxOci/readArtifactFile', { id: pulled.id, path: 'podinfo/README.md' });
      assert.equal(file.content, '# podinfo\n');
    } finally {
      await other.stop();
    }
  });

  it('refuses a tampered layer and an unknown digest with one clear sentence', async () => {
    await assert.rejects(client.request('fluxOci/pullArtifact', { reference: `oci://${registry.host}/charts/tampered:${tamperedTag}` }), (error: Error) => {
      assert.match(error.message, /failed verification|does not match/);
      assert.doesNotMatch(error.message, /\n\s+at /);
      return true;
    });
    const unknown = `sha256:${'0'.repeat(64)}`;
    await assert.rejects(client.request('fluxOci/pullArtifact', { reference: `oci://${registry.host}/charts/podinfo@${unknown}` }), (error: Error) => {
      assert.match(error.message, /not found|does not exist|unknown/i);
      assert.doesNotMatch(error.message, /\n\s+at /);
      return true;
    });
    await assert.rejects(client.request('fluxOci/pullArtifact', { reference: 'not a reference' }), /registry host|repository/);
  });

  it('compares two versions: added, removed and changed files with sizes', async () => {
    const left = await client.request<PullResult>('fluxOci/pullArtifact', { reference: `oci://${registry.host}/charts/podinfo:6.7.1` });
    const right = await client.request<PullResult>('fluxOci/pullArtifact', { reference: `oci://${registry.host}/charts/podinfo:6.8.0` });
    const diff = await client.request<{ added: Array<{ path: string }>; removed: unknown[]; changed: Array<{ path: string }>; unchanged: number; markdown: string }>('fluxOci/compareArtifacts', {
      leftId: left.id,
      rightId: right.id,
    });
    assert.deepEqual(
      diff.added.map((f) => f.path),
      ['podinfo/README.md', 'podinfo/templates/service.yaml'],
    );
    assert.deepEqual(diff.removed, []);
    assert.deepEqual(
      diff.changed.map((f) => f.path),
      ['podinfo/Chart.yaml'],
    );
    assert.equal(diff.unchanged, 2);
    assert.match(diff.markdown, /2 added, 0 removed, 1 changed, 2 unchanged/);
    assert.match(diff.markdown, /`podinfo\/README\.md`/);
  });

  it('lists a container image without extracting its layers', async () => {
    const pulled = await client.request<PullResult>('fluxOci/pullArtifact', { reference: `oci://${registry.host}/images/app:1.0.0` });
    assert.equal(pulled.kind, 'container-image');
    assert.equal(pulled.extracted, false);
    assert.deepEqual(pulled.files, []);
    assert.match(pulled.summaryMarkdown, /not downloaded/);
    const extracted = await client.request<PullResult>('fluxOci/pullArtifact', { reference: `oci://${registry.host}/images/app:1.0.0`, extractImageLayers: true });
    assert.deepEqual(
      extracted.files.map((f) => f.path),
      ['hello.txt'],
    );
  });

  it('finds the source under the cursor, following a HelmRelease chartRef', async () => {
    const onRepository = await client.request<Source | null>('fluxOci/artifactAtPosition', { uri: manifestUri, position: { line: 7, character: 8 } });
    assert.equal(onRepository?.reference, `oci://${registry.host}/charts/podinfo`);
    assert.equal(onRepository?.name, 'podinfo');
    const onRelease = await client.request<Source | null>('fluxOci/artifactAtPosition', { uri: manifestUri, position: { line: 22, character: 10 } });
    assert.equal(onRelease?.kind, 'OCIRepository');
    assert.equal(onRelease?.reference, `oci://${registry.host}/charts/podinfo`);
    assert.deepEqual(onRelease?.ref, { semver: '>=6.0.0' });
    assert.equal(onRelease?.range.start.line, 0);
  });

  it('lists the workspace sources, resolved on request', async () => {
    const plain = await client.request<Source[]>('fluxOci/workspaceSources', {});
    assert.equal(plain.length, 1);
    assert.equal(plain[0]!.uri, manifestUri);
    assert.equal(plain[0]!.resolvedTag, undefined);
    const resolved = await client.request<Source[]>('fluxOci/workspaceSources', { resolve: true });
    assert.equal(resolved[0]!.resolvedTag, '6.8.0');
    assert.equal(resolved[0]!.problem, undefined);
  });

  it('makes no registry request in an untrusted workspace and says why', async () => {
    const untrusted = await LspClient.start();
    try {
      await untrusted.initialize({ rootPath: workspace, initializationOptions: { workspaceTrusted: false, storagePath: storage } });
      await untrusted.waitForNotification('fluxOci/workspaceScanned');
      await assert.rejects(untrusted.request('fluxOci/pullArtifact', { reference: `oci://${registry.host}/charts/podinfo:6.7.1` }), /not trusted/);
      await assert.rejects(untrusted.request('fluxOci/listTags', { reference: `oci://${registry.host}/charts/podinfo` }), /not trusted/);
      const sources = await untrusted.request<Source[]>('fluxOci/workspaceSources', { resolve: true });
      assert.match(sources[0]!.problem ?? '', /not trusted/);
      assert.ok(!untrusted.allNotifications.some((n) => n.method === 'fluxOci/registryActivity'), 'no registry activity');
    } finally {
      await untrusted.stop();
    }
  });
});
