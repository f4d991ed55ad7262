// Tag pagination styles and injected faults, through a paging proxy in front of a real registry.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RegistryClient } from '../../../core/oci/registry-client';
import { RegistryError } from '../../../core/oci/errors';
import { startRegistry, type Registry } from '../../support/registry';
import { startPagingProxy, type PagingProxy, type PagingOptions } from '../../support/paging-proxy';
import { pushHelmChart, pushManyTags, type PushedArtifact } from '../../support/registry-push';
import { rejectsWith } from './registry-assertions';

const TAGS = Array.from({ length: 2500 }, (_, i) => `0.${Math.floor(i / 50)}.${i % 50}`);

describe('tag pagination through a paging proxy', () => {
  let registry: Registry;
  let proxy: PagingProxy;
  before(async () => {
    registry = await startRegistry();
    await pushManyTags(registry, 'paged/app', TAGS);
    proxy = await startPagingProxy(registry.url);
  });
  after(async () => {
    await proxy.stop();
    await registry.stop();
  });

  const list = async (paging: PagingOptions) => {
    proxy.paging = paging;
    proxy.requests.length = 0;
    const client = new RegistryClient({ maxRetries: 0 });
    try {
      return await client.listTags({ registry: proxy.host, repository: 'paged/app' });
    } finally {
      await client.close();
    }
  };

  for (const style of ['absolute', 'relative', 'opaque'] as const) {
    it(`follows ${style} Link headers to the last page`, async () => {
      const result = await list({ style, pageSize: 100 });
      assert.equal(result.tags.length, TAGS.length);
      assert.deepEqual(new Set(result.tags), new Set(TAGS));
      assert.equal(result.requestCount, 25);
      assert.ok(proxy.requests[0].path.includes('n=1000'), 'asks for n=1000');
    });
  }

  it('copes with a registry that caps n and lists oldest-first (order kept as listed)', async () => {
    const reversed = [...TAGS].reverse();
    const result = await list({ style: 'relative', pageSize: 1000, honourN: false, order: () => reversed });
    assert.deepEqual(result.tags, reversed);
    assert.equal(result.requestCount, 3);
  });

  it('refuses a next link on another origin', async () => {
    proxy.paging = { style: 'cross-origin', pageSize: 100 };
    const client = new RegistryClient({ maxRetries: 0 });
    const error = await rejectsWith(client.listTags({ registry: proxy.host, repository: 'paged/app' }), 'protocol');
    assert.match(error.message, /another host/);
    assert.equal(proxy.other.requests.length, 0);
    await client.close();
  });

  it('stops when the next link repeats a URL already fetched', async () => {
    const result = await list({ style: 'self-loop', pageSize: 5000, honourN: false });
    assert.equal(result.tags.length, TAGS.length);
    assert.equal(result.requestCount, 1);
  });

  it('handles distribution 2.8 ignoring n (all tags, no Link) without looping', async () => {
    const client = new RegistryClient();
    const result = await client.listTags({ registry: registry.host, repository: 'paged/app' });
    assert.equal(result.tags.length, TAGS.length);
    assert.equal(result.requestCount, 1);
    await client.close();
  });
});

describe('fault injection', () => {
  let registry: Registry;
  let proxy: PagingProxy;
  let chart: PushedArtifact;
  before(async () => {
    registry = await startRegistry({ auth: { htpasswd: { user: 'ci', pass: 'fault-pass-123' } } });
    chart = await pushHelmChart(registry, 'charts/faulty', { name: 'faulty', version: '1.0.0' });
    proxy = await startPagingProxy(registry.url, { upstreamAuth: registry.pushAuth });
  });
  after(async () => {
    await proxy.stop();
    await registry.stop();
  });
  const repo = () => ({ registry: proxy.host, repository: 'charts/faulty' });
  const newClient = () => new RegistryClient({ credentials: { name: 'test credentials', lookup: async () => ({ username: 'ci', password: 'fault-pass-123', source: 'test credentials' }) } });

  it('waits for Retry-After on 429 and then succeeds', async () => {
    proxy.faults.push({ match: /tags\/list/, fault: { kind: 'status', status: 429, retryAfter: '1' } });
    const client = newClient();
    const started = Date.now();
    const result = await client.listTags(repo());
    assert.deepEqual(result.tags, ['1.0.0']);
    assert.ok(Date.now() - started >= 900, 'honoured Retry-After: 1');
    await client.close();
  });

  it('gives up with rate-limited when 429s continue, with a bounded number of attempts', async () => {
    proxy.faults.push({ match: /tags\/list/, times: 100, fault: { kind: 'status', status: 429, retryAfter: '0' } });
    const client = new RegistryClient({ maxRetries: 2, credentials: newClientCreds() });
    proxy.requests.length = 0;
    const error = await rejectsWith(client.listTags(repo()), 'rate-limited');
    assert.match(error.message, /rate-limiting/);
    assert.ok(proxy.requests.length <= 4, `bounded attempts, saw ${proxy.requests.length}`);
    proxy.faults.length = 0;
    await client.close();
  });

  it('retries a 500 and a connection reset', async () => {
    proxy.faults.push({ match: /tags\/list/, fault: { kind: 'status', status: 500 } });
    proxy.faults.push({ match: /manifests/, fault: { kind: 'reset' } });
    const client = newClient();
    assert.deepEqual((await client.listTags(repo())).tags, ['1.0.0']);
    assert.equal((await client.getManifest(repo(), '1.0.0')).digest, chart.digest);
    await client.close();
  });

  it('retries a truncated manifest body', async () => {
    proxy.faults.push({ match: /manifests\/1\.0\.0/, method: 'GET', fault: { kind: 'truncate' } });
    const client = newClient();
    assert.equal((await client.getManifest(repo(), '1.0.0')).digest, chart.digest);
    await client.close();
  });

  it('rejects a manifest with a flipped byte (digest mismatch), by tag and by digest, without retrying into success', async () => {
    proxy.faults.push({ match: /manifests\//, method: 'GET', times: 2, fault: { kind: 'flip-byte' } });
    const client = newClient();
    await rejectsWith(client.getManifest(repo(), '1.0.0'), 'digest-mismatch');
    await rejectsWith(client.getManifest(repo(), chart.digest), 'digest-mismatch');
    await client.close();
  });

  it('rejects a blob with a flipped byte before the stream ends', async () => {
    proxy.faults.push({ match: new RegExp(chart.layers[0].digest), method: 'GET', fault: { kind: 'flip-byte' } });
    const client = newClient();
    const stream = await client.fetchBlob(repo(), chart.layers[0].digest);
    let received = 0;
    let ended = false;
    stream.on('end', () => (ended = true));
    await assert.rejects(
      (async () => {
        for await (const c of stream) received += (c as Buffer).length;
      })(),
      (e: unknown) => e instanceof RegistryError && e.code === 'digest-mismatch',
    );
    assert.equal(ended, false);
    assert.ok(received < chart.layers[0].size, 'the last chunk is held back until verified');
    await client.close();
  });

  it('follows a blob redirect to another origin without sending Authorization there', async () => {
    proxy.faults.push({ match: /\/blobs\//, method: 'GET', fault: { kind: 'redirect-blob' } });
    proxy.requests.length = 0;
    proxy.other.requests.length = 0;
    const client = newClient();
    const bytes = await client.fetchBlobBuffer(repo(), chart.layers[0].digest);
    assert.deepEqual(bytes, chart.content);
    const blobRequest = proxy.requests.find((r) => r.path.includes('/blobs/') && r.authorization);
    assert.ok(blobRequest, 'the registry itself got Authorization');
    assert.equal(proxy.other.requests.length, 1);
    assert.equal(proxy.other.requests[0].authorization, false, 'Authorization must not cross origins');
    await client.close();
  });
});

function newClientCreds() {
  return { name: 'test credentials', lookup: async () => ({ username: 'ci', password: 'fault-pass-123', source: 'test credentials' }) };
}
