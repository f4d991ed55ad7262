// A chart's values.yaml from a real registry: parsed with its comments, and one nested too deeply for the
// recursive YAML parser (a hostile chart) gives no values instead of a stack overflow.
import { after, before, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadChartValues } from '../../../core/live/chart-values';
import { RegistryClient } from '../../../core/oci/registry-client';
import { startRegistry, type Registry } from '../../support/registry';
import { pushChart } from './live-fixtures';

let registry: Registry;
let dir: string;
before(async () => {
  registry = await startRegistry();
  dir = mkdtempSync(join(tmpdir(), 'flux-oci-chart-values-'));
});
after(async () => {
  await registry?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function load(name: string, values: string) {
  const { digest } = await pushChart(registry, `charts/${name}`, { name, version: '1.0.0', values });
  const client = new RegistryClient({ diskCacheDir: join(dir, 'disk'), maxRetries: 0, timeoutMs: 5000 });
  return loadChartValues(client, { registry: registry.host, repository: `charts/${name}`, insecure: true }, {}, digest, join(dir, 'cache'));
}

test('values.yaml is parsed; one nested 2,000 levels deep gives no values and no crash', async () => {
  const plain = await load('plain', '# replicas\nreplicaCount: 1\n');
  assert.ok(plain.ok);
  assert.deepEqual(plain.chart.values?.toJS(), { replicaCount: 1 });
  const deep = await load('deep', `a: ${'['.repeat(2000)}${']'.repeat(2000)}\n`);
  assert.ok(deep.ok, JSON.stringify(deep));
  assert.equal(deep.chart.values, undefined);
});
