// Benchmark: resolving a semver range over 10,000 tags on a local distribution registry, side by side with skopeo,
// and the request count for 200 OCIRepositories on one repository. Prints markdown tables; asserts nothing about time.
import { execFileSync } from 'node:child_process';
import { RegistryClient } from '../core/oci/registry-client';
import { resolveRef } from '../core/versions/resolve-tag';
import { startRegistry } from '../test/support/registry';
import { pushManyTags } from '../test/support/registry-push';

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const registry = await startRegistry();
  try {
    const tags = Array.from({ length: 10_000 }, (_, i) => `${Math.floor(i / 1000)}.${Math.floor(i / 10) % 100}.${i % 10}`);
    await pushManyTags(registry, 'bench/app', tags);
    const repo = { registry: registry.host, repository: 'bench/app' };

    const ours: number[] = [];
    let requests = 0;
    let selected: string | undefined;
    for (let run = 0; run < RUNS; run++) {
      const client = new RegistryClient();
      const start = performance.now();
      const listing = await client.listTags(repo);
      selected = resolveRef({ tags: listing.tags, ref: { semver: '>=3.0.0 <4.0.0' }, helmChart: false }).tag;
      ours.push(performance.now() - start);
      requests = client.stats().requests;
      await client.close();
    }

    const skopeo: number[] = [];
    let skopeoCount = 0;
    for (let run = 0; run < RUNS; run++) {
      const start = performance.now();
      const out = execFileSync('skopeo', ['list-tags', '--tls-verify=false', `docker://${registry.host}/bench/app`], { encoding: 'utf8', maxBuffer: 64 << 20 });
      skopeo.push(performance.now() - start);
      skopeoCount = (JSON.parse(out) as { Tags: string[] }).Tags.length;
    }

    const ourMedian = median(ours);
    const skopeoMedian = median(skopeo);
    console.log('### Resolve `>=3.0.0 <4.0.0` over 10,000 tags (local distribution 2.8, median of 5 cold runs)\n');
    console.log('| client | wall time (ms) | HTTP requests | tags | result |');
    console.log('|---|---:|---:|---:|---|');
    console.log(`| flux-oci RegistryClient + resolveRef | ${ourMedian.toFixed(1)} | ${requests} | 10000 | ${selected ?? '(none)'} |`);
    console.log(`| skopeo list-tags (listing only, process start included) | ${skopeoMedian.toFixed(1)} | n/a | ${skopeoCount} | |`);
    console.log(`\nratio skopeo / flux-oci: ${(skopeoMedian / ourMedian).toFixed(2)}x\n`);

    const shared = new RegistryClient();
    const start = performance.now();
    await Promise.all(Array.from({ length: 200 }, () => shared.listTags(repo)));
    const wall = performance.now() - start;
    const stats = shared.stats();
    await shared.close();
    console.log('### 200 OCIRepositories on one repository (concurrent, one client)\n');
    console.log('| OCIRepositories | tag listings | HTTP requests | wall time (ms) |');
    console.log('|---:|---:|---:|---:|');
    console.log(`| 200 | ${stats.tagListings} | ${stats.requests} | ${wall.toFixed(1)} |`);
    if (stats.tagListings !== 1) {
      console.error(`expected 1 tag listing, saw ${stats.tagListings}`);
      process.exitCode = 1;
    }
  } finally {
    await registry.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
