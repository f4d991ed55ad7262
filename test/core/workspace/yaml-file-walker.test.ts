// The YAML file walker shared by the server's workspace scan and `flux-oci check`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeYamlBytes, isHelmChartTemplateFile, readYamlFile, walkYamlFiles } from '../../../core/workspace/yaml-file-walker';

describe('yaml file walker', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'flux-oci-walk-'));
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    mkdirSync(join(root, 'node_modules'), { recursive: true });
    mkdirSync(join(root, '.git'), { recursive: true });
    writeFileSync(join(root, 'a', 'one.yaml'), 'a: 1\n');
    writeFileSync(join(root, 'a', 'b', 'two.YML'), 'b: 2\n');
    writeFileSync(join(root, 'a', 'three.json'), '{}');
    writeFileSync(join(root, 'node_modules', 'x.yaml'), 'x: 1\n');
    writeFileSync(join(root, '.git', 'x.yaml'), 'x: 1\n');
    symlinkSync(join(root, 'a'), join(root, 'loop'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('finds YAML files recursively, skipping node_modules, .git and directory symlinks', async () => {
    const result = await walkYamlFiles(root);
    assert.deepEqual(result.files, [join(root, 'a', 'b', 'two.YML'), join(root, 'a', 'one.yaml')]);
    assert.equal(result.truncated, false);
  });

  it('skips the templates/ folders of Helm charts (a directory holding Chart.yaml), and nothing else', async () => {
    const charts = join(__dirname, '../../fixtures/helm-chart');
    const result = await walkYamlFiles(charts);
    assert.deepEqual(result.files, [join(charts, 'app', 'Chart.yaml'), join(charts, 'app', 'charts', 'sub', 'Chart.yaml'), join(charts, 'app', 'values.yaml')]);
    assert.deepEqual(result.chartTemplateDirs.sort(), [join(charts, 'app', 'charts', 'sub', 'templates'), join(charts, 'app', 'templates')]);
    assert.equal(isHelmChartTemplateFile(join(charts, 'app', 'templates', 'ocirepository.yaml')), true);
    assert.equal(isHelmChartTemplateFile(join(charts, 'app', 'charts', 'sub', 'templates', 'release.yaml')), true);
    assert.equal(isHelmChartTemplateFile(join(charts, 'app', 'values.yaml')), false);
    mkdirSync(join(root, 'templates'), { recursive: true });
    writeFileSync(join(root, 'templates', 'not-a-chart.yaml'), 'a: 1\n');
    assert.equal(isHelmChartTemplateFile(join(root, 'templates', 'not-a-chart.yaml')), false);
    assert.ok((await walkYamlFiles(root)).files.includes(join(root, 'templates', 'not-a-chart.yaml')));
    rmSync(join(root, 'templates'), { recursive: true });
  });

  it('stops at maxFiles and says so', async () => {
    const result = await walkYamlFiles(root, { maxFiles: 1 });
    assert.equal(result.files.length, 1);
    assert.equal(result.truncated, true);
  });

  it('refuses binary, non-UTF-8 and oversized content', async () => {
    assert.deepEqual(decodeYamlBytes(Buffer.from('a: é\n')), { ok: true, text: 'a: é\n' });
    assert.deepEqual(decodeYamlBytes(Buffer.from([0xef, 0xbb, 0xbf, 0x61])), { ok: true, text: 'a' });
    assert.equal(decodeYamlBytes(Buffer.from([0x61, 0x00])).ok, false);
    assert.equal(decodeYamlBytes(Buffer.from([0x61, 0xe9, 0x0a])).ok, false);
    const big = join(root, 'big.yaml');
    writeFileSync(big, 'a: 1\n'.repeat(100));
    assert.deepEqual(await readYamlFile(big, 10), { ok: false, reason: 'larger than 0 MB' });
    assert.deepEqual(await readYamlFile(join(root, 'missing.yaml')), { ok: false, reason: 'no such file or directory' });
  });
});
