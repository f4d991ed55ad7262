// Chart-to-chart differences on extracted trees written to disk: Chart.yaml fields (dependencies by name and alias,
// deprecated), CRDs by content (subcharts' crds/ included), templates by path, and a renamed chart folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chartYamlChanges, diffCharts, type ExtractedChart } from '../../../core/artifacts/chart-diff';
import type { ChartMetadata } from '../../../core/artifacts/chart-metadata';

function tree(root: string, files: Record<string, string>, chart?: ChartMetadata): ExtractedChart {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return { root, files: Object.entries(files).map(([path, content]) => ({ path, size: Buffer.byteLength(content) })), ...(chart ? { chart } : {}) };
}

test('Chart.yaml: dependencies keyed by name and alias, removed ones, deprecated back to false, kubeVersion dropped', () => {
  const before: ChartMetadata = {
    name: 'a',
    version: '1.0.0',
    kubeVersion: '>=1.20.0',
    deprecated: true,
    dependencies: [
      { name: 'redis', version: '1.0.0', alias: 'cache' },
      { name: 'redis', version: '1.0.0' },
      { name: 'old', version: '0.1.0' },
    ],
  };
  const after: ChartMetadata = {
    name: 'a',
    version: '1.0.0',
    dependencies: [
      { name: 'redis', version: '2.0.0', alias: 'cache' },
      { name: 'redis', version: '1.0.0' },
    ],
  };
  assert.deepEqual(chartYamlChanges(before, after), [
    { field: 'kubeVersion', before: '>=1.20.0' },
    { field: 'deprecated', before: true, after: false },
    { field: 'dependency', name: 'redis (as cache)', change: 'version', before: '1.0.0', after: '2.0.0' },
    { field: 'dependency', name: 'old', change: 'removed', before: '0.1.0' },
  ]);
  assert.deepEqual(chartYamlChanges(after, after), []);
});

test("CRDs by content (a subchart's included), templates by path, tests and NOTES left out, across a renamed chart folder", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flux-oci-chart-diff-'));
  try {
    const before = tree(join(dir, 'a'), {
      'old/Chart.yaml': 'name: old\n',
      'old/crds/a.yaml': 'kind: CustomResourceDefinition # a\n',
      'old/crds/b.yaml': 'kind: CustomResourceDefinition # b\n',
      'old/charts/sub/crds/s.yaml': 'kind: CustomResourceDefinition # s\n',
      'old/templates/deploy.yaml': 'kind: Deployment\n',
      'old/templates/gone.yaml': 'kind: Service\n',
      'old/templates/tests/t.yaml': 'kind: Pod\n',
    });
    const after = tree(join(dir, 'b'), {
      'new/Chart.yaml': 'name: new\n',
      'new/crds/a.yaml': 'kind: CustomResourceDefinition # A\n',
      'new/charts/sub/crds/s.yaml': 'kind: CustomResourceDefinition # s\n',
      'new/charts/sub/crds/t.yaml': 'kind: CustomResourceDefinition # t\n',
      'new/templates/deploy.yaml': 'kind: Deployment # changed, not listed\n',
      'new/templates/NOTES.txt': 'hello\n',
      'new/templates/tests/u.yaml': 'kind: Pod\n',
    });
    const diff = await diffCharts(before, after);
    assert.deepEqual(diff.crds, { added: ['charts/sub/crds/t.yaml'], removed: ['crds/b.yaml'], changed: ['crds/a.yaml'] });
    assert.deepEqual(diff.templates, { added: [], removed: ['templates/gone.yaml'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
