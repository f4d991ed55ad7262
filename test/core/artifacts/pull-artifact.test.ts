import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pullArtifact, type PullProgress, type PullRequest } from '../../../core/artifacts/pull-artifact';
import { ContentCache } from '../../../core/artifacts/content-cache';
import { MediaType } from '../../../core/artifacts/manifest-model';
import { summarizeArtifact, renderSummaryMarkdown, renderSummaryText } from '../../../core/artifacts/inspect-summary';
import { compareTrees, readFilePair } from '../../../core/artifacts/compare';
import { tgz, type TarEntry } from '../../support/tar';
import type { Descriptor } from '../../../core/artifacts/manifest-model';
import { MemorySource, digestOf } from './memory-source';

function tempCache(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'flux-oci-cache-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function chartSource(version: string, extra: Record<string, string> = {}, provenance = true) {
  const source = new MemorySource();
  const chart = tgz([
    { name: 'podinfo/Chart.yaml', content: `apiVersion: v2\nname: podinfo\nversion: ${version}\nappVersion: "6.0"\ndescription: Demo chart\ndependencies:\n  - name: redis\n    version: 17.x\n` },
    { name: 'podinfo/values.yaml', content: 'replicaCount: 1\n' },
    ...Object.entries(extra).map(([name, content]) => ({ name: `podinfo/${name}`, content })),
  ]);
  const config = source.blob(JSON.stringify({ name: 'podinfo', version }), MediaType.helmConfig);
  const layers = [source.blob(chart, MediaType.helmChart)];
  if (provenance) layers.unshift(source.blob('-----BEGIN PGP SIGNED MESSAGE-----\n', MediaType.helmProvenance));
  source.manifest({ schemaVersion: 2, config, layers, annotations: { 'org.opencontainers.image.created': '2024-01-01T00:00:00Z' } }, version);
  return { source, chartLayer: layers[layers.length - 1]! };
}

const request = (source: MemorySource, cache: string, reference: string, extra: Partial<PullRequest> = {}): PullRequest => ({
  source,
  cache,
  repository: 'charts/podinfo',
  reference,
  ...extra,
});

test('pulls a Helm chart: chart layer by media type, files, Chart.yaml metadata, progress with bytes', async () => {
  const { dir, cleanup } = tempCache();
  try {
    const { source, chartLayer } = chartSource('6.5.4', { 'files/noise.txt': randomBytes(3000).toString('hex') });
    const progress: PullProgress[] = [];
    const result = await pullArtifact(request(source, dir, '6.5.4', { onProgress: (p) => progress.push(p) }));
    assert.ok(result.ok, !result.ok ? result.problem.message : '');
    const pulled = result.value;
    assert.equal(pulled.kind, 'helm-chart');
    assert.equal(pulled.layer.layer.digest, chartLayer.digest);
    assert.match(pulled.layer.warning ?? '', /layer 0/);
    assert.deepEqual(
      pulled.files.map((f) => f.path),
      ['podinfo/Chart.yaml', 'podinfo/files/noise.txt', 'podinfo/values.yaml'],
    );
    assert.equal(readFileSync(join(pulled.root!, 'podinfo/values.yaml'), 'utf8'), 'replicaCount: 1\n');
    assert.equal(pulled.chart?.name, 'podinfo');
    assert.equal(pulled.chart?.appVersion, '6.0');
    assert.deepEqual(pulled.chart?.dependencies, [{ name: 'redis', version: '17.x' }]);
    assert.equal(pulled.annotations['org.opencontainers.image.created'], '2024-01-01T00:00:00Z');
    const layerProgress = progress.filter((p) => p.phase === 'layer');
    assert.equal(layerProgress.at(-1)?.bytes, chartLayer.size);
    assert.ok(layerProgress.length >= 2, 'progress is reported while streaming');
    assert.ok(existsSync(join(dir, 'blobs', 'sha256', chartLayer.digest.slice(7))));
    assert.deepEqual(readdirSync(join(dir, 'tmp')), [], 'no temp files left');

    // Second pull: served from the verified cache, no blob fetched again.
    const fetchesBefore = source.blobFetches.length;
    const again = await pullArtifact(request(source, dir, '6.5.4'));
    assert.ok(again.ok);
    assert.equal(source.blobFetches.length, fetchesBefore);

    const summary = summarizeArtifact(pulled);
    assert.equal(summary.kindLabel, 'Helm chart');
    const md = renderSummaryMarkdown(summary);
    assert.match(md, /\*\*Version:\*\* 6\.5\.4/);
    assert.match(md, /podinfo\/values\.yaml/);
    assert.match(md, /selected \(Helm chart content layer\)/);
    assert.match(renderSummaryText(summary), /chart: {5}podinfo 6\.5\.4 \(app 6\.0\)/);
  } finally {
    cleanup();
  }
});

test('a tampered layer is rejected by its digest and nothing is cached or extracted', async () => {
  const { dir, cleanup } = tempCache();
  try {
    const { source, chartLayer } = chartSource('1.0.0');
    const bad = Buffer.from(source.blobs.get(chartLayer.digest)!);
    bad[bad.length - 5] ^= 0x01;
    source.tampered.set(chartLayer.digest, bad);
    const result = await pullArtifact(request(source, dir, '1.0.0'));
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.problem.code, 'digest-mismatch');
    assert.match(!result.ok ? result.problem.message : '', new RegExp(chartLayer.digest));
    assert.equal(existsSync(new ContentCache(dir).blobPath(chartLayer.digest)), false);
    assert.equal(existsSync(join(dir, 'trees')), false);
    assert.deepEqual(readdirSync(join(dir, 'tmp')), []);
    // A truncated blob is a size mismatch, also refused.
    source.tampered.set(chartLayer.digest, bad.subarray(0, 10));
    const truncated = await pullArtifact(request(source, dir, '1.0.0'));
    assert.equal(!truncated.ok && truncated.problem.code, 'size-mismatch');
  } finally {
    cleanup();
  }
});

test('a corrupted cached blob is detected on read and fetched again', async () => {
  const { dir, cleanup } = tempCache();
  try {
    const { source, chartLayer } = chartSource('2.0.0');
    assert.ok((await pullArtifact(request(source, dir, '2.0.0'))).ok);
    const cache = new ContentCache(dir);
    writeFileSync(cache.blobPath(chartLayer.digest), 'garbage');
    assert.equal(await cache.verifiedBlob(chartLayer.digest), undefined);
    assert.equal(existsSync(cache.blobPath(chartLayer.digest)), false, 'the corrupt copy is removed');
    const before = source.blobFetches.length;
    writeFileSync(join(cache.treePath(chartLayer.digest), 'podinfo/values.yaml'), 'tampered: true and longer\n');
    const result = await pullArtifact(request(source, dir, '2.0.0'));
    assert.ok(result.ok);
    assert.ok(source.blobFetches.length > before);
    assert.equal(readFileSync(join(result.value.root!, 'podinfo/values.yaml'), 'utf8'), 'replicaCount: 1\n', 'a tree whose sizes changed is re-extracted');
  } finally {
    cleanup();
  }
});

test('a hostile layer is refused with the entry named and leaves nothing in the cache', async () => {
  const { dir, cleanup } = tempCache();
  try {
    const source = new MemorySource();
    const config = source.blob('{}', MediaType.fluxConfig);
    const layer = source.blob(
      tgz([
        { name: 'ok.yaml', content: 'a: 1\n' },
        { name: '../../escape.yaml', content: 'x' },
      ]),
      MediaType.fluxContent,
    );
    source.manifest({ schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [layer] }, 'v1');
    const result = await pullArtifact({ source, cache: dir, repository: 'manifests/app', reference: 'v1' });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.problem.code, 'unsafe-path');
    assert.equal(!result.ok && result.problem.entry, '../../escape.yaml');
    assert.equal(existsSync(join(dir, 'trees', 'sha256', layer.digest.slice(7))), false);
    assert.deepEqual(readdirSync(join(dir, 'tmp')), []);
    assert.equal(existsSync(join(dir, '..', 'escape.yaml')), false);
  } finally {
    cleanup();
  }
});

test('limits apply through the pull: too many files, too many bytes (declared layer size too)', async () => {
  const { dir, cleanup } = tempCache();
  try {
    const source = new MemorySource();
    const config = source.blob('{}', MediaType.fluxConfig);
    const layer = source.blob(tgz(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, content: 'x'.repeat(100) }))), MediaType.fluxContent);
    source.manifest({ schemaVersion: 2, config, layers: [layer] }, 'v1');
    const r1 = await pullArtifact({ source, cache: dir, repository: 'r', reference: 'v1', limits: { maxFiles: 3 } });
    assert.equal(!r1.ok && r1.problem.code, 'too-many-files');
    const r2 = await pullArtifact({ source, cache: dir, repository: 'r', reference: 'v1', limits: { maxBytes: 250 } });
    assert.equal(!r2.ok && r2.problem.code, 'too-many-bytes');
    const r3 = await pullArtifact({ source, cache: dir, repository: 'r', reference: 'v1', limits: { maxBytes: 50 } });
    assert.match(!r3.ok ? r3.problem.message : '', /compressed, more than/);
    const ok = await pullArtifact({ source, cache: dir, repository: 'r', reference: 'v1' });
    assert.equal(ok.ok && ok.value.files.length, 5);
  } finally {
    cleanup();
  }
});

test('container images: index → linux/amd64, layers listed but not downloaded unless asked', async () => {
  const { dir, cleanup } = tempCache();
  try {
    const source = new MemorySource();
    const mk = (arch: string) => {
      const config = source.blob(JSON.stringify({ architecture: arch, os: 'linux' }), MediaType.ociConfig);
      const layer = source.blob(tgz([{ name: `bin/${arch}`, content: arch }]), 'application/vnd.oci.image.layer.v1.tar+gzip');
      return { ...source.manifest({ schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [layer] }), layer };
    };
    const arm = mk('arm64');
    const amd = mk('amd64');
    source.manifest(
      {
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: [
          { mediaType: arm.mediaType, digest: arm.digest, size: arm.size, platform: { os: 'linux', architecture: 'arm64' } },
          { mediaType: amd.mediaType, digest: amd.digest, size: amd.size, platform: { os: 'linux', architecture: 'amd64' } },
        ],
      },
      'latest',
      MediaType.ociIndex,
    );
    const listed = await pullArtifact({ source, cache: dir, repository: 'img', reference: 'latest' });
    assert.ok(listed.ok);
    assert.equal(listed.value.kind, 'container-image');
    assert.equal(listed.value.digest, amd.digest);
    assert.ok(listed.value.indexDigest);
    assert.equal(listed.value.extracted, false);
    assert.equal(source.blobFetches.includes(amd.layer.digest), false, 'image layers are not downloaded');
    assert.equal(summarizeArtifact(listed.value).image?.architecture, 'amd64');
    const extracted = await pullArtifact({ source, cache: dir, repository: 'img', reference: 'latest', extractImageLayers: true });
    assert.ok(extracted.ok);
    assert.deepEqual(extracted.value.files, [{ path: 'bin/amd64', size: 5 }]);
  } finally {
    cleanup();
  }
});

test('a manifest whose bytes do not match the requested digest is refused', async () => {
  const { dir, cleanup } = tempCache();
  try {
    const { source } = chartSource('3.0.0');
    const real = source.manifests.get('3.0.0')!;
    const wrong = digestOf('something else');
    source.manifests.set(wrong, real);
    const result = await pullArtifact(request(source, dir, wrong));
    assert.equal(!result.ok && result.problem.code, 'digest-mismatch');
  } finally {
    cleanup();
  }
});

test('cancellation stops the pull with a "cancelled" problem', async () => {
  const { dir, cleanup } = tempCache();
  try {
    const { source } = chartSource('4.0.0');
    const controller = new AbortController();
    const result = await pullArtifact(request(source, dir, '4.0.0', { signal: controller.signal, onProgress: (p) => p.phase === 'layer' && p.bytes > 0 && controller.abort() }));
    assert.equal(!result.ok && result.problem.code, 'cancelled');
    assert.deepEqual(readdirSync(join(dir, 'tmp')), []);
  } finally {
    cleanup();
  }
});

test('signatures: the cosign .sig tag and the referrers fallback tag are found when asked', async () => {
  const { dir, cleanup } = tempCache();
  try {
    const { source } = chartSource('5.0.0', {}, false);
    const unsigned = await pullArtifact(request(source, dir, '5.0.0', { checkSignatures: true }));
    assert.ok(unsigned.ok);
    assert.equal(unsigned.value.signatures?.signed, false);
    const hexTag = unsigned.value.digest.replace(':', '-');
    const sigConfig = source.blob('{}', 'application/vnd.oci.image.config.v1+json');
    const sigLayer = source.blob('{"critical":{}}', MediaType.cosignSignature);
    source.manifest({ schemaVersion: 2, config: sigConfig, layers: [sigLayer] }, `${hexTag}.sig`);
    const signed = await pullArtifact(request(source, dir, '5.0.0', { checkSignatures: true }));
    assert.ok(signed.ok);
    assert.equal(signed.value.signatures?.signed, true);
    assert.equal(signed.value.signatures?.cosignTag, `${hexTag}.sig`);
    assert.match(renderSummaryMarkdown(summarizeArtifact(signed.value)), /Signed \(found via cosign tag\)/);
    const notAsked = await pullArtifact(request(source, dir, '5.0.0'));
    assert.equal(notAsked.ok && notAsked.value.signatures, undefined);
  } finally {
    cleanup();
  }
});

test('compare two chart versions: added, removed, changed with sizes, and a file pair for a text diff', async () => {
  const { dir, cleanup } = tempCache();
  try {
    const a = chartSource('1.0.0', { 'templates/a.yaml': 'kind: A\n', 'README.md': 'same\n' });
    const b = chartSource('1.1.0', { 'templates/b.yaml': 'kind: B\n', 'README.md': 'same\n' });
    const left = await pullArtifact(request(a.source, dir, '1.0.0'));
    const right = await pullArtifact(request(b.source, dir, '1.1.0'));
    assert.ok(left.ok && right.ok);
    const before = { root: left.value.root!, files: left.value.files };
    const after = { root: right.value.root!, files: right.value.files };
    const diff = await compareTrees(before, after);
    assert.deepEqual(diff.added, [{ path: 'podinfo/templates/b.yaml', status: 'added', sizeAfter: 8 }]);
    assert.deepEqual(diff.removed, [{ path: 'podinfo/templates/a.yaml', status: 'removed', sizeBefore: 8 }]);
    assert.deepEqual(
      diff.changed.map((c) => c.path),
      ['podinfo/Chart.yaml'],
    );
    assert.equal(diff.unchanged, 2);
    const pair = await readFilePair(before, after, 'podinfo/Chart.yaml');
    assert.match(pair.before.text ?? '', /version: 1\.0\.0/);
    assert.match(pair.after.text ?? '', /version: 1\.1\.0/);
    const onlyRight = await readFilePair(before, after, 'podinfo/templates/b.yaml');
    assert.equal(onlyRight.before.text, undefined);
    assert.equal(onlyRight.after.text, 'kind: B\n');
    const outside = await readFilePair(before, after, '../../../etc/passwd');
    assert.deepEqual([outside.before.text, outside.after.text], [undefined, undefined], 'paths not in the trees are never read');
  } finally {
    cleanup();
  }
});

test('summary renderers escape registry-supplied text', async () => {
  const { dir, cleanup } = tempCache();
  try {
    const source = new MemorySource();
    const config = source.blob('{}', MediaType.fluxConfig);
    const layer = source.blob(tgz([{ name: 'a.yaml', content: 'x' }]), MediaType.fluxContent);
    source.manifest({ schemaVersion: 2, config, layers: [layer], annotations: { 'org.opencontainers.image.source': '[click](javascript:alert(1))', note: '\u001b[31mred' } }, 'v1');
    const result = await pullArtifact({ source, cache: dir, repository: 'r', reference: 'v1' });
    assert.ok(result.ok);
    const summary = summarizeArtifact(result.value);
    assert.match(renderSummaryMarkdown(summary), /\\\[click\\\]\\\(javascript:alert\\\(1\\\)\\\)/);
    assert.doesNotMatch(renderSummaryText(summary), /\u001b/);
  } finally {
    cleanup();
  }
});

test('concurrent pulls of the same layer share one download and one extraction', async () => {
  const { dir, cleanup } = tempCache();
  try {
    const { source, chartLayer } = chartSource('7.0.0');
    const results = await Promise.all(Array.from({ length: 5 }, () => pullArtifact(request(source, dir, '7.0.0'))));
    assert.ok(results.every((r) => r.ok));
    assert.equal(source.blobFetches.filter((d) => d === chartLayer.digest).length, 1);
    assert.deepEqual(readdirSync(join(dir, 'tmp')), []);
  } finally {
    cleanup();
  }
});

/** A Flux artifact `v1` with one layer holding `entries`, served in 64 KiB pieces. */
function oneLayerArtifact(entries: TarEntry[]): { source: MemorySource; layer: Descriptor } {
  const source = new MemorySource();
  source.pieceBytes = 64 * 1024;
  const config = source.blob('{}', MediaType.fluxConfig);
  const layer = source.blob(tgz(entries), MediaType.fluxContent);
  source.manifest({ schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [layer] }, 'v1');
  return { source, layer };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

test('a cold pull extracts the layer while it downloads; a warm one reuses the tree without downloading', async () => {
  const { dir, cleanup } = tempCache();
  try {
    const { source, layer } = oneLayerArtifact([
      { name: 'first.yaml', content: 'a: 1\n' },
      { name: 'big.bin', content: randomBytes(3 * 1024 * 1024) },
    ]);
    let stagedBeforeTheEnd = false;
    source.beforePiece = async ({ digest, offset, length }) => {
      if (digest !== layer.digest || offset + source.pieceBytes < length) return;
      // The last piece of the layer: extraction should already have written the first file into its staging folder.
      for (let wait = 0; wait < 200 && !stagedBeforeTheEnd; wait++) {
        const tmp = join(dir, 'tmp');
        stagedBeforeTheEnd = readdirSync(tmp)
          .filter((name) => name.startsWith('.partial-'))
          .some((name) => existsSync(join(tmp, name, 'first.yaml')));
        if (!stagedBeforeTheEnd) await sleep(25);
      }
    };
    const cold = await pullArtifact({ source, cache: dir, repository: 'manifests/app', reference: 'v1' });
    assert.ok(cold.ok, cold.ok ? '' : cold.problem.message);
    assert.ok(stagedBeforeTheEnd, 'nothing was extracted before the layer finished downloading');
    assert.deepEqual(
      cold.value.files.map((f) => f.path),
      ['big.bin', 'first.yaml'],
    );
    const fetches = source.blobFetches.length;
    const warm = await pullArtifact({ source, cache: dir, repository: 'manifests/app', reference: 'v1' });
    assert.ok(warm.ok);
    assert.deepEqual(warm.value.files, cold.value.files);
    assert.equal(source.blobFetches.length, fetches, 'the warm pull downloaded again');
  } finally {
    cleanup();
  }
});

test('a layer the source refuses to serve fails the cold pull with that error, and leaves nothing staged', async () => {
  const { dir, cleanup } = tempCache();
  try {
    const { source, chartLayer } = chartSource('8.0.0');
    const fetchBlob = source.fetchBlob.bind(source);
    source.fetchBlob = async (repository, digest, options) => {
      if (digest === chartLayer.digest) throw new Error('the registry answered 500 for the layer');
      return fetchBlob(repository, digest, options);
    };
    const result = await pullArtifact(request(source, dir, '8.0.0'));
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.problem.message : '', /answered 500 for the layer/);
    assert.equal(existsSync(new ContentCache(dir).treePath(chartLayer.digest)), false);
    assert.deepEqual(readdirSync(join(dir, 'tmp')), []);
  } finally {
    cleanup();
  }
});

test('a cold pull does not remove the tree another pull of the same layer finished while it was downloading', async () => {
  const { dir, cleanup } = tempCache();
  try {
    const { source, layer } = oneLayerArtifact([
      { name: 'values.yaml', content: 'a: 1\n' },
      { name: 'big.bin', content: randomBytes(3 * 1024 * 1024) },
    ]);
    const layerFetches = () => source.blobFetches.filter((digest) => digest === layer.digest).length;
    let firstDone!: () => void;
    const firstFinished = new Promise<void>((resolve) => (firstDone = resolve));
    source.beforePiece = async ({ digest, offset, fetch }) => {
      if (digest !== layer.digest || fetch === 0 || offset === 0) return;
      // The second download is under way when the first pull finishes, and goes on after it.
      if (offset === source.pieceBytes) await firstFinished;
      else await sleep(2);
    };
    // Different limits: two pulls that do not share one run (as two processes on one cache would not).
    const fast = pullArtifact({ source, cache: dir, repository: 'manifests/app', reference: 'v1', limits: { maxFiles: 100 } });
    // The layer downloads are told apart by their order: the second pull starts once the first one's is under way.
    while (layerFetches() === 0) await sleep(1);
    const slow = pullArtifact({ source, cache: dir, repository: 'manifests/app', reference: 'v1', limits: { maxFiles: 200 } });
    const first = await fast;
    firstDone();
    assert.ok(first.ok, first.ok ? '' : first.problem.message);
    // The first pull handed out its tree: it must stay readable all the while the second one downloads and commits.
    let done = false;
    let missingWhileSecondRan = 0;
    const second = slow.finally(() => (done = true));
    while (!done) {
      if (!existsSync(join(first.value.root!, 'values.yaml'))) missingWhileSecondRan += 1;
      await sleep(2);
    }
    const secondResult = await second;
    assert.ok(secondResult.ok, secondResult.ok ? '' : secondResult.problem.message);
    assert.equal(layerFetches(), 2, 'the two pulls did not both download');
    assert.equal(missingWhileSecondRan, 0, "the first pull's tree was removed while the second pull ran");
    assert.equal(readFileSync(join(first.value.root!, 'values.yaml'), 'utf8'), 'a: 1\n');
    assert.deepEqual(await new ContentCache(dir).extractedTree(layer.digest), { files: first.value.files, skippedSymlinks: [], totalBytes: first.value.files.reduce((n, f) => n + f.size, 0) });
    assert.deepEqual(readdirSync(join(dir, 'tmp')), []);
  } finally {
    cleanup();
  }
});

test('a pull sharing a run that its first caller cancels gets its own run, whatever error the cancelled source raised', async () => {
  const { dir, cleanup } = tempCache();
  try {
    // The source raises a DOMException AbortError once the first caller's signal fires.
    const { source, layer } = oneLayerArtifact([{ name: 'big.bin', content: randomBytes(2 * 1024 * 1024) }]);
    source.beforePiece = ({ digest }) => (digest === layer.digest ? sleep(2) : undefined);
    const controller = new AbortController();
    const cancelled = pullArtifact({ source, cache: dir, repository: 'manifests/app', reference: 'v1', signal: controller.signal });
    // The run is the first caller's: the second joins once the layer download is under way.
    while (!source.blobFetches.includes(layer.digest)) await sleep(1);
    const sharing = pullArtifact({ source, cache: dir, repository: 'manifests/app', reference: 'v1' });
    setTimeout(() => controller.abort(), 20);
    const [first, second] = await Promise.all([cancelled, sharing]);
    assert.equal(!first.ok && first.problem.code, 'cancelled');
    assert.ok(second.ok, second.ok ? '' : `the sharing pull failed: ${second.problem.code} ${second.problem.message}`);
    assert.deepEqual(
      second.value.files.map((f) => f.path),
      ['big.bin'],
    );
  } finally {
    cleanup();
  }
});
