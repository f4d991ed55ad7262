// `flux-oci upgrade` and the upgrade diagnostics of `flux-oci check --online`, against charts in a real registry:
// text and JSON reports naming the renamed key and both versions, exit codes for CI, and bad input.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UpgradeReport } from '../../core/live/upgrade-report';
import { startRegistry, type Registry } from '../support/registry';
import { pushShopCharts, SHOP_RELEASE, SHOP_RELEASE_VALUES, shopSource } from '../support/upgrade-charts';
import { runCli } from './run-cli';

describe('flux-oci upgrade', () => {
  let registry: Registry;
  let dir: string;
  let ref: string;
  const cache = () => ['--cache-dir', join(dir, 'cache')];

  before(async () => {
    registry = await startRegistry();
    await pushShopCharts(registry, 'charts/shop');
    dir = mkdtempSync(join(tmpdir(), 'flux-oci-upgrade-cli-'));
    writeFileSync(join(dir, 'values.yaml'), SHOP_RELEASE_VALUES);
    writeFileSync(join(dir, 'release.yaml'), `${shopSource(registry.host, '>=1.0.0 <2.0.0')}---\n${SHOP_RELEASE}`);
    writeFileSync(join(dir, 'broken.yaml'), 'a: [1,\n');
    ref = `oci://${registry.host}/charts/shop`;
  });

  after(async () => {
    await registry?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints the report as text, breaking first, and exits 1 when the values break', async () => {
    const { code, out, err } = await runCli(['upgrade', ref, '--from', '1.0.0', '--to', '2.0.0', '--values', join(dir, 'values.yaml'), ...cache()]);
    assert.equal(err, '');
    assert.equal(code, 1);
    const lines = out.trimEnd().split('\n');
    assert.equal(lines[0], `shop 1.0.0 -> 2.0.0 (${ref}), values of ${join(dir, 'values.yaml')}`);
    assert.match(lines[1]!, /^ {2}breaking value {4}ui\.color:3:3: ui\.color is no longer in 2\.0\.0's values\.yaml \(1\.0\.0 had it\).*likely renamed to theme\.color/);
    assert.match(lines[2]!, /^ {2}breaking schema {3}replicaCount:1:15: 2\.0\.0's values\.schema\.json rejects replicaCount: must be at most 5 \(1\.0\.0 accepted it\)\./);
    assert.match(out, /notable +chart +kubeVersion: kubeVersion constraint: >=1\.25\.0-0 → >=1\.28\.0-0/);
    assert.match(out, /notable +crd +crds\/gadgets\.yaml/);
    assert.match(out, /info +chart +dependency redis: Dependency redis: 17\.0\.0 → 18\.1\.0\./);
    assert.match(out, /info +image +image: Image ghcr\.io\/acme\/shop: 1\.0\.0 → 2\.0\.0\./);
    assert.match(lines.at(-1)!, /^2 breaking, \d+ worth a look, \d+ other changes\.$/);
  });

  it('takes spec.values from a HelmRelease manifest and prints JSON', async () => {
    const { code, out } = await runCli(['upgrade', `${ref}:ignored`, '--from=1.0.0', '--to=2.0.0', '--values', join(dir, 'release.yaml'), '--format', 'json', ...cache()]);
    assert.equal(code, 1);
    const report = JSON.parse(out) as UpgradeReport;
    assert.equal(report.valuesOf, `HelmRelease shop in ${join(dir, 'release.yaml')}`);
    assert.deepEqual(
      report.values.dropped.map((d) => [d.path, d.renamedTo]),
      [['ui.color', 'theme.color']],
    );
    assert.equal(report.values.dropped[0]!.range?.start.line, SHOP_RELEASE.split('\n').findIndex((l) => l.includes('color: red')) + shopSource(registry.host, '').split('\n').length);
    assert.equal(report.breaking, 2);
    assert.deepEqual(report.crds.added, ['crds/gadgets.yaml']);
  });

  it('exits 0 when nothing breaks, and without values reports only the chart', async () => {
    const same = await runCli(['upgrade', ref, '--from', '1.0.0', '--to', '1.1.0', '--values', join(dir, 'values.yaml'), ...cache()]);
    assert.equal(same.code, 0, same.out + same.err);
    assert.match(same.out, /^0 breaking/m);
    const chartOnly = await runCli(['upgrade', ref, '--from', '1.0.0', '--to', '2.0.0', ...cache()]);
    assert.equal(chartOnly.code, 0, 'no values: nothing of the release can break');
    assert.ok(!chartOnly.out.includes('ui.color is no longer'));
    assert.match(chartOnly.out, /Chart version 2\.0\.0 is marked deprecated/);
  });

  it('says clearly what is wrong with the input', async () => {
    const missing = await runCli(['upgrade', ref, '--from', '1.0.0']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--from and --to are both required/);
    const unknown = await runCli(['upgrade', ref, '--from', '1.0.0', '--to', '9.9.9', ...cache()]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /charts\/shop:9\.9\.9/);
    const broken = await runCli(['upgrade', ref, '--from', '1.0.0', '--to', '2.0.0', '--values', join(dir, 'broken.yaml'), ...cache()]);
    assert.equal(broken.code, 2);
    assert.match(broken.err, /broken\.yaml is not valid YAML/);
    const absent = await runCli(['upgrade', ref, '--from', '1.0.0', '--to', '2.0.0', '--values', join(dir, 'absent.yaml')]);
    assert.equal(absent.code, 2);
    assert.match(absent.err, /cannot read .*absent\.yaml: ENOENT/);
    const help = await runCli(['upgrade', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /--values FILE/);
  });

  it('check --online reports the values the newer version would break, and warns once the range selects it', async () => {
    const hinted = await runCli(['check', join(dir, 'release.yaml'), '--online', '--format', 'json', ...cache()]);
    const diagnostics = (JSON.parse(hinted.out) as { files: Array<{ diagnostics: Array<{ code: string; severity: string; message: string }> }> }).files[0]!.diagnostics;
    const hints = diagnostics.filter((d) => d.code === 'live-upgrade-would-break');
    assert.equal(hints.length, 2, JSON.stringify(diagnostics));
    assert.ok(hints.some((d) => /ui\.color.*1\.1\.0|1\.1\.0.*ui\.color/.test(d.message) && d.message.includes('2.0.0')));
    writeFileSync(join(dir, 'moved.yaml'), `${shopSource(registry.host, '>=1.0.0')}---\n${SHOP_RELEASE}`);
    const moved = await runCli(['check', join(dir, 'moved.yaml'), '--online', ...cache()]);
    assert.match(
      moved.out,
      /warning live-upgrade-breaks: Chart shop 2\.0\.0, which the range >=1\.0\.0 resolves to now \(after 1\.1\.0\), breaks this value at the next reconcile: ui\.color is no longer in 2\.0\.0/,
    );
  });
});
