import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifactKindOf, effectiveArtifactType } from '../../../core/artifacts/artifact-kind';
import { selectLayer, fluxDefaultLayer, isExtractableLayer } from '../../../core/artifacts/layer-selection';
import { parseChartYaml, findChartYaml, chartMetadataFromObject } from '../../../core/artifacts/chart-metadata';
import { MediaType, parseImageManifest, selectIndexEntry, parseImageIndex, type ImageManifest } from '../../../core/artifacts/manifest-model';
import { resolveLimits, DEFAULT_MAX_BYTES, DEFAULT_MAX_FILES } from '../../../core/artifacts/limits';
import { ArtifactError } from '../../../core/artifacts/artifact-error';

const d = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const desc = (mediaType: string, n: number, size = 10) => ({ mediaType, digest: d(n), size });
const manifest = (config: string, layers: string[], extra: Partial<ImageManifest> = {}): ImageManifest => ({
  schemaVersion: 2,
  config: desc(config, 1),
  layers: layers.map((t, i) => desc(t, i + 2)),
  ...extra,
});

test('limits default to 100 MB and 10,000 files and ignore nonsense values', () => {
  assert.deepEqual(resolveLimits(), { maxBytes: DEFAULT_MAX_BYTES, maxFiles: DEFAULT_MAX_FILES });
  assert.equal(DEFAULT_MAX_BYTES, 104_857_600);
  assert.deepEqual(resolveLimits({ maxBytes: -1, maxFiles: Number.NaN }), { maxBytes: DEFAULT_MAX_BYTES, maxFiles: DEFAULT_MAX_FILES });
  assert.deepEqual(resolveLimits({ maxBytes: 5.7, maxFiles: 3 }), { maxBytes: 5, maxFiles: 3 });
});

test('artifact kind comes from artifactType, config and layer media types', () => {
  assert.equal(artifactKindOf(manifest(MediaType.helmConfig, [MediaType.helmChart])), 'helm-chart');
  assert.equal(artifactKindOf(manifest(MediaType.fluxConfig, [MediaType.fluxContent])), 'flux-artifact');
  assert.equal(artifactKindOf(manifest(MediaType.ociConfig, ['application/vnd.oci.image.layer.v1.tar+gzip'])), 'container-image');
  assert.equal(artifactKindOf(manifest(MediaType.dockerConfig, ['application/vnd.docker.image.rootfs.diff.tar.gzip'])), 'container-image');
  assert.equal(artifactKindOf(manifest(MediaType.ociConfig, ['application/x-custom'])), 'other');
  const oci11 = manifest(MediaType.ociEmpty, ['application/vnd.cncf.flux.content.v1.tar+gzip'], { artifactType: 'application/vnd.cncf.flux.config.v1+json' });
  assert.equal(effectiveArtifactType(oci11), MediaType.fluxConfig);
  assert.equal(artifactKindOf(oci11), 'flux-artifact');
  assert.equal(artifactKindOf(manifest(MediaType.ociEmpty, ['text/plain'], { artifactType: 'application/spdx+json' })), 'other');
});

test('layer selection: layerSelector exact match first wins, else layers[0]', () => {
  const m = manifest(MediaType.ociConfig, ['a/x', 'b/y', 'b/y']);
  assert.deepEqual([selectLayer(m, 'other').index, selectLayer(m, 'other').rule], [0, 'first-layer']);
  const chosen = selectLayer(m, 'other', { mediaType: 'b/y' });
  assert.deepEqual([chosen.index, chosen.rule, chosen.layer.digest], [1, 'layer-selector', d(3)]);
  assert.throws(
    () => selectLayer(m, 'other', { mediaType: 'c/z' }),
    (e: unknown) => e instanceof ArtifactError && e.code === 'no-matching-layer' && /"c\/z".*a\/x, b\/y/.test(e.message),
  );
  assert.throws(() => selectLayer(manifest(MediaType.ociConfig, []), 'other'), /no layers/);
});

test('a Helm chart picks its chart layer even when the .prov layer sorts first, and warns about Flux layers[0]', () => {
  const m = manifest(MediaType.helmConfig, [MediaType.helmProvenance, MediaType.helmChart]);
  const chosen = selectLayer(m, 'helm-chart');
  assert.equal(chosen.index, 1);
  assert.equal(chosen.rule, 'helm-chart-layer');
  assert.match(chosen.warning ?? '', /layerSelector\.mediaType.*helm\.chart\.content/);
  assert.equal(fluxDefaultLayer(m)?.mediaType, MediaType.helmProvenance);
  assert.equal(selectLayer(manifest(MediaType.helmConfig, [MediaType.helmChart]), 'helm-chart').warning, undefined);
  assert.equal(selectLayer(manifest(MediaType.helmConfig, ['application/tar+gzip']), 'helm-chart').index, 0, 'legacy chart layer');
  assert.equal(isExtractableLayer(MediaType.helmChart), true);
  assert.equal(isExtractableLayer(MediaType.fluxContent), true);
  assert.equal(isExtractableLayer('application/vnd.oci.image.layer.v1.tar'), true);
  assert.equal(isExtractableLayer(MediaType.helmProvenance), false);
});

test('index resolution picks linux/amd64, else the first entry', () => {
  const arm = { ...desc(MediaType.ociManifest, 1), platform: { os: 'linux', architecture: 'arm64' } };
  const amd = { ...desc(MediaType.ociManifest, 2), platform: { os: 'linux', architecture: 'amd64' } };
  assert.equal(selectIndexEntry(parseImageIndex({ manifests: [arm, amd] })).digest, d(2));
  assert.equal(selectIndexEntry(parseImageIndex({ manifests: [arm] })).digest, d(1));
  assert.throws(() => selectIndexEntry(parseImageIndex({ manifests: [] })), /no manifests/);
});

test('manifest validation rejects bad digests, sizes and shapes with a sentence', () => {
  const ok = { schemaVersion: 2, config: desc('a/b', 1), layers: [desc('c/d', 2)] };
  assert.equal(parseImageManifest(ok).layers.length, 1);
  assert.throws(() => parseImageManifest({ ...ok, layers: [{ ...desc('c/d', 2), digest: 'sha256:ABC' }] }), /layer 0 has an invalid digest/);
  assert.throws(() => parseImageManifest({ ...ok, config: { ...desc('a/b', 1), size: -1 } }), /config has an invalid size/);
  assert.throws(() => parseImageManifest({ ...ok, schemaVersion: 1 }), /schemaVersion 2/);
  assert.throws(() => parseImageManifest('nope'), /not a JSON object/);
});

test('Chart.yaml metadata: fields, dependencies, numeric versions kept as text', () => {
  const parsed = parseChartYaml(
    [
      'apiVersion: v2',
      'name: podinfo',
      'version: 6.5.4',
      'appVersion: 1.10',
      'description: Podinfo Helm chart for Kubernetes',
      'type: application',
      'dependencies:',
      '  - name: redis',
      '    version: ">=17.0.0"',
      '    repository: oci://registry-1.docker.io/bitnamicharts',
      '    condition: redis.enabled',
      '  - not-a-mapping',
      'annotations:',
      '  category: Demo',
    ].join('\n'),
  );
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.chart, {
    name: 'podinfo',
    version: '6.5.4',
    apiVersion: 'v2',
    appVersion: '1.1',
    description: 'Podinfo Helm chart for Kubernetes',
    type: 'application',
    dependencies: [{ name: 'redis', version: '>=17.0.0', repository: 'oci://registry-1.docker.io/bitnamicharts', condition: 'redis.enabled' }],
    annotations: { category: 'Demo' },
  });
});

test('broken Chart.yaml gives a problem value, never an exception', () => {
  const bad = parseChartYaml('name: [unclosed');
  assert.equal(bad.ok, false);
  assert.match(!bad.ok ? bad.message : '', /not valid YAML/);
  const noVersion = parseChartYaml('name: x\n');
  assert.deepEqual(noVersion, { ok: false, message: 'Chart.yaml has no version.' });
  assert.equal(chartMetadataFromObject(['list']).ok, false);
  const bomb = parseChartYaml(`a: &a [x,x,x,x,x,x,x,x,x]\n${Array.from({ length: 200 }, (_, i) => `k${i}: *a`).join('\n')}\n`);
  assert.equal(bomb.ok, false, 'alias bombs are refused');
});

test('Chart.yaml is found in the packaged layout or at the top', () => {
  assert.equal(findChartYaml(['podinfo/values.yaml', 'podinfo/Chart.yaml', 'podinfo/charts/redis/Chart.yaml']), 'podinfo/Chart.yaml');
  assert.equal(findChartYaml(['Chart.yaml', 'values.yaml']), 'Chart.yaml');
  assert.equal(findChartYaml(['a/b/Chart.yaml']), undefined);
});
