// A chart's values.yaml from a real registry: parsed with its comments; one nested too deeply for the recursive YAML
// parser (a hostile chart) gives no values; a trickled layer ends at the user's registry timeout (or a shorter spec.timeout).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chartDownloadDeadline, loadChartValues } from '../../../core/live/chart-values';
import { RegistryClient } from '../../../core/oci/registry-client';
import { startRegistry, type Registry } from '../../support/registry';
import { startPagingProxy, type PagingProxy } from '../../support/paging-proxy';
import { pushChart } from './live-fixtures';

let registry: Registry;
let proxy: PagingProxy;
let dir: string;
let digest: string;

before(async () => {
  registry = await startRegistry();
  digest = (await pushChart(registry, 'charts/slow', { name: 'slow', version: '1.0.0', values: 'replicaCount: 1\n' })).digest;
  proxy = await startPagingProxy(registry.url);
  dir = mkdtempSync(join(tmpdir(), 'flux-oci-chart-deadline-'));
});
after(async () => {
  await proxy?.stop();
  await registry?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the user timeout bounds a chart download unless spec.timeout is shorter', () => {
  assert.deepEqual(chartDownloadDeadline(undefined, 15_000), { deadlineMs: 15_000, deadlineLabel: 'the registry timeout' });
  assert.deepEqual(chartDownloadDeadline(600_000, 15_000), { deadlineMs: 15_000, deadlineLabel: 'the registry timeout' });
  assert.deepEqual(chartDownloadDeadline(5_000, 15_000), { deadlineMs: 5_000, deadlineLabel: 'spec.timeout' });
});

test('a trickled chart layer ends at the deadline with a message naming it; the same chart loads when served normally', async () => {
  const client = new RegistryClient({ timeoutMs: 700 });
  try {
    proxy.faults.push({ match: /\/blobs\//, method: 'GET', times: 10, fault: { kind: 'trickle', everyMs: 50 } });
    const slow = await loadChartValues(client, { registry: proxy.host, repository: 'charts/slow' }, {}, digest, join(dir, 'a'), chartDownloadDeadline(undefined, client.requestTimeoutMs));
    assert.equal(slow.ok, false);
    assert.match(!slow.ok ? slow.message : '', /did not finish within 700 ms \(the registry timeout\)/);
    proxy.faults.length = 0;
    const fast = await loadChartValues(client, { registry: proxy.host, repository: 'charts/slow' }, {}, digest, join(dir, 'b'), chartDownloadDeadline(undefined, client.requestTimeoutMs));
    assert.ok(fast.ok, !fast.ok ? fast.message : '');
  } finally {
    await client.close();
  }
});

async function load(name: string, values: string) {
  const { digest: pushed } = await pushChart(registry, `charts/${name}`, { name, version: '1.0.0', values });
  const client = new RegistryClient({ diskCacheDir: join(dir, 'disk'), maxRetries: 0, timeoutMs: 5000 });
  try {
    return await loadChartValues(client, { registry: registry.host, repository: `charts/${name}`, insecure: true }, {}, pushed, join(dir, 'cache'));
  } finally {
    await client.close();
  }
}

test('values.yaml is parsed; one nested 2,000 levels deep gives no values and no crash', async () => {
  const plain = await load('plain', '# replicas\nreplicaCount: 1\n');
  assert.ok(plain.ok);
  assert.deepEqual(plain.chart.values?.toJS(), { replicaCount: 1 });
  const deep = await load('deep', `a: ${'['.repeat(2000)}${']'.repeat(2000)}\n`);
  assert.ok(deep.ok, JSON.stringify(deep));
  assert.equal(deep.chart.values, undefined);
});
