// Integration: the pull engine through core/oci's RegistryClient against a real distribution 2.8 registry
// (large layers through a recording proxy, to see that they take the bounded download path).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryClient } from '../../../core/oci/registry-client';
import { pullReference } from '../../../core/artifacts/pull-reference';
import { compareTrees, readFilePair } from '../../../core/artifacts/compare';
import { summarizeArtifact, renderSummaryMarkdown } from '../../../core/artifacts/inspect-summary';
import { startRegistry, type Registry } from '../../support/registry';
import { MediaTypes, pushBlob, pushFluxArtifact, pushHelmChart, pushImage, pushIndex, pushManifest } from '../../support/registry-push';
import { tgz, type TarEntry } from '../../support/tar';
import { startPagingProxy, type PagingProxy, type RecordedRequest } from '../../support/paging-proxy';
import { seededRandom } from '../../support/seeded-random';
import type { PullProgress } from '../../../core/artifacts/pull-artifact';

let registry: Registry;
let proxy: PagingProxy;
let cacheDir: string;
const client = () => new RegistryClient();
const ref = (path: string) => `oci://${registry.host}/${path}`;

before(async () => {
  registry = await startRegistry();
  proxy = await startPagingProxy(registry.url);
  cacheDir = mkdtempSync(join(tmpdir(), 'flux-oci-pull-it-'));
});

after(async () => {
  await proxy?.stop();
  await registry?.stop();
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
});

test('pulls a Helm chart whose provenance layer sorts first: chart layer, files, Chart.yaml metadata', async () => {
  const pushed = await pushHelmChart(registry, 'charts/podinfo', {
    name: 'podinfo',
    version: '6.5.4+build.1',
    appVersion: '6.5.4',
    description: 'Podinfo chart',
    provenance: true,
    files: { 'templates/service.yaml': 'kind: Service\n' },
  });
  const result = await pullReference(ref('charts/podinfo:6.5.4_build.1'), { client: client(), cache: cacheDir });
  assert.ok(result.ok, !result.ok ? result.problem.message : '');
  const pulled = result.value;
  assert.equal(pulled.digest, pushed.digest);
  assert.equal(pulled.kind, 'helm-chart');
  assert.equal(pulled.layer.layer.mediaType, MediaTypes.helmChart);
  assert.deepEqual(
    pulled.files.map((f) => f.path),
    ['podinfo/Chart.yaml', 'podinfo/templates/deployment.yaml', 'podinfo/templates/service.yaml', 'podinfo/values.yaml'],
  );
  assert.match(readFileSync(join(pulled.root!, 'podinfo/values.yaml'), 'utf8'), /replicaCount: 1/);
  assert.deepEqual([pulled.chart?.name, pulled.chart?.version, pulled.chart?.appVersion, pulled.chart?.description], ['podinfo', '6.5.4+build.1', '6.5.4', 'Podinfo chart']);
  const provFirst = pushed.layers[0]!.mediaType === MediaTypes.helmProvenance;
  assert.equal(pulled.layer.warning !== undefined, provFirst, 'warns exactly when Flux layers[0] would be the .prov');
  assert.match(renderSummaryMarkdown(summarizeArtifact(pulled)), /\*\*App version:\*\* 6\.5\.4/);
});

test('pulls a Flux artifact by digest with its annotations and files', async () => {
  const pushed = await pushFluxArtifact(registry, 'manifests/webapp', {
    tag: 'v1.0.0',
    files: { 'deploy/app.yaml': 'kind: ConfigMap\n', 'deploy/kustomization.yaml': 'resources: [app.yaml]\n' },
    revision: 'main@sha1:1111111111111111111111111111111111111111',
  });
  const result = await pullReference(ref(`manifests/webapp@${pushed.digest}`), { client: client(), cache: cacheDir });
  assert.ok(result.ok, !result.ok ? result.problem.message : '');
  const summary = summarizeArtifact(result.value);
  assert.equal(summary.kind, 'flux-artifact');
  assert.equal(summary.revision, 'main@sha1:1111111111111111111111111111111111111111');
  assert.equal(summary.source, 'https://github.com/example/app');
  assert.equal(summary.created, '2024-05-01T10:00:00Z');
  assert.deepEqual(summary.files, [
    { path: 'deploy/app.yaml', size: 16 },
    { path: 'deploy/kustomization.yaml', size: 22 },
  ]);
});

test('a blob corrupted in the registry storage is rejected by digest and nothing is kept', async () => {
  const pushed = await pushFluxArtifact(registry, 'manifests/tampered', { tag: 'v1', files: { 'a.yaml': 'a: 1\n'.repeat(200) } });
  const hex = pushed.layers[0]!.digest.slice('sha256:'.length);
  const blobFile = join(registry.dataDir, 'data', 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
  const bytes = readFileSync(blobFile);
  bytes[bytes.length - 10] ^= 0xff;
  writeFileSync(blobFile, bytes);
  const ownCache = mkdtempSync(join(tmpdir(), 'flux-oci-tamper-'));
  try {
    const result = await pullReference(ref('manifests/tampered:v1'), { client: client(), cache: ownCache });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.problem.code, 'digest-mismatch', !result.ok ? result.problem.message : '');
    assert.equal(existsSync(join(ownCache, 'blobs', 'sha256', hex)), false);
    assert.equal(existsSync(join(ownCache, 'trees')), false);
    assert.deepEqual(existsSync(join(ownCache, 'tmp')) ? readdirSync(join(ownCache, 'tmp')) : [], []);
  } finally {
    rmSync(ownCache, { recursive: true, force: true });
  }
});

test('a hostile layer served by the registry is refused, naming the entry', async () => {
  const config = await pushBlob(registry, 'manifests/hostile', '{}', MediaTypes.fluxConfig);
  const layer = await pushBlob(
    registry,
    'manifests/hostile',
    tgz([
      { name: 'ok.yaml', content: 'x' },
      { name: 'evil', type: 'symlink', linkName: '/etc' },
    ]),
    MediaTypes.fluxContent,
  );
  await pushManifest(registry, 'manifests/hostile', { schemaVersion: 2, mediaType: MediaTypes.ociManifest, config, layers: [layer] }, 'v1');
  const result = await pullReference(ref('manifests/hostile:v1'), { client: client(), cache: cacheDir });
  assert.equal(!result.ok && result.problem.code, 'link-outside-root');
  assert.match(!result.ok ? result.problem.message : '', /"evil".*"\/etc"/);
});

test('compare two pulled chart versions', async () => {
  await pushHelmChart(registry, 'charts/diffme', { name: 'diffme', version: '1.0.0', files: { 'templates/old.yaml': 'old\n' } });
  await pushHelmChart(registry, 'charts/diffme', { name: 'diffme', version: '1.1.0', files: { 'templates/new.yaml': 'new\n' } });
  const a = await pullReference(ref('charts/diffme:1.0.0'), { client: client(), cache: cacheDir });
  const b = await pullReference(ref('charts/diffme:1.1.0'), { client: client(), cache: cacheDir });
  assert.ok(a.ok && b.ok);
  const left = { root: a.value.root!, files: a.value.files };
  const right = { root: b.value.root!, files: b.value.files };
  const diff = await compareTrees(left, right);
  assert.deepEqual(
    diff.added.map((c) => c.path),
    ['diffme/templates/new.yaml'],
  );
  assert.deepEqual(
    diff.removed.map((c) => c.path),
    ['diffme/templates/old.yaml'],
  );
  assert.deepEqual(
    diff.changed.map((c) => c.path),
    ['diffme/Chart.yaml'],
  );
  assert.equal(diff.unchanged, 2);
  const pair = await readFilePair(left, right, 'diffme/Chart.yaml');
  assert.match(pair.before.text ?? '', /version: 1\.0\.0/);
  assert.match(pair.after.text ?? '', /version: 1\.1\.0/);
});

test('a multi-arch image resolves to linux/amd64 and its layers are listed, not downloaded', async () => {
  const arm = await pushImage(registry, 'images/app', { tag: 'arm', architecture: 'arm64' });
  const amd = await pushImage(registry, 'images/app', { tag: 'amd', architecture: 'amd64' });
  await pushIndex(registry, 'images/app', 'multi', [
    { mediaType: arm.mediaType, digest: arm.digest, size: arm.size, platform: { os: 'linux', architecture: 'arm64' } },
    { mediaType: amd.mediaType, digest: amd.digest, size: amd.size, platform: { os: 'linux', architecture: 'amd64' } },
  ]);
  const ownCache = mkdtempSync(join(tmpdir(), 'flux-oci-image-'));
  try {
    const result = await pullReference(ref('images/app:multi'), { client: client(), cache: ownCache });
    assert.ok(result.ok, !result.ok ? result.problem.message : '');
    assert.equal(result.value.digest, amd.digest);
    assert.equal(result.value.kind, 'container-image');
    assert.equal(result.value.extracted, false);
    assert.equal(existsSync(join(ownCache, 'blobs', 'sha256', amd.layers[0]!.digest.slice(7))), false, 'layer blob not downloaded');
    const withLayers = await pullReference(ref('images/app:multi'), { client: client(), cache: ownCache, extractImageLayers: true });
    assert.ok(withLayers.ok);
    assert.deepEqual(
      withLayers.value.files.map((f) => f.path),
      ['hello.txt'],
    );
  } finally {
    rmSync(ownCache, { recursive: true, force: true });
  }
});

test('signatures are looked up only when asked; a cosign .sig tag is found', async () => {
  const pushed = await pushFluxArtifact(registry, 'manifests/signed', { tag: 'v1' });
  const none = await pullReference(ref('manifests/signed:v1'), { client: client(), cache: cacheDir, checkSignatures: true });
  assert.ok(none.ok);
  assert.equal(none.value.signatures?.signed, false);
  const sigConfig = await pushBlob(registry, 'manifests/signed', '{}', MediaTypes.ociConfig);
  const sigLayer = await pushBlob(registry, 'manifests/signed', '{"critical":{}}', 'application/vnd.dev.cosign.simplesigning.v1+json');
  await pushManifest(registry, 'manifests/signed', { schemaVersion: 2, mediaType: MediaTypes.ociManifest, config: sigConfig, layers: [sigLayer] }, `${pushed.digest.replace(':', '-')}.sig`);
  const signed = await pullReference(ref('manifests/signed:v1'), { client: client(), cache: cacheDir, checkSignatures: true });
  assert.ok(signed.ok);
  assert.equal(signed.value.signatures?.signed, true);
  const notAsked = await pullReference(ref('manifests/signed:v1'), { client: client(), cache: cacheDir });
  assert.equal(notAsked.ok && notAsked.value.signatures, undefined);
});

test('a missing tag is a registry problem with a readable message', async () => {
  const result = await pullReference(ref('manifests/webapp:does-not-exist'), { client: client(), cache: cacheDir });
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.problem.code, 'registry');
  assert.ok(!result.ok && result.problem.message.length > 10);
});

/** `size` reproducible random (incompressible) bytes. */
function randomBytesSeeded(seed: number, size: number): Buffer {
  const rand = seededRandom(seed);
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) out[i] = rand(256);
  return out;
}

/** Several files, most of them incompressible, so the gzipped layer is well over the 1 MiB bounded-download threshold. */
const LARGE_FILES: Record<string, Buffer> = {
  'deploy/kustomization.yaml': Buffer.from('resources: [app.yaml]\n'),
  'deploy/app.yaml': Buffer.from('kind: ConfigMap\n'.repeat(4000)),
  'assets/a.bin': randomBytesSeeded(11, 900_000),
  'assets/b.bin': randomBytesSeeded(12, 700_123),
  'assets/nested/c.bin': randomBytesSeeded(13, 600_001),
  'empty.txt': Buffer.alloc(0),
};

async function pushLargeFluxArtifact(repo: string, tag: string): Promise<{ digest: string; layerDigest: string; layerSize: number }> {
  const entries: TarEntry[] = Object.entries(LARGE_FILES).map(([name, content]) => ({ name, content }));
  const config = await pushBlob(registry, repo, '{}', MediaTypes.fluxConfig);
  const layer = await pushBlob(registry, repo, tgz(entries), MediaTypes.fluxContent);
  assert.ok(layer.size > 1024 * 1024 * 2, `layer is ${layer.size} bytes`);
  const pushed = await pushManifest(registry, repo, { schemaVersion: 2, mediaType: MediaTypes.ociManifest, config, layers: [layer] }, tag);
  return { digest: pushed.digest, layerDigest: layer.digest, layerSize: layer.size };
}

const layerGets = (digest: string): RecordedRequest[] => proxy.requests.filter((r) => r.method === 'GET' && r.path.includes(`/blobs/${digest}`));

test('pulls a >2 MiB multi-file Flux artifact in one layer GET: every file byte for byte, progress up to the layer size', async () => {
  const pushed = await pushLargeFluxArtifact('manifests/large', 'v1');
  const ownCache = mkdtempSync(join(tmpdir(), 'flux-oci-large-'));
  proxy.requests.length = 0;
  const progress: PullProgress[] = [];
  const c = client();
  try {
    const result = await pullReference(`oci://${proxy.host}/manifests/large:v1`, { client: c, cache: ownCache, onProgress: (p) => progress.push(p) });
    assert.ok(result.ok, !result.ok ? result.problem.message : '');
    assert.equal(result.value.digest, pushed.digest);
    const expected = Object.entries(LARGE_FILES)
      .map(([path, content]) => ({ path, size: content.length }))
      .sort((a, b) => a.path.localeCompare(b.path));
    assert.deepEqual(
      [...result.value.files].sort((a, b) => a.path.localeCompare(b.path)),
      expected,
    );
    for (const [path, content] of Object.entries(LARGE_FILES)) assert.ok(readFileSync(join(result.value.root!, path)).equals(content), `${path} is byte-identical`);
    const gets = layerGets(pushed.layerDigest);
    assert.equal(gets.length, 1);
    const layerProgress = progress.filter((p) => p.phase === 'layer');
    assert.ok(layerProgress.length > 1);
    assert.equal(layerProgress.at(-1)!.bytes, pushed.layerSize, 'layer progress reaches the layer size');
    assert.ok(layerProgress.every((p) => p.totalBytes === pushed.layerSize));
    assert.deepEqual(readdirSync(join(ownCache, 'tmp')), [], 'no temp files left');
  } finally {
    await c.close();
    rmSync(ownCache, { recursive: true, force: true });
  }
});

test('cancelling a pull in the middle of a large layer ends it as "cancelled", keeping no blob, tree or temp file', async () => {
  const pushed = await pushLargeFluxArtifact('manifests/large-cancel', 'v1');
  const ownCache = mkdtempSync(join(tmpdir(), 'flux-oci-cancel-'));
  proxy.requests.length = 0;
  const controller = new AbortController();
  let cancelledAt: number | undefined;
  const c = client();
  try {
    const result = await pullReference(`oci://${proxy.host}/manifests/large-cancel:v1`, {
      client: c,
      cache: ownCache,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'layer' && p.bytes > 0 && cancelledAt === undefined) {
          cancelledAt = p.bytes;
          controller.abort();
        }
      },
    });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.problem.code, 'cancelled', !result.ok ? result.problem.message : '');
    assert.ok(cancelledAt !== undefined && cancelledAt < pushed.layerSize, `cancelled mid-layer (at ${cancelledAt} bytes)`);
    assert.equal(layerGets(pushed.layerDigest).length, 1, 'the one layer download was cancelled, not retried');
    assert.equal(existsSync(join(ownCache, 'blobs', 'sha256', pushed.layerDigest.slice('sha256:'.length))), false);
    assert.equal(existsSync(join(ownCache, 'trees')), false);
    assert.deepEqual(existsSync(join(ownCache, 'tmp')) ? readdirSync(join(ownCache, 'tmp')) : [], []);
  } finally {
    await c.close();
    rmSync(ownCache, { recursive: true, force: true });
  }
});
