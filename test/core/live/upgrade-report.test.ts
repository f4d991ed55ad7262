// The upgrade report from real charts pulled out of a real registry: renamed keys, schema rejections, changed defaults,
// Chart.yaml (kubeVersion, dependencies, deprecated), crds/, templates and image tags; plus the pure comparison rules.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { toValueNode } from '../../../core/live/json-schema-validate';
import { ChartVersionLoader, loadChartVersion, type ChartLoad } from '../../../core/live/upgrade-charts';
import { imagesIn } from '../../../core/live/upgrade-images';
import { renderUpgradeHoverSection, renderUpgradeMarkdown, renderUpgradeText } from '../../../core/live/upgrade-render';
import { buildUpgradeReport, type LoadedChart } from '../../../core/live/upgrade-report';
import { indexValuesKeys } from '../../../core/live/values-key-index';
import { compareValuesForUpgrade } from '../../../core/live/values-upgrade';
import { RegistryClient } from '../../../core/oci/registry-client';
import { LineMap } from '../../../core/text-range';
import { startRegistry, type Registry } from '../../support/registry';
import { pushShopCharts, SHOP_RELEASE_VALUES } from '../../support/upgrade-charts';

const valuesNode = (yaml: string) => toValueNode(parseDocument(yaml).contents, new LineMap(yaml));
const keys = (yaml: string) => indexValuesKeys(parseDocument(yaml));

function loaded(result: ChartLoad): LoadedChart {
  if (!result.ok) throw new Error(result.message);
  return result.chart;
}

describe('upgrade report from charts in a real registry', () => {
  let registry: Registry;
  let cacheDir: string;
  let client: RegistryClient;
  let digests: Record<string, string>;
  const repository = () => ({ registry: registry.host, repository: 'charts/shop' });
  const load = (reference: string) => loadChartVersion({ client, repository: repository(), request: {}, reference, cacheDir });

  before(async () => {
    registry = await startRegistry();
    digests = await pushShopCharts(registry, 'charts/shop');
    cacheDir = mkdtempSync(join(tmpdir(), 'flux-oci-upgrade-'));
    client = new RegistryClient({ maxRetries: 0, timeoutMs: 5000 });
  });

  after(async () => {
    await client?.close();
    await registry?.stop();
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  });

  it('names the renamed key with its likely new name, and the value the new schema rejects, with their ranges', async () => {
    const report = await buildUpgradeReport({
      source: `oci://${registry.host}/charts/shop`,
      from: loaded(await load('1.0.0')),
      to: loaded(await load('2.0.0')),
      release: valuesNode(SHOP_RELEASE_VALUES),
      valuesOf: 'HelmRelease apps/shop',
    });
    assert.equal(report.chart, 'shop');
    assert.equal(report.from.digest, digests['1.0.0']);
    assert.equal(report.to.digest, digests['2.0.0']);
    assert.deepEqual(
      report.values.dropped.map((d) => [d.path, d.reason, d.renamedTo, d.renamedBecause]),
      [['ui.color', 'removed', 'theme.color', 'same name, same comment, same default']],
    );
    assert.deepEqual(report.values.dropped[0]!.range?.start, { line: 2, character: 2 }, 'the key ui.color in the release values');
    assert.equal(report.values.rejected.length, 1);
    assert.match(report.values.rejected[0]!.message, /^replicaCount: must be at most 5/);
    assert.equal(report.values.rejected[0]!.introduced, true);
    assert.deepEqual(report.values.rejected[0]!.range?.start, { line: 0, character: 14 });
    assert.ok(!report.values.dropped.some((d) => d.path.startsWith('image')), 'image.pullPolicy was in neither values.yaml: not this upgrade');
    assert.equal(report.breaking, 2);
    assert.deepEqual(
      report.findings.slice(0, 2).map((f) => [f.level, f.subject]),
      [
        ['breaking', 'ui.color'],
        ['breaking', 'replicaCount'],
      ],
    );
  });

  it('lists Chart.yaml changes, CRDs, templates, image tags and changed defaults of keys the release leaves alone', async () => {
    const report = await buildUpgradeReport({ source: 'oci://x/shop', from: loaded(await load('1.0.0')), to: loaded(await load('2.0.0')), release: valuesNode(SHOP_RELEASE_VALUES) });
    assert.deepEqual(report.chartYaml, [
      { field: 'version', before: '1.0.0', after: '2.0.0' },
      { field: 'appVersion', before: '1.0.0', after: '2.0.0' },
      { field: 'kubeVersion', before: '>=1.25.0-0', after: '>=1.28.0-0' },
      { field: 'deprecated', before: false, after: true },
      { field: 'dependency', name: 'redis', change: 'version', before: '17.0.0', after: '18.1.0' },
      { field: 'dependency', name: 'postgresql', change: 'added', after: '15.0.0' },
    ]);
    assert.deepEqual(report.crds, { added: ['crds/gadgets.yaml'], removed: [], changed: ['crds/widgets.yaml'] });
    assert.deepEqual(report.templates, { added: ['templates/ingress.yaml'], removed: ['templates/service.yaml'] });
    assert.deepEqual(
      report.images.map((i) => [i.path, i.repository, i.before, i.after]),
      [
        ['image', 'ghcr.io/acme/shop', '1.0.0', '2.0.0'],
        ['sidecar.image', 'ghcr.io/acme/proxy', '0.9.0', '1.0.0'],
      ],
    );
    assert.deepEqual(
      report.values.changedDefaults.map((d) => [d.path, d.before, d.after]),
      [
        ['image.tag', '"1.0.0"', '"2.0.0"'],
        ['service.port', '80', '8080'],
        ['sidecar.image', '"ghcr.io/acme/proxy:0.9.0"', '"ghcr.io/acme/proxy:1.0.0"'],
      ],
    );
    assert.equal(report.values.addedKeys, 2);
    const levels = report.findings.map((f) => f.level);
    assert.deepEqual(
      levels,
      [...levels].sort((a, b) => ['breaking', 'notable', 'info'].indexOf(a) - ['breaking', 'notable', 'info'].indexOf(b)),
      'breaking first',
    );
  });

  it('reports nothing breaking between versions with the same values', async () => {
    const report = await buildUpgradeReport({ source: 'oci://x/shop', from: loaded(await load('1.0.0')), to: loaded(await load('1.1.0')), release: valuesNode(SHOP_RELEASE_VALUES) });
    assert.equal(report.breaking, 0);
    assert.deepEqual(report.values.dropped, []);
    assert.deepEqual(report.crds, { added: [], removed: [], changed: [] });
    assert.deepEqual(
      report.chartYaml.map((c) => c.field),
      ['version', 'appVersion'],
    );
  });

  it('renders Markdown, a hover section (breaking first) and CLI text that name the key and both versions', async () => {
    const report = await buildUpgradeReport({
      source: 'oci://x/shop',
      from: loaded(await load('1.0.0')),
      to: loaded(await load('2.0.0')),
      release: valuesNode(SHOP_RELEASE_VALUES),
      valuesOf: 'HelmRelease apps/shop',
    });
    const markdown = renderUpgradeMarkdown(report);
    assert.match(markdown, /^# Upgrade `shop`: `1\.0\.0` \(app `1\.0\.0`\) → `2\.0\.0`/);
    assert.match(markdown, /## Breaking[\s\S]*ui\.color is no longer in 2\.0\.0's values\.yaml \(1\.0\.0 had it\)[\s\S]*renamed to theme\.color[\s\S]*## Worth a look/);
    assert.match(markdown, /## Changed defaults of keys this release does not set[\s\S]*`service\.port` \| `80` \| `8080`/);
    const hover = renderUpgradeHoverSection(report);
    const lines = hover.split('\n');
    assert.match(lines[0]!, /^\*\*Upgrading to `2\.0\.0`\*\* from `1\.0\.0` for HelmRelease apps\/shop: 2 breaking/);
    assert.match(lines[1]!, /^- ⛔ ui\.color/);
    assert.match(lines[2]!, /^- ⛔ 2\.0\.0's values\.schema\.json rejects replicaCount/);
    const text = renderUpgradeText(report);
    assert.match(text, /^shop 1\.0\.0 -> 2\.0\.0/);
    assert.match(text, /\n {2}breaking value {4}ui\.color:3:3: /);
    assert.match(text, /2 breaking, \d+ worth a look/);
  });

  it('a second load comes from the content cache: no blob is downloaded again', async () => {
    const fresh = new RegistryClient({ maxRetries: 0, timeoutMs: 5000 });
    try {
      const loader = new ChartVersionLoader(() => 60_000);
      const first = loaded(await loader.load('shop', { client: fresh, repository: repository(), request: {}, reference: '2.0.0', cacheDir }));
      const requests = fresh.stats().requests;
      const shared = loaded(await loader.load('shop', { client: fresh, repository: repository(), request: {}, reference: '2.0.0', cacheDir }));
      assert.equal(shared, first, 'the loader shares one load');
      assert.equal(fresh.stats().requests, requests);
      const again = loaded(await loadChartVersion({ client: fresh, repository: repository(), request: {}, reference: digests['2.0.0']!, cacheDir }));
      assert.equal(again.extracted.root, first.extracted.root, 'the same content-addressed tree');
      assert.ok(fresh.stats().requests - requests <= 1, 'only the manifest is asked for');
    } finally {
      await fresh.close();
    }
  });

  it('says which version could not be pulled', async () => {
    const result = await load('9.9.9');
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.message : '', /charts\/shop:9\.9\.9/);
  });
});

describe('values comparison rules', () => {
  it('suggests a rename by comment or by a same non-trivial default, and only for a key of the same kind', () => {
    const before = keys('# The log verbosity.\nlogLevel: info\nregistry: docker.io/library\n');
    const after = keys('logging:\n  # The log verbosity.\n  verbosity: info\nimages:\n  registry: {}\n  source: docker.io/library\n');
    const result = compareValuesForUpgrade({ release: valuesNode('logLevel: debug\nregistry: quay.io\n'), before, after });
    assert.deepEqual(
      result.dropped.map((d) => [d.path, d.renamedTo, d.renamedBecause]),
      [
        ['logLevel', 'logging.verbosity', 'same comment, same default'],
        ['registry', 'images.source', 'same default'],
      ],
    );
  });

  it('reports keys set inside a map that became a scalar, and keeps quiet about free-form keys', () => {
    const result = compareValuesForUpgrade({
      release: valuesNode('proxy:\n  host: a\npodAnnotations:\n  team: x\n'),
      before: keys('proxy:\n  host: ""\npodAnnotations: {}\n'),
      after: keys('proxy: "a:80"\npodAnnotations: {}\n'),
    });
    assert.deepEqual(
      result.dropped.map((d) => [d.path, d.reason]),
      [['proxy', 'type-changed']],
    );
  });

  it('changed defaults skip what the release decides, sort by depth and respect the limit', () => {
    const before = keys('a: 1\nb:\n  c: 1\n  d:\n    e: 1\nf: [1]\ng:\n  h: 1\n');
    const after = keys('a: 2\nb:\n  c: 2\n  d:\n    e: 2\nf: [2]\ng:\n  h: 2\n');
    const result = compareValuesForUpgrade({ release: valuesNode('a: 5\ng: null\n'), before, after, defaultsLimit: 2 });
    assert.deepEqual(
      result.changedDefaults.map((d) => d.path),
      ['f', 'b.c'],
    );
    assert.equal(result.changedDefaultsTotal, 3, 'b.c, b.d.e and f; a is set and g.h is decided by g: null');
  });

  it('finds images in common shapes', () => {
    const found = imagesIn(
      keys(
        'image:\n  registry: docker.io\n  repository: bitnami/redis\n  tag: 7.2.4\ncontroller:\n  image:\n    name: ghcr.io/acme/ctl\n    tag: v1\n    digest: sha256:' +
          'a'.repeat(64) +
          '\nhelper:\n  initImage: busybox\n  toolsImage: ghcr.io/acme/tools:2.1\nhomepage: ghcr.io/x/y:1\n',
      ),
    );
    assert.deepEqual(
      [...found.values()].map((i) => [i.path, i.repository, i.tag, i.digest ?? '']),
      [
        ['image', 'docker.io/bitnami/redis', '7.2.4', ''],
        ['controller.image', 'ghcr.io/acme/ctl', 'v1', `sha256:${'a'.repeat(64)}`],
        ['helper.toolsImage', 'ghcr.io/acme/tools', '2.1', ''],
      ],
    );
  });
});
