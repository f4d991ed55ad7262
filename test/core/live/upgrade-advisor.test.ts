// Upgrade safety inside the live engine against a real registry: the "now" warning when the range already moved to a
// version that breaks a value, the hint when only the newer out-of-range version would, hover, lenses and reports.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveService } from '../../../core/live/live-service';
import { liveOptions } from '../../../core/live/live-options';
import { UpgradeAdvisor, UPGRADE_CODES, upgradeSteps } from '../../../core/live/upgrade-advisor';
import { RegistryClient } from '../../../core/oci/registry-client';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';
import { startRegistry, type Registry } from '../../support/registry';
import { pushFluxArtifact } from '../../support/registry-push';
import { pushShopCharts, SHOP_RELEASE, SHOP_RELEASE_VALUES, shopSource } from '../../support/upgrade-charts';
import { ociRepository, positionOf } from './live-fixtures';

const RELEASE = SHOP_RELEASE;

describe('upgrade safety in the live engine', () => {
  let registry: Registry;
  let dir: string;
  const clients: RegistryClient[] = [];

  before(async () => {
    registry = await startRegistry();
    await pushShopCharts(registry, 'charts/shop');
    for (const tag of ['1.0.0', '2.0.0']) await pushFluxArtifact(registry, 'apps/site', { tag });
    dir = mkdtempSync(join(tmpdir(), 'flux-oci-upgrade-live-'));
  });

  after(async () => {
    for (const c of clients) await c.close();
    await registry?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function setup(range: string, options: ConstructorParameters<typeof LiveService>[2] = {}, ref?: string) {
    const source = ref === undefined ? shopSource(registry.host, range) : shopSource(registry.host, range).replace(`semver: "${range}"`, ref);
    const index = new WorkspaceIndex();
    index.setFile('/w/source.yaml', source);
    index.setFile('/w/release.yaml', RELEASE);
    const client = new RegistryClient({ maxRetries: 0, timeoutMs: 5000 });
    clients.push(client);
    return { source, index, service: new LiveService(index, client, { chartCacheDir: join(dir, 'charts'), ...options }) };
  }

  it('hints on each value only the newer version outside the range would break, naming the key and both versions', async () => {
    const { service } = setup('>=1.0.0 <2.0.0');
    const diagnostics = (await service.diagnosticsFor()).get('/w/release.yaml') ?? [];
    const hints = diagnostics.filter((d) => d.code === UPGRADE_CODES.wouldBreak);
    assert.deepEqual(
      hints.map((d) => d.severity),
      ['hint', 'hint'],
    );
    const color = hints.find((d) => d.message.includes('ui.color'));
    assert.ok(color, JSON.stringify(hints));
    assert.match(color.message, /from 1\.1\.0 to 2\.0\.0 \(outside the range >=1\.0\.0 <2\.0\.0\)/);
    assert.match(color.message, /renamed to theme\.color/);
    assert.deepEqual(color.range.start, positionOf(RELEASE, 'color: red'));
    const replicas = hints.find((d) => d.message.includes('replicaCount'));
    assert.deepEqual(replicas?.range.start, positionOf(RELEASE, '7'));
    assert.ok(!diagnostics.some((d) => d.code === UPGRADE_CODES.breaksNow));
  });

  it('warns when the version the range resolves to now drops or rejects a value (and does not hint twice)', async () => {
    const { service } = setup('>=1.0.0');
    const diagnostics = (await service.diagnosticsFor()).get('/w/release.yaml') ?? [];
    const warnings = diagnostics.filter((d) => d.code === UPGRADE_CODES.breaksNow);
    assert.equal(warnings.length, 2, JSON.stringify(diagnostics));
    assert.ok(warnings.every((d) => d.severity === 'warning'));
    assert.match(warnings.find((d) => d.message.includes('ui.color'))!.message, /Chart shop 2\.0\.0, which the range >=1\.0\.0 resolves to now \(after 1\.1\.0\), breaks this value/);
    assert.ok(!diagnostics.some((d) => d.code === UPGRADE_CODES.wouldBreak));
  });

  it('no upgrade hints when newer-version hints are off', async () => {
    const { service } = setup('>=1.0.0 <2.0.0', { newerVersionHints: false });
    const diagnostics = (await service.diagnosticsFor()).get('/w/release.yaml') ?? [];
    assert.ok(!diagnostics.some((d) => d.code.startsWith('live-upgrade')), JSON.stringify(diagnostics.map((d) => d.code)));
  });

  it('the source hover and the chartRef hover gain "Upgrading to 2.0.0" with the breaking items first', async () => {
    const { service, source } = setup('>=1.0.0 <2.0.0');
    const hover = await service.hoverAt('/w/source.yaml', positionOf(source, '>=1.0.0', 2));
    assert.equal(hover?.upgradeTo, '2.0.0');
    const section = hover!.markdown.split('**Upgrading to `2.0.0`**')[1] ?? '';
    assert.match(section, /^ from `1\.1\.0` for HelmRelease flux-system\/shop: 2 breaking/);
    assert.match(section.split('\n')[1]!, /⛔ ui\.color/);
    const releaseHover = await service.hoverAt('/w/release.yaml', positionOf(RELEASE, 'name: shop\n  values', 7));
    assert.match(releaseHover?.markdown ?? '', /Upgrading to `2\.0\.0`/);
  });

  it('no "Upgrading to" section when the range already selects the newest version', async () => {
    const { service, source } = setup('>=1.0.0');
    const hover = await service.hoverAt('/w/source.yaml', positionOf(source, '>=1.0.0', 2));
    assert.ok(hover && !hover.markdown.includes('Upgrading to') && hover.upgradeTo === undefined);
  });

  it('offers Preview Upgrade lenses on the chartRef and the ref, and builds the report they open', async () => {
    const { service, source } = setup('>=1.0.0 <2.0.0');
    const releaseLenses = await service.upgradeLenses('/w/release.yaml');
    assert.deepEqual(releaseLenses, [{ range: { start: positionOf(RELEASE, 'shop\n  values'), end: positionOf(RELEASE, 'shop\n  values', 4) }, to: '2.0.0' }]);
    const sourceLenses = await service.upgradeLenses('/w/source.yaml');
    assert.deepEqual(
      sourceLenses.map((l) => [l.range.start.line, l.to]),
      [[positionOf(source, '">=1.0.0').line, '2.0.0']],
    );
    const result = await service.upgradeReportAt('/w/release.yaml', releaseLenses[0]!.range.start);
    assert.ok(result?.ok, JSON.stringify(result));
    assert.equal(result.report.from.tag, '1.1.0');
    assert.equal(result.report.to.tag, '2.0.0');
    assert.equal(result.report.valuesOf, 'HelmRelease flux-system/shop');
    const older = await service.upgradeReportAt('/w/source.yaml', positionOf(source, '>=1.0.0', 2), { to: '1.0.0' });
    assert.ok(older?.ok && older.report.to.tag === '1.0.0' && older.report.breaking === 0);
  });

  it('a chart.spec release from an OCI HelmRepository gets the same hints, lens and hover', async () => {
    const repo = `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: flux-system\nspec:\n  type: oci\n  url: oci://${registry.host}/charts\n`;
    const release = `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: shop\n  namespace: flux-system\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: shop\n      version: "<2.0.0"\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n  values:\n${SHOP_RELEASE_VALUES.replace(/^/gm, '    ').trimEnd()}\n`;
    const index = new WorkspaceIndex();
    index.setFile('/w/repo.yaml', repo);
    index.setFile('/w/release.yaml', release);
    const client = new RegistryClient({ maxRetries: 0, timeoutMs: 5000 });
    clients.push(client);
    const service = new LiveService(index, client, { chartCacheDir: join(dir, 'charts') });
    const hints = ((await service.diagnosticsFor()).get('/w/release.yaml') ?? []).filter((d) => d.code === UPGRADE_CODES.wouldBreak);
    assert.deepEqual(
      hints.map((d) => d.range.start),
      [positionOf(release, 'color: red'), positionOf(release, '7')],
      'dropped key first, then the schema rejection',
    );
    assert.match(hints[0]!.message, /from 1\.1\.0 to 2\.0\.0 \(outside the range <2\.0\.0\)/);
    assert.deepEqual(
      (await service.upgradeLenses('/w/release.yaml')).map((l) => [l.range.start, l.to]),
      [[positionOf(release, 'shop\n      version'), '2.0.0']],
    );
    const hover = await service.hoverAt('/w/release.yaml', positionOf(release, '<2.0.0', 1));
    assert.match(hover?.markdown ?? '', /Upgrading to `2\.0\.0`\*\* from `1\.1\.0` for HelmRelease flux-system\/shop: 2 breaking/);
  });

  it('an OCIRepository of Flux artifacts gets no upgrade section, lens or chart pull', async () => {
    const text = ociRepository('site', `oci://${registry.host}/apps/site`, '  ref:\n    semver: "<2.0.0"\n');
    const index = new WorkspaceIndex();
    index.setFile('/w/site.yaml', text);
    const client = new RegistryClient({ maxRetries: 0, timeoutMs: 5000 });
    clients.push(client);
    const service = new LiveService(index, client, { chartCacheDir: join(dir, 'charts') });
    const hover = await service.hoverAt('/w/site.yaml', positionOf(text, '<2.0.0', 1));
    assert.match(hover?.markdown ?? '', /Newer version outside the range: `2\.0\.0`/);
    assert.ok(!hover!.markdown.includes('Upgrading to') && hover!.upgradeTo === undefined);
    const requests = client.stats().requests;
    assert.deepEqual(await service.upgradeLenses('/w/site.yaml'), []);
    await service.hoverAt('/w/site.yaml', positionOf(text, '<2.0.0', 1));
    assert.equal(client.stats().requests, requests, 'nothing pulled for a report');
  });

  it('says when spec.valuesFrom adds values the report cannot see', async () => {
    const { service, index } = setup('>=1.0.0 <2.0.0');
    const release = SHOP_RELEASE.replace('  values:\n', '  valuesFrom:\n    - kind: ConfigMap\n      name: shop-values\n  values:\n');
    index.setFile('/w/release.yaml', release);
    const result = await service.upgradeReportAt('/w/release.yaml', positionOf(release, 'shop\n  valuesFrom'));
    assert.ok(result?.ok);
    assert.equal(result.report.valuesOf, 'HelmRelease flux-system/shop (spec.valuesFrom not included)');
  });

  it('a pinned tag gets the hint too, naming the pinned version', async () => {
    const { service } = setup('x', {}, 'tag: 1.1.0');
    const hints = ((await service.diagnosticsFor()).get('/w/release.yaml') ?? []).filter((d) => d.code === UPGRADE_CODES.wouldBreak);
    assert.equal(hints.length, 2);
    assert.match(hints[0]!.message, /from 1\.1\.0 to 2\.0\.0 \(the source pins 1\.1\.0\) would break this value: ui\.color/);
  });

  it('a chart load shared with a caller who cancels still reaches the caller who did not', async () => {
    const client = new RegistryClient({ maxRetries: 0, timeoutMs: 5000 });
    clients.push(client);
    const advisor = new UpgradeAdvisor(client, () => liveOptions({ chartCacheDir: join(dir, 'shared-charts') }), Date.now);
    const repository = { registry: registry.host, repository: 'charts/shop' };
    const target = { key: 'shop', repositoryKey: 'shop', url: `oci://${registry.host}/charts/shop`, repository, ref: {}, helmChart: true, credentials: {} };
    const chart = { target, resolution: { url: target.url, repository, state: 'resolved' as const, helmChart: true, tags: [], matching: [], ref: { kind: 'latest' as const, candidates: [] } } };
    const cancelled = new AbortController();
    cancelled.abort();
    // Both calls start before either load settles, so the second shares the first one's (cancelled) loads.
    const first = advisor.report(chart, { from: '1.0.0', to: '2.0.0' }, undefined, undefined, { signal: cancelled.signal });
    const second = advisor.report(chart, { from: '1.0.0', to: '2.0.0' }, undefined, undefined, {});
    await assert.rejects(first, /cancelled/);
    const result = await second;
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.report.to.tag, '2.0.0');
  });

  it('the version steps of a resolution', () => {
    const base = {
      url: 'oci://x/y',
      repository: { registry: 'x', repository: 'y' },
      helmChart: true,
      tags: [],
      state: 'resolved' as const,
      tag: '2.0.0',
      ref: { kind: 'semver' as const, candidates: [] },
    };
    assert.deepEqual(upgradeSteps({ ...base, matching: ['2.0.0', '1.1.0'], newerOutside: '3.0.0' }), {
      now: { from: '1.1.0', to: '2.0.0', when: 'now' },
      next: { from: '2.0.0', to: '3.0.0', when: 'next' },
    });
    assert.deepEqual(upgradeSteps({ ...base, matching: ['2.0.0'] }), {});
    assert.deepEqual(upgradeSteps({ ...base, state: 'failed', matching: ['2.0.0', '1.1.0'] }), {});
  });
});
