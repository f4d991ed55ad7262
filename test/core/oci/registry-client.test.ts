// RegistryClient against a real distribution 2.8 registry without auth: tags, manifests, blobs, 404s, caches, single-flight.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryClient } from '../../../core/oci/registry-client';
import { startRegistry, type Registry } from '../../support/registry';
import { pushHelmChart, pushImage, pushManyTags, pushFluxArtifact, type PushedArtifact } from '../../support/registry-push';
import { rejectsWith } from './registry-assertions';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

describe('RegistryClient on a real registry (anonymous)', () => {
  let registry: Registry;
  let chart: PushedArtifact;
  let image: PushedArtifact;
  const clients: RegistryClient[] = [];
  const newClient = (o: ConstructorParameters<typeof RegistryClient>[0] = {}) => {
    const c = new RegistryClient(o);
    clients.push(c);
    return c;
  };

  before(async () => {
    registry = await startRegistry();
    chart = await pushHelmChart(registry, 'charts/podinfo', { name: 'podinfo', version: '6.5.0+build.1', provenance: true });
    await pushHelmChart(registry, 'charts/podinfo', { name: 'podinfo', version: '6.4.0' });
    image = await pushImage(registry, 'apps/web', { tag: 'v1', format: 'docker' });
    await pushFluxArtifact(registry, 'manifests/app', { tag: 'latest' });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await registry.stop();
  });

  it('lists tags of a repository', async () => {
    const client = newClient();
    const list = await client.listTags({ registry: registry.host, repository: 'charts/podinfo' });
    assert.deepEqual([...list.tags].sort(), ['6.4.0', '6.5.0_build.1']);
    assert.equal(list.source, 'live');
    assert.equal(list.requestCount, 1);
  });

  it('lists 10,000 tags in one listing', async () => {
    const tags = Array.from({ length: 10_000 }, (_, i) => `1.${Math.floor(i / 100)}.${i % 100}`);
    await pushManyTags(registry, 'many/tags', tags);
    const client = newClient();
    const list = await client.listTags({ registry: registry.host, repository: 'many/tags' });
    assert.equal(list.tags.length, 10_000);
    assert.deepEqual(new Set(list.tags), new Set(tags));
    assert.equal(client.stats().tagListings, 1);
  });

  it('says "not found" for an unknown repository, tag and blob', async () => {
    const client = newClient();
    const repo = { registry: registry.host, repository: 'does/not-exist' };
    const e1 = await rejectsWith(client.listTags(repo), 'not-found');
    assert.match(e1.message, /does\/not-exist/);
    await rejectsWith(client.getManifest({ registry: registry.host, repository: 'charts/podinfo' }, '9.9.9'), 'tag-not-found');
    // distribution answers MANIFEST_UNKNOWN (not NAME_UNKNOWN) for a manifest of an unknown repository
    await rejectsWith(client.getManifest(repo, 'v1'), 'tag-not-found');
    await rejectsWith(client.fetchBlobBuffer({ registry: registry.host, repository: 'charts/podinfo' }, `sha256:${'0'.repeat(64)}`), 'not-found');
  });

  it('gets manifests with verified digests, by tag and by digest, and HEAD agrees', async () => {
    const client = newClient();
    const repo = { registry: registry.host, repository: 'charts/podinfo' };
    const byTag = await client.getManifest(repo, '6.5.0_build.1');
    assert.equal(byTag.digest, chart.digest);
    assert.equal(byTag.digest, sha(byTag.bytes));
    assert.equal(byTag.mediaType, 'application/vnd.oci.image.manifest.v1+json');
    const layers = (byTag.json as { layers: Array<{ mediaType: string }> }).layers;
    assert.equal(layers.length, 2);
    const head = await client.headManifest(repo, '6.5.0_build.1');
    assert.equal(head.digest, chart.digest);
    const byDigest = await newClient().getManifest(repo, chart.digest);
    assert.equal(byDigest.digest, chart.digest);
    const docker = await client.getManifest({ registry: registry.host, repository: 'apps/web' }, 'v1');
    assert.equal(docker.mediaType, 'application/vnd.docker.distribution.manifest.v2+json');
    assert.equal(docker.digest, image.digest);
  });

  it('streams a blob and verifies it, and reads a config blob whole', async () => {
    const client = newClient();
    const repo = { registry: registry.host, repository: 'charts/podinfo' };
    const chartLayer = chart.layers.find((l) => l.mediaType.endsWith('chart.content.v1.tar+gzip'));
    assert.ok(chartLayer);
    let progress = 0;
    const stream = await client.fetchBlob(repo, chartLayer.digest, { onProgress: (n) => (progress = n) });
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    assert.deepEqual(Buffer.concat(chunks), chart.content);
    assert.equal(progress, chart.content.length);
    const config = JSON.parse((await client.fetchBlobBuffer(repo, chart.config.digest)).toString()) as { name: string; version: string };
    assert.equal(config.name, 'podinfo');
    assert.equal(config.version, '6.5.0+build.1');
    await rejectsWith(client.fetchBlobBuffer(repo, chartLayer.digest, { maxBytes: 10 }), 'too-large');
  });

  it('shares one listing between 200 concurrent callers', async () => {
    const client = newClient();
    const repo = { registry: registry.host, repository: 'charts/podinfo' };
    const results = await Promise.all(Array.from({ length: 200 }, () => client.listTags(repo)));
    assert.equal(client.stats().tagListings, 1);
    assert.equal(client.stats().requests, 1);
    assert.ok(results.every((r) => r.tags.length === 2));
  });

  it('answers from memory within the TTL and lists again on refresh or after it', async () => {
    const client = newClient({ cacheTtlMs: 300 });
    const repo = { registry: registry.host, repository: 'charts/podinfo' };
    await client.listTags(repo);
    assert.equal((await client.listTags(repo)).source, 'memory');
    assert.equal(client.stats().tagListings, 1);
    assert.equal((await client.listTags(repo, { refresh: true })).source, 'live');
    assert.equal(client.stats().tagListings, 2);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal((await client.listTags(repo)).source, 'live');
    assert.equal(client.stats().tagListings, 3);
  });

  it('refuses plain HTTP to a non-loopback host unless insecure', async () => {
    const client = newClient({ insecureHosts: [] });
    await rejectsWith(client.listTags({ registry: registry.host, repository: 'charts/podinfo' }), 'unreachable').catch(() => undefined);
    // with no insecure hosts the client speaks TLS to the plain-HTTP registry, which fails; insecure: true speaks HTTP
    const list = await client.listTags({ registry: registry.host, repository: 'charts/podinfo', insecure: true });
    assert.equal(list.tags.length, 2);
  });
});

describe('disk cache answers when the registry is gone', () => {
  it('returns the cached tag list marked stale after the registry stops, and offline mode reads it too', async () => {
    const registry = await startRegistry();
    const dir = mkdtempSync(join(tmpdir(), 'flux-oci-cache-'));
    try {
      await pushHelmChart(registry, 'charts/app', { name: 'app', version: '1.0.0' });
      const repo = { registry: registry.host, repository: 'charts/app' };
      const first = new RegistryClient({ diskCacheDir: dir, maxRetries: 0 });
      const live = await first.listTags(repo);
      const manifest = await first.getManifest(repo, '1.0.0');
      assert.equal(live.source, 'live');
      await first.close();
      await registry.stop();
      const second = new RegistryClient({ diskCacheDir: dir, maxRetries: 0, timeoutMs: 2000 });
      const stale = await second.listTags(repo);
      assert.equal(stale.source, 'disk-stale');
      assert.deepEqual(stale.tags, ['1.0.0']);
      assert.equal(stale.fetchedAt, live.fetchedAt);
      const staleManifest = await second.getManifest(repo, '1.0.0');
      assert.equal(staleManifest.source, 'disk-stale');
      assert.equal(staleManifest.digest, manifest.digest);
      await rejectsWith(second.listTags({ registry: registry.host, repository: 'charts/other' }), 'unreachable');
      await second.close();
      const offline = new RegistryClient({ diskCacheDir: dir, offline: true });
      assert.equal((await offline.listTags(repo)).source, 'disk-stale');
      await rejectsWith(offline.listTags({ registry: registry.host, repository: 'charts/other' }), 'offline');
      assert.equal(offline.stats().requests, 0);
      await offline.close();
    } finally {
      await registry.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
