// 100,000 tags end to end: a real registry holding them, listed in 1,000-tag pages through the paging
// proxy, sorted newest first and resolved the way Flux would, with the request count checked.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RegistryClient } from '../../../core/oci/registry-client';
import { resolveRef } from '../../../core/versions/resolve-tag';
import { sortTagsNewestFirst } from '../../../core/versions/sort-tags';
import { startRegistry, type Registry } from '../../support/registry';
import { startPagingProxy, type PagingProxy } from '../../support/paging-proxy';
import { pushManyTags } from '../../support/registry-push';

// 100 majors × 100 minors × 10 patches = 100,000 distinct versions, plus a few non-version tags.
const TAGS = Array.from({ length: 100_000 }, (_, i) => `${Math.floor(i / 1000)}.${Math.floor(i / 10) % 100}.${i % 10}`);

describe('a repository with 100,000 tags', () => {
  let registry: Registry;
  let proxy: PagingProxy;
  before(async () => {
    registry = await startRegistry();
    await pushManyTags(registry, 'huge/app', [...TAGS, 'latest', 'main']);
    proxy = await startPagingProxy(registry.url, { paging: { style: 'relative', pageSize: 1000 } });
  });
  after(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it('lists every tag over 101 pages and resolves a range to the highest match', async () => {
    const client = new RegistryClient({ maxRetries: 0 });
    try {
      const list = await client.listTags({ registry: proxy.host, repository: 'huge/app' });
      assert.equal(list.tags.length, TAGS.length + 2);
      assert.equal(list.requestCount, 101, '100,002 tags in pages of 1,000');
      const sorted = sortTagsNewestFirst(list.tags);
      assert.equal(sorted[0], '99.99.9');
      assert.equal(sorted[TAGS.length - 1], '0.0.0');
      const result = resolveRef({ tags: list.tags, ref: { semver: '>=42.0.0 <42.50.0' }, helmChart: false });
      assert.equal(result.tag, '42.49.9');
      const tilde = resolveRef({ tags: list.tags, ref: { semver: '~7.3' }, helmChart: false });
      assert.equal(tilde.tag, '7.3.9');
    } finally {
      await client.close();
    }
  });
});
