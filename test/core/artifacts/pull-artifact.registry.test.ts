// Integration: the pull engine through core/oci's RegistryClient against a real distribution 2.8 registry.
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
import { tgz } from '../../support/tar';

let registry: Registry;
let cacheDir: string;
const client = () => new RegistryClient();
const ref = (path: string) => `oci://${registry.host}/${path}`;

before(async () => {
  registry = await startRegistry();
  cacheDir = mkdtempSync(join(tmpdir(), 'flux-oci-pull-it-'));
});

after(async () => {
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
  assert.deepEqual(pulled.files.map((f) => f.path), ['podinfo/Chart.yaml', 'podinfo/templates/deployment.yaml', 'podinfo/templates/service.yaml', 'podinfo/values.yaml']);
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
  const layer = await pushBlob(registry, 'manifests/hostile', tgz([{ name: 'ok.yaml', content: 'x' }, { name: 'evil', type: 'symlink', linkName: '/etc' }]), MediaTypes.fluxContent);
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
  assert.deepEqual(diff.added.map((c) => c.path), ['diffme/templates/new.yaml']);
  assert.deepEqual(diff.removed.map((c) => c.path), ['diffme/templates/old.yaml']);
  assert.deepEqual(diff.changed.map((c) => c.path), ['diffme/Chart.yaml']);
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
    assert.deepEqual(withLayers.value.files.map((f) => f.path), ['hello.txt']);
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
