// `flux-oci tags` against a real registry: newest-first listing, --semver selection, --filter, JSON, errors.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './run-cli';
import { startRegistry, type Registry } from '../support/registry';
import { pushHelmChart, pushManyTags } from '../support/registry-push';

describe('flux-oci tags', () => {
  let registry: Registry;
  before(async () => {
    registry = await startRegistry();
    await pushManyTags(registry, 'apps/web', ['1.2.0', 'latest', '1.10.0', '1.9.3', '2.0.0-rc.1', 'v1.3.0', 'main-abc123']);
    await pushHelmChart(registry, 'charts/app', { name: 'app', version: '1.0.0+build.2' });
    await pushHelmChart(registry, 'charts/app', { name: 'app', version: '0.9.0' });
  });
  after(() => registry.stop());

  it('lists tags newest first', async () => {
    const r = await runCli(['tags', `oci://${registry.host}/apps/web`]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.deepEqual(lines.slice(0, 5), ['2.0.0-rc.1', '1.10.0', '1.9.3', 'v1.3.0', '1.2.0']);
    assert.deepEqual(new Set(lines), new Set(['1.2.0', 'latest', '1.10.0', '1.9.3', '2.0.0-rc.1', 'v1.3.0', 'main-abc123']));
  });

  it('prints the tag Flux would pick for a range', async () => {
    const r = await runCli(['tags', `oci://${registry.host}/apps/web`, '--semver', '>=1.0.0 <2.0.0']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '1.10.0\n');
    const none = await runCli(['tags', `oci://${registry.host}/apps/web`, '--semver', '>=5.0.0']);
    assert.equal(none.code, 1);
    assert.equal(none.out, '');
  });

  it('reads Helm chart tags with _ as +, and prints JSON', async () => {
    const r = await runCli(['tags', `oci://${registry.host}/charts/app`, '--helm', '--semver', '1.x', '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as { selected: string; tagCount: number };
    assert.equal(json.selected, '1.0.0_build.2');
    assert.equal(json.tagCount, 2);
  });

  it('filters with --filter', async () => {
    const r = await runCli(['tags', `oci://${registry.host}/apps/web`, '--filter', '^main-', '--format', 'json']);
    assert.deepEqual((JSON.parse(r.out) as { tags: string[] }).tags, ['main-abc123']);
  });

  it('reports registry and usage errors with exit code 2', async () => {
    const missing = await runCli(['tags', `oci://${registry.host}/no/such-repo`]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /not found/);
    const usage = await runCli(['tags']);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /missing oci:\/\//);
  });
});
