// The CI integrations as their hosts run them, on a packed and installed flux-oci: the pre-commit hooks' entries on staged
// files, the GitHub Action's check step (its run line, env and outputs), and the GitLab job's script lines in order.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packAndInstall, projectRoot as root, type PackedCli } from '../support/packed-cli';

const INVALID = join(root, 'test/fixtures/manifests/invalid/helm-sourceref-oci.yaml');
const VALID = join(root, 'test/fixtures/manifests/valid');

let packed: PackedCli;
before(() => {
  packed = packAndInstall('flux-oci-ci');
});
after(() => packed?.remove());

/** A scratch "repository" with a clusters/ folder holding the given files. */
function repository(files: Record<string, string>): string {
  const dir = mkdtempSync(join(packed.scratch, 'repo-'));
  for (const [name, from] of Object.entries(files)) {
    mkdirSync(join(dir, 'clusters'), { recursive: true });
    cpSync(from, join(dir, 'clusters', name), { recursive: true });
  }
  return dir;
}

describe('.pre-commit-hooks.yaml', () => {
  interface Hook {
    id: string;
    entry: string;
    language: string;
    files: string;
    require_serial?: boolean;
  }
  const hooks = parse(readFileSync(join(root, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];

  it('declares flux-oci-check hooks whose file pattern picks YAML only', () => {
    assert.deepEqual(
      hooks.map((h) => h.id),
      ['flux-oci-check', 'flux-oci-check-system'],
    );
    for (const hook of hooks) {
      assert.ok(['node', 'system'].includes(hook.language), hook.language);
      const pattern = new RegExp(hook.files);
      assert.ok(['a.yaml', 'clusters/b.yml'].every((f) => pattern.test(f)));
      assert.ok(!['a.json', 'b.yaml.bak', 'yaml'].some((f) => pattern.test(f)));
      assert.equal(hook.require_serial, true, 'one process sees all staged files, so cross-file references resolve');
    }
    // language: node — pre-commit runs `npm install` and `npm pack` in this repository and installs the tarball:
    // the binary must be declared and pack must build it.
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
    const [command] = hooks[0]!.entry.split(/\s+/);
    assert.equal(pkg.bin[command!], './dist/cli.js');
    // pre-commit builds through `npm install` (prepare) and reads `npm pack`'s whole stdout as the tarball's name, so
    // pack must run no lifecycle script (their banners go to stdout); test/support/packed-cli.ts packs the same way.
    assert.match(pkg.scripts.prepare ?? '', /scripts\/build\.mjs/);
    assert.equal(pkg.scripts.prepack, undefined);
    assert.equal(pkg.scripts.postpack, undefined);
  });

  it('runs each entry on staged files: exit 1 with the diagnostic on an invalid manifest, 0 on valid ones', () => {
    const repo = repository({ 'bad.yaml': INVALID, good: VALID });
    for (const hook of hooks) {
      const [command, ...args] = hook.entry.split(/\s+/);
      const run = (files: string[]) => spawnSync(command!, [...args, ...files], { cwd: repo, encoding: 'utf8', env: packed.env });
      const bad = run(['clusters/bad.yaml', 'clusters/good/oci-and-release.yaml']);
      assert.equal(bad.status, 1, `${hook.id}: ${bad.stderr}`);
      assert.match(bad.stdout, /clusters\/bad\.yaml:\d+:\d+: error helmrelease-chart-source-oci/);
      const good = run(['clusters/good/oci-and-release.yaml', 'clusters/good/non-flux.yaml']);
      assert.equal(good.status, 0, `${hook.id}: ${good.stdout}${good.stderr}`);
    }
  });
});

describe('action.yml (GitHub Action)', () => {
  interface Step {
    id?: string;
    name?: string;
    uses?: string;
    if?: string;
    run?: string;
    shell?: string;
    env?: Record<string, string>;
    with?: Record<string, string>;
    'working-directory'?: string;
  }
  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
    name: string;
    description: string;
    inputs: Record<string, { description: string; default?: string }>;
    outputs: Record<string, { value: string }>;
    runs: { using: string; steps: Step[] };
  };

  /** Evaluates the `${{ … }}` expressions the steps use: inputs (defaults or given), github.action_path. */
  const expand = (text: string, inputs: Record<string, string>) =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
      if (expression === 'github.action_path') return root;
      const input = /^inputs\.([\w-]+)$/.exec(expression);
      assert.ok(input, `unexpected expression ${expression}`);
      return inputs[input[1]!] ?? action.inputs[input[1]!]!.default ?? '';
    });

  it('is a composite action: setup-node, build, check with --format sarif, upload-sarif, then fail on errors', () => {
    assert.equal(action.runs.using, 'composite');
    const uses = action.runs.steps.map((s) => s.uses).filter(Boolean);
    assert.deepEqual(uses, ['actions/setup-node@v4', 'github/codeql-action/upload-sarif@v3']);
    const text = readFileSync(join(root, 'action.yml'), 'utf8');
    for (const [, name] of text.matchAll(/inputs\.([\w-]+)/g)) assert.ok(action.inputs[name!], `input ${name} is declared`);
    for (const [, name] of text.matchAll(/steps\.check\.outputs\.([\w-]+)/g))
      assert.match(readFileSync(join(root, 'scripts/action-check.sh'), 'utf8'), new RegExp(`echo "${name}=`), `the check step writes ${name}`);
    const build = action.runs.steps.find((s) => s.name === 'Build flux-oci')!;
    assert.match(build.run!, /node scripts\/build\.mjs/);
    assert.ok(existsSync(join(root, 'scripts/build.mjs')));
    const check = action.runs.steps.find((s) => s.id === 'check')!;
    assert.match(check.run!, /scripts\/action-check\.sh/);
    assert.match(readFileSync(join(root, 'scripts/action-check.sh'), 'utf8'), /--format sarif/);
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))!;
    assert.equal(upload.with?.sarif_file, '${{ steps.check.outputs.sarif-file }}');
    assert.match(upload.if!, /always\(\)/, 'the upload runs even when the check found errors');
  });

  it('runs the check step as the runner would: SARIF file, annotations, exit-code output', () => {
    const check = action.runs.steps.find((s) => s.id === 'check')!;
    const repo = repository({ 'bad.yaml': INVALID, good: VALID });
    const runStep = (inputs: Record<string, string>) => {
      const output = join(repo, `github-output-${Math.random().toString(36).slice(2)}`);
      writeFileSync(output, '');
      const env = Object.fromEntries(Object.entries(check.env ?? {}).map(([k, v]) => [k, expand(v, inputs)]));
      const result = spawnSync(check.shell!, ['-c', expand(check.run!, inputs)], { cwd: repo, encoding: 'utf8', env: { ...process.env, ...env, GITHUB_OUTPUT: output } });
      const outputs = Object.fromEntries(
        readFileSync(output, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split('=', 2) as [string, string]),
      );
      return { result, outputs };
    };
    const failing = runStep({ paths: 'clusters' });
    assert.equal(failing.result.status, 0, `the step itself succeeds so the upload can run: ${failing.result.stderr}`);
    assert.deepEqual(failing.outputs, { 'exit-code': '1', 'sarif-file': 'flux-oci.sarif' });
    const sarif = JSON.parse(readFileSync(join(repo, 'flux-oci.sarif'), 'utf8')) as { version: string; runs: Array<{ results: Array<{ ruleId: string; level: string }> }> };
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0]!.results.some((r) => r.ruleId === 'helmrelease-chart-source-oci' && r.level === 'error'));
    assert.match(failing.result.stdout, /^::error file=clusters\/bad\.yaml,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=helmrelease-chart-source-oci::/m);
    const failStep = action.runs.steps.find((s) => s.name === 'Fail on errors')!;
    assert.match(failStep.if!, /steps\.check\.outputs\.exit-code == '1'/);

    const clean = runStep({ paths: 'clusters/good\nclusters/good/non-flux.yaml', 'sarif-file': 'clean.sarif' });
    assert.equal(clean.result.status, 0, clean.result.stderr);
    assert.deepEqual(clean.outputs, { 'exit-code': '0', 'sarif-file': 'clean.sarif' });
    assert.match(clean.result.stdout, /flux-oci: 0 error\(s\)/);

    const broken = runStep({ paths: 'no-such-folder' });
    assert.equal(broken.result.status, 2, 'flux-oci could not run: the step fails at once');
    assert.deepEqual(broken.outputs, { 'exit-code': '2' }, 'no SARIF file is offered for upload');
  });
});

describe('integrations/gitlab-ci.yml (GitLab CI job, quoted in the README)', () => {
  const text = readFileSync(join(root, 'integrations/gitlab-ci.yml'), 'utf8');
  const job = (parse(text) as Record<string, { script: string[]; variables: Record<string, string>; artifacts: { when: string; reports: { codequality: string } } }>)['flux-oci-check']!;

  it('is quoted verbatim in the README', () => {
    assert.ok(readFileSync(join(root, 'README.md'), 'utf8').includes(text.trim()), 'README quotes integrations/gitlab-ci.yml');
    assert.equal(job.artifacts.when, 'always');
    assert.equal(job.artifacts.reports.codequality, 'gl-code-quality-report.json');
  });

  it("runs the job's script lines as a runner would: installs the tarball, writes the Code Quality report, fails on errors", () => {
    const runJob = (repo: string) => {
      const prefix = join(repo, '.npm-global');
      const env = { ...packed.env, ...job.variables, FLUX_OCI_PACKAGE: packed.tarball, npm_config_prefix: prefix, PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}` };
      // GitLab runs the lines in one bash shell that stops at the first failing line.
      const script = ['set -eo pipefail', ...job.script].join('\n');
      return spawnSync('bash', ['-c', script], { cwd: repo, encoding: 'utf8', env });
    };
    const bad = repository({ 'bad.yaml': INVALID, good: VALID });
    const failed = runJob(bad);
    assert.equal(failed.status, 1, failed.stderr);
    assert.ok(existsSync(join(bad, '.npm-global', 'bin', 'flux-oci')), 'the job installed flux-oci from the tarball');
    const report = JSON.parse(readFileSync(join(bad, 'gl-code-quality-report.json'), 'utf8')) as Array<{ check_name: string; severity: string; location: { path: string } }>;
    assert.ok(
      report.some((i) => i.check_name === 'helmrelease-chart-source-oci' && i.severity === 'major' && i.location.path === 'clusters/bad.yaml'),
      JSON.stringify(report),
    );
    assert.match(failed.stdout, /clusters\/bad\.yaml:\d+:\d+: error helmrelease-chart-source-oci/);

    const good = repository({ good: VALID });
    const passed = runJob(good);
    assert.equal(passed.status, 0, passed.stdout + passed.stderr);
    assert.ok(Array.isArray(JSON.parse(readFileSync(join(good, 'gl-code-quality-report.json'), 'utf8'))));
    rmSync(join(good, '.npm-global'), { recursive: true, force: true });
  });
});
