// Which files are Helm chart templates: under `<chart>/templates/` (at any depth) of a directory holding Chart.yaml.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { join } from 'node:path';
import { helmChartOfTemplate } from '../../../core/workspace/helm-chart-files';

const charts = new Set([join('/repo', 'charts', 'app'), join('/repo', 'charts', 'app', 'charts', 'sub')]);
const asked: string[] = [];
const hasChartFile = (dir: string): boolean => {
  asked.push(dir);
  return charts.has(dir);
};

test("files under a chart's templates/ belong to the chart; everything else does not", () => {
  assert.equal(helmChartOfTemplate(join('/repo', 'charts', 'app', 'templates', 'deploy.yaml'), hasChartFile), join('/repo', 'charts', 'app'));
  assert.equal(helmChartOfTemplate(join('/repo', 'charts', 'app', 'templates', 'sub', 'x.yaml'), hasChartFile), join('/repo', 'charts', 'app'));
  assert.equal(helmChartOfTemplate(join('/repo', 'charts', 'app', 'charts', 'sub', 'templates', 'x.yaml'), hasChartFile), join('/repo', 'charts', 'app', 'charts', 'sub'));
  assert.equal(helmChartOfTemplate(join('/repo', 'charts', 'app', 'values.yaml'), hasChartFile), undefined);
  assert.equal(helmChartOfTemplate(join('/repo', 'charts', 'app', 'Chart.yaml'), hasChartFile), undefined);
  // A templates/ folder without a Chart.yaml next to it is an ordinary folder (e.g. Flux "templates" of a fleet repo).
  assert.equal(helmChartOfTemplate(join('/repo', 'clusters', 'templates', 'release.yaml'), hasChartFile), undefined);
  // A file named templates.yaml is not a folder.
  assert.equal(helmChartOfTemplate(join('/repo', 'charts', 'app', 'templates.yaml'), hasChartFile), undefined);
});

test('only the parents of templates/ folders are asked about', () => {
  asked.length = 0;
  helmChartOfTemplate(join('/repo', 'a', 'b', 'c', 'd.yaml'), hasChartFile);
  assert.deepEqual(asked, []);
  helmChartOfTemplate(join('/repo', 'x', 'templates', 'y', 'z.yaml'), hasChartFile);
  assert.deepEqual(asked, [join('/repo', 'x')]);
});
