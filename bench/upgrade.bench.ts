// Benchmark: the upgrade report on a real-size chart (300 templates, a 2,000-line values.yaml, a schema) from a local
// registry — cold (pull, verify, extract both versions), warm content cache, and the comparison alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { toValueNode } from '../core/live/json-schema-validate';
import { loadChartVersion, type ChartLoad } from '../core/live/upgrade-charts';
import { buildUpgradeReport } from '../core/live/upgrade-report';
import { RegistryClient } from '../core/oci/registry-client';
import { LineMap } from '../core/text-range';
import { startRegistry } from '../test/support/registry';
import { pushUpgradeChart } from '../test/support/upgrade-charts';

const COMPONENTS = 100;
const TEMPLATES_PER_COMPONENT = 3;
const RUNS = 20;

function values(version: number): string {
  const out: string[] = [];
  for (let i = 0; i < COMPONENTS; i++) {
    const renamed = version === 2 && i % 10 === 0;
    out.push(
      `component${i}:`,
      `  # Enable component ${i}.`,
      '  enabled: true',
      '  replicaCount: 1',
      '  image:',
      `    repository: ghcr.io/acme/c${i}`,
      `    tag: "${version}.0.0"`,
      '    pullPolicy: IfNotPresent',
      '  resources:',
      '    limits:',
      '      cpu: 100m',
      `      memory: ${version === 2 && i % 2 === 0 ? 256 : 128}Mi`,
      '  service:',
      '    type: ClusterIP',
      ...(renamed ? ['    ports:', '      # The service port.', '      port: 8080'] : ['    # The service port.', '    port: 8080']),
      '  nodeSelector: {}',
      '  tolerations: []',
      '  extraEnv:',
      '    - name: A',
      '      value: b',
    );
  }
  return `${out.join('\n')}\n`;
}

function templates(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < COMPONENTS; i++) {
    for (let t = 0; t < TEMPLATES_PER_COMPONENT; t++)
      files[`templates/c${i}-${t}.yaml`] = `kind: ConfigMap\nmetadata:\n  name: c${i}-${t}\ndata:\n  replicas: "{{ .Values.component${i}.replicaCount }}"\n`;
  }
  return files;
}

const SCHEMA = { type: 'object', additionalProperties: { type: 'object', properties: { replicaCount: { type: 'integer', minimum: 0, maximum: 50 } } } };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function ok(result: ChartLoad) {
  if (!result.ok) throw new Error(result.message);
  return result.chart;
}

async function main(): Promise<void> {
  const registry = await startRegistry();
  const dir = mkdtempSync(join(tmpdir(), 'flux-oci-upgrade-bench-'));
  try {
    const files = templates();
    for (const version of [1, 2]) await pushUpgradeChart(registry, 'charts/big', { name: 'big', version: `${version}.0.0`, values: values(version), schema: SCHEMA, files });
    const releaseYaml = Array.from({ length: 50 }, (_, i) => `component${i}:\n  replicaCount: 3\n  service:\n    port: 9090\n`).join('');
    const release = toValueNode(parseDocument(releaseYaml).contents, new LineMap(releaseYaml));
    const repository = { registry: registry.host, repository: 'charts/big' };
    const cacheDir = join(dir, 'charts');
    const client = new RegistryClient({});
    const load = (reference: string) => loadChartVersion({ client, repository, request: {}, reference, cacheDir });

    const coldStart = performance.now();
    let [from, to] = await Promise.all([load('1.0.0'), load('2.0.0')]);
    const report = await buildUpgradeReport({ source: 'oci://bench/big', from: ok(from), to: ok(to), release });
    const coldMs = performance.now() - coldStart;

    const warm: number[] = [];
    const compare: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      [from, to] = await Promise.all([load('1.0.0'), load('2.0.0')]);
      const loaded = performance.now();
      await buildUpgradeReport({ source: 'oci://bench/big', from: ok(from), to: ok(to), release });
      warm.push(performance.now() - t);
      compare.push(performance.now() - loaded);
    }
    await client.close();
    if (report.values.dropped.length !== 5) throw new Error(`expected 5 dropped keys, got ${report.values.dropped.length}`);

    const valuesLines = values(1).split('\n').length - 1;
    console.log('| measurement | value |');
    console.log('|---|---|');
    console.log(`| chart | ${COMPONENTS * TEMPLATES_PER_COMPONENT} templates, ${valuesLines}-line values.yaml, schema |`);
    console.log(`| report, cold (pull + verify + extract both versions, compare) | ${coldMs.toFixed(0)} ms |`);
    console.log(`| report, warm content cache (manifests asked again, blobs and trees reused), median of ${RUNS} | ${median(warm).toFixed(1)} ms |`);
    console.log(`| comparison alone (values, schema, Chart.yaml, crds/, templates, images), median | ${median(compare).toFixed(1)} ms |`);
    console.log(`| findings | ${report.findings.length} (${report.breaking} breaking; ${report.values.changedDefaultsTotal} changed defaults) |`);
  } finally {
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
