// `flux-oci check` end to end on real files: exit codes, directory walking, cross-file resolution,
// and the exact text, JSON and SARIF output shapes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run } from '../../cli/commands/check';
import { HELMRELEASE_V1, OCI_WITH_BRANCH, OCI_WITH_SECRET_REF, SECRET_REGCRED } from '../server/fixtures';

async function check(argv: string[]) {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n  namespace: apps\ndata:\n  a: "1"\n';

describe('flux-oci check', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'flux-oci-check-'));
    mkdirSync(join(root, 'clean', 'nested'), { recursive: true });
    writeFileSync(join(root, 'clean', 'nested', 'configmap.yaml'), CONFIGMAP);
    writeFileSync(join(root, 'clean', 'readme.md'), '# not yaml');
    mkdirSync(join(root, 'broken', 'node_modules', 'x'), { recursive: true });
    mkdirSync(join(root, 'broken', '.git'), { recursive: true });
    writeFileSync(join(root, 'broken', 'helm-v1.yaml'), HELMRELEASE_V1);
    writeFileSync(join(root, 'broken', 'oci.yml'), OCI_WITH_BRANCH);
    writeFileSync(join(root, 'broken', 'node_modules', 'x', 'skip.yaml'), HELMRELEASE_V1);
    writeFileSync(join(root, 'broken', '.git', 'skip.yaml'), HELMRELEASE_V1);
    writeFileSync(join(root, 'broken', 'binary.yaml'), Buffer.from([0, 1, 2, 3]));
    mkdirSync(join(root, 'cross'), { recursive: true });
    writeFileSync(join(root, 'cross', 'source.yaml'), OCI_WITH_SECRET_REF);
    writeFileSync(join(root, 'cross', 'secret.yaml'), SECRET_REGCRED);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('exits 2 with a clear message for a missing path', async () => {
    const missing = join(root, 'does-not-exist');
    const result = await check([missing]);
    assert.equal(result.code, 2);
    assert.equal(result.out, '');
    assert.match(result.err, /does-not-exist: no such file or directory/);
  });

  it('exits 2 on an unknown format or option, and 0 for --help', async () => {
    assert.equal((await check(['--format', 'xml', root])).code, 2);
    assert.equal((await check(['--format'])).code, 2);
    const unknown = await check(['--frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown option "--frobnicate"/);
    const help = await check(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /usage: flux-oci check/);
  });

  it('skips Helm chart templates (walked or named) and reports syntax errors of templated documents elsewhere', async () => {
    const charts = join(__dirname, '../fixtures/helm-chart');
    const walked = await check(['--format', 'json', charts]);
    assert.equal(walked.code, 0, walked.err);
    const json = JSON.parse(walked.out) as { files: Array<{ path: string; diagnostics: unknown[] }> };
    assert.deepEqual(json.files.map((f) => f.path.slice(charts.length + 1)).sort(), ['app/Chart.yaml', 'app/charts/sub/Chart.yaml', 'app/values.yaml']);
    assert.match(walked.err, /skipped .*app[\\/]templates: Helm chart templates/);
    const named = await check([join(charts, 'app', 'templates', 'ocirepository.yaml')]);
    assert.equal(named.code, 0);
    assert.match(named.err, /skipped .*ocirepository\.yaml: a Helm chart template/);
    mkdirSync(join(root, 'templated'), { recursive: true });
    writeFileSync(join(root, 'templated', 'release.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "{{ .Release.Name }}"\ndata:\n  a: "unclosed\n');
    const templated = await check([join(root, 'templated')]);
    assert.equal(templated.code, 1);
    assert.match(templated.out, /yaml-syntax/);
  });

  it('exits 2 when a file named explicitly is binary', async () => {
    const result = await check([join(root, 'broken', 'binary.yaml')]);
    assert.equal(result.code, 2);
    assert.match(result.err, /binary/);
  });

  it('exits 0 on a clean folder and walks nested directories', async () => {
    const result = await check(['--format', 'json', join(root, 'clean')]);
    assert.equal(result.code, 0, result.err);
    const json = JSON.parse(result.out) as { files: Array<{ path: string; diagnostics: unknown[]; objects: unknown[] }> };
    assert.deepEqual(json, {
      files: [
        {
          path: join(root, 'clean', 'nested', 'configmap.yaml'),
          diagnostics: [],
          objects: [{ kind: 'ConfigMap', apiVersion: 'v1', name: 'plain', namespace: 'apps' }],
        },
      ],
    });
    const text = await check([join(root, 'clean')]);
    assert.equal(text.out, 'No problems found (1 file, 1 object).\n');
  });

  it('exits 1 when errors are found, skipping node_modules, .git and binary files', async () => {
    const result = await check(['--format=json', join(root, 'broken')]);
    assert.equal(result.code, 1);
    const json = JSON.parse(result.out) as { files: Array<{ path: string; diagnostics: Array<Record<string, unknown>> }> };
    assert.deepEqual(
      json.files.map((f) => f.path),
      [join(root, 'broken', 'helm-v1.yaml'), join(root, 'broken', 'oci.yml')],
    );
    assert.match(result.err, /skipped .*binary\.yaml: binary content/);
    const helm = json.files[0].diagnostics;
    assert.ok(helm.length >= 1);
    for (const d of [...helm, ...json.files[1].diagnostics]) {
      assert.deepEqual(Object.keys(d).sort(), ['code', 'message', 'range', 'severity']);
      assert.ok(['error', 'warning', 'information', 'hint'].includes(d.severity as string));
      const range = d.range as { start: Record<string, number>; end: Record<string, number> };
      assert.deepEqual(Object.keys(range.start).sort(), ['character', 'line']);
      assert.deepEqual(Object.keys(range.end).sort(), ['character', 'line']);
    }
    const apiVersionError = helm.find((d) => d.severity === 'error');
    assert.ok(apiVersionError);
    assert.equal((apiVersionError.range as { start: { line: number } }).start.line, 0, 'the error sits on the apiVersion line (0-based)');
  });

  it('prints compiler-style text lines, 1-based, and a summary', async () => {
    const result = await check([join(root, 'broken')]);
    assert.equal(result.code, 1);
    const lines = result.out.trimEnd().split('\n');
    const helmPath = join(root, 'broken', 'helm-v1.yaml');
    assert.ok(
      lines.some((l) => l.startsWith(`${helmPath}:1:`) && / error [a-z0-9-]+: /.test(l)),
      result.out,
    );
    const ociLine = lines.find((l) => l.startsWith(`${join(root, 'broken', 'oci.yml')}:10:5: `));
    assert.ok(ociLine, `expected the branch diagnostic at 10:5 in\n${result.out}`);
    assert.match(lines[lines.length - 1], /^\d+ errors?, \d+ warnings?, \d+ notes? \(2 files, 2 objects\)\.$/);
  });

  it('writes a valid minimal SARIF 2.1.0 log', async () => {
    const result = await check(['--format', 'sarif', join(root, 'broken')]);
    assert.equal(result.code, 1);
    const sarif = JSON.parse(result.out);
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    assert.equal(sarif.runs.length, 1);
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'flux-oci');
    const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
    assert.ok(run.results.length >= 2);
    for (const r of run.results) {
      assert.ok(ruleIds.includes(r.ruleId));
      assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(r.level));
      assert.equal(typeof r.message.text, 'string');
      const region = r.locations[0].physicalLocation.region;
      assert.ok(region.startLine >= 1 && region.startColumn >= 1);
      assert.match(r.locations[0].physicalLocation.artifactLocation.uri, /^file:\/\/\/.*broken\/(helm-v1\.yaml|oci\.yml)$/);
    }
    const branch = run.results.find((r: { locations: Array<{ physicalLocation: { region: { startLine: number } } }> }) => r.locations[0].physicalLocation.region.startLine === 10);
    assert.ok(branch, 'the ref.branch result is on line 10 (1-based)');
    assert.equal(branch.locations[0].physicalLocation.region.startColumn, 5);
  });

  it('resolves references across files of one run', async () => {
    const alone = await check(['--format', 'json', join(root, 'cross', 'source.yaml')]);
    const together = await check(['--format', 'json', join(root, 'cross')]);
    const mentions = (out: string) => JSON.stringify(JSON.parse(out).files.find((f: { path: string }) => f.path.endsWith('source.yaml')).diagnostics).includes('regcred');
    assert.equal(mentions(alone.out), true, 'alone, the missing Secret is noted');
    assert.equal(mentions(together.out), false, 'with the Secret file, the reference resolves');
  });

  it('checks the current directory by default and keeps relative paths relative', async () => {
    const cli = resolve('cli/bin.ts');
    const tsx = resolve('node_modules/.bin/tsx');
    const result = spawnSync(tsx, [cli, 'check', '--format', 'json'], { cwd: join(root, 'clean'), encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(
      JSON.parse(result.stdout).files.map((f: { path: string }) => f.path),
      [join('nested', 'configmap.yaml')],
    );
    const missing = spawnSync(tsx, [cli, 'check', 'nope.yaml'], { cwd: join(root, 'clean'), encoding: 'utf8' });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope\.yaml: no such file or directory/);
  });
});
