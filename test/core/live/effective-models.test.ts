// Live answers through postBuild variables, against a real distribution registry: `${APP_VERSION}` in ref.tag and
// `${REGISTRY}` in the url resolve per Flux Kustomization (hover, inlay hints, diagnostics); no value is never an error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryClient } from '../../../core/oci/registry-client';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';
import { LiveService } from '../../../core/live/live-service';
import { startRegistry, type Registry } from '../../support/registry';
import { pushFluxArtifact } from '../../support/registry-push';
import { positionOf } from './live-fixtures';
import { overlayFleetFiles, pushOverlayFleetCharts } from '../../support/overlay-fleet';

let registry: Registry;
let dir: string;
const digests: Record<string, string> = {};

before(async () => {
  registry = await startRegistry();
  dir = mkdtempSync(join(tmpdir(), 'flux-oci-postbuild-'));
  for (const tag of ['1.2.4', '1.3.0']) digests[tag] = (await pushFluxArtifact(registry, 'apps/web', { tag, created: `2024-0${tag[2]}-01T00:00:00Z` })).digest;
  await pushOverlayFleetCharts(registry);
});

after(async () => {
  await registry?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const kustomization = (name: string, version: string | undefined): string =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 5m\n  path: ./apps\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  postBuild:\n    substitute:\n${version ? `      APP_VERSION: "${version}"\n` : '      OTHER: x\n'}    substituteFrom:\n      - kind: ConfigMap\n        name: registry\n`;
const SOURCE = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: web\nspec:\n  interval: 5m\n  url: oci://${REGISTRY}/apps/web\n  ref:\n    tag: ${APP_VERSION}\n';

function setup(versions: Record<string, string | undefined>) {
  const index = new WorkspaceIndex();
  index.setRepositoryRoots(['/repo']);
  for (const [name, version] of Object.entries(versions)) index.setFile(`/repo/clusters/${name}.yaml`, kustomization(name, version));
  index.setFile('/repo/clusters/registry.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: registry\n  namespace: flux-system\ndata:\n  REGISTRY: ${registry.host}\n`);
  index.setFile('/repo/apps/web.yaml', SOURCE);
  const client = new RegistryClient({ diskCacheDir: join(dir, 'disk'), maxRetries: 0, timeoutMs: 3000, insecureHosts: ['127.0.0.1', 'localhost'] });
  const service = new LiveService(index, client, { chartCacheDir: join(dir, 'charts') });
  return { index, client, service };
}

const whole = { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } };

test('one Kustomization: hover and inlay hint say which value the variable took and where it came from', async () => {
  const { service, client } = setup({ apps: '1.2.4' });
  const hover = await service.hoverAt('/repo/apps/web.yaml', positionOf(SOURCE, 'tag:', 6));
  assert.match(hover?.markdown ?? '', /tag `\$\{APP_VERSION\}` = `1\.2\.4` \(from flux-system\/apps\)/);
  assert.match(hover?.markdown ?? '', /url `\$\{REGISTRY\}` = `127\.0\.0\.1:\d+` \(from flux-system\/apps, ConfigMap registry\)/);
  assert.ok(hover?.markdown.includes(digests['1.2.4']!), 'the hover shows the digest the substituted tag resolves to');
  const hints = await service.inlayHints('/repo/apps/web.yaml', whole);
  assert.equal(hints.length, 1);
  assert.match(hints[0]!.label, /^ \$\{REGISTRY\} = 127\.0\.0\.1:\d+, \$\{APP_VERSION\} = 1\.2\.4 \(from flux-system\/apps\) → 1\.2\.4 @sha256:/);
  const completion = await service.completionsAt('/repo/apps/web.yaml', positionOf(SOURCE, '${APP_VERSION}', 0));
  assert.deepEqual(completion?.map((i) => i.label).slice(0, 2), ['1.3.0', '1.2.4'], 'tags of the registry the url variable names');
  const diagnostics = (await service.diagnosticsFor(['/repo/apps/web.yaml'])).get('/repo/apps/web.yaml') ?? [];
  assert.deepEqual(
    diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  const newer = diagnostics.find((d) => d.code === 'live-newer-version');
  assert.ok(newer, 'the newer tag 1.3.0 is hinted');
  assert.equal(newer.fixes, undefined, 'no fix overwrites ${APP_VERSION} with a literal');
  await client.close();
});

test('two Kustomizations with different values: every variant is shown; a missing tag is reported live', async () => {
  const { service, client, index } = setup({ staging: '1.2.4', production: '1.3.0' });
  const hover = await service.hoverAt('/repo/apps/web.yaml', positionOf(SOURCE, 'tag:', 6));
  const markdown = hover?.markdown ?? '';
  assert.match(markdown, /As applied by flux-system\/production/);
  assert.match(markdown, /As applied by flux-system\/staging/);
  assert.ok(markdown.includes(digests['1.2.4']!) && markdown.includes(digests['1.3.0']!), 'both variants resolved');
  const hints = await service.inlayHints('/repo/apps/web.yaml', whole);
  assert.equal(hints.length, 2);
  index.setFile('/repo/clusters/staging.yaml', kustomization('staging', '9.9.9'));
  index.setFile('/repo/clusters/production.yaml', kustomization('production', '9.9.9'));
  const diagnostics = (await service.diagnosticsFor(['/repo/apps/web.yaml'])).get('/repo/apps/web.yaml') ?? [];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 1, 'the same missing tag in both variants is one diagnostic');
  assert.match(errors[0]!.message, /9\.9\.9.*as applied by flux-system\/production, flux-system\/staging/);
  await client.close();
});

test('a variable without a value: offline one information note, live no target and no error', async () => {
  const { service, client, index } = setup({ apps: undefined });
  const offline = index.analyze('/repo/apps/web.yaml').diagnostics;
  assert.deepEqual(
    offline.map((d) => [d.code, d.severity]),
    [['substitution-unresolved', 'information']],
  );
  assert.match(offline[0]!.message, /\$\{APP_VERSION\} has no known value in flux-system\/apps/);
  const diagnostics = await service.diagnosticsFor(['/repo/apps/web.yaml']);
  assert.deepEqual(diagnostics.get('/repo/apps/web.yaml'), []);
  const hover = await service.hoverAt('/repo/apps/web.yaml', positionOf(SOURCE, 'tag:', 6));
  assert.match(hover?.markdown ?? '', /tag `\$\{APP_VERSION\}` has no known value/);
  await client.close();
});

test("a HelmRelease's chart resolves through its source as the release's own cluster applies it", async () => {
  const { service, client, index } = setup({ staging: '1.2.4', production: '1.3.0' });
  const release = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\nspec:\n  interval: 5m\n  chartRef:\n    kind: OCIRepository\n    name: web\n';
  index.setFile('/repo/apps/release.yaml', release);
  const hover = await service.hoverAt('/repo/apps/release.yaml', positionOf(release, '    name: web', 11));
  assert.notEqual(digests['1.2.4'], digests['1.3.0']);
  const sections = (hover?.markdown ?? '').split('\n---\n');
  const staging = sections.find((s) => s.includes('As applied by flux-system/staging')) ?? '';
  const production = sections.find((s) => s.includes('As applied by flux-system/production')) ?? '';
  assert.match(staging, /Flux pulls tag `1\.2\.4`/);
  assert.match(production, /Flux pulls tag `1\.3\.0`/);
  await client.close();
});

function fleet() {
  const index = new WorkspaceIndex();
  index.setRepositoryRoots(['/fleet']);
  for (const [path, text] of Object.entries(overlayFleetFiles(registry.host))) index.setFile(`/fleet/${path}`, text);
  const client = new RegistryClient({ diskCacheDir: join(dir, 'disk'), maxRetries: 0, timeoutMs: 3000, insecureHosts: ['127.0.0.1', 'localhost'] });
  const service = new LiveService(index, client, { chartCacheDir: join(dir, 'charts'), newerVersionHints: false });
  return { index, client, service };
}

test("staging's overlay pins a chart version its source does not resolve to, production's does not: one diagnostic naming staging", async () => {
  const { service, client, index } = fleet();
  assert.deepEqual(
    index.variantsOf('/fleet/apps/base/release.yaml', 0).map((v) => [v.kustomization, v.namespace]),
    [
      ['flux-system/apps-production', 'demo-production'],
      ['flux-system/apps-staging', 'demo-staging'],
    ],
  );
  const all = await service.diagnosticsFor();
  const release = all.get('/fleet/apps/base/release.yaml') ?? [];
  assert.deepEqual(
    release.map((d) => d.message),
    ['HelmRelease demo-staging/demo pins chart version 1.0.0, but OCIRepository demo-staging/demo currently resolves to chart version 1.2.0. (as applied by flux-system/apps-staging)'],
  );
  const text = index.textOf('/fleet/apps/base/release.yaml')!;
  assert.deepEqual(release[0]!.range.start, positionOf(text, '"1.2.0"'), 'on the version as written in the base');
  assert.equal(release[0]!.fixes, undefined);
  const source = (all.get('/fleet/apps/base/source.yaml') ?? []).filter((d) => d.code === 'live-chart-version-mismatch');
  assert.equal(source.length, 1, 'the source end once');
  assert.match(source[0]!.message, /pins chart version 1\.0\.0.*\(as applied by flux-system\/apps-staging\)$/);
  for (const path of ['/fleet/apps/base/release.yaml', '/fleet/apps/base/source.yaml']) {
    assert.ok(!(all.get(path) ?? []).some((d) => d.message.includes('apps-production') && d.code === 'live-chart-version-mismatch'), 'production matches its source');
  }

  // Both clusters mismatching the same way: still one diagnostic per object in each cluster, each naming its own.
  index.setFile('/fleet/apps/base/release.yaml', text.replace('"1.2.0"', '"1.1.0"'));
  const both = (await service.diagnosticsFor(['/fleet/apps/base/release.yaml'])).get('/fleet/apps/base/release.yaml') ?? [];
  assert.deepEqual(both.map((d) => d.message.replace(/.*(pins chart version [^,]+).*resolves to chart version ([^ ]+)\. \(as applied by (.*)\)$/, '$1 → $2 in $3')).sort(), [
    'pins chart version 1.0.0 → 1.2.0 in flux-system/apps-staging',
    'pins chart version 1.1.0 → 1.2.0 in flux-system/apps-production',
  ]);
  await client.close();
});

test('completion offers the chart versions and values keys of every variant, saying which Kustomization alone has one', async () => {
  const { service, client, index } = fleet();
  const text = index.textOf('/fleet/apps/base/release.yaml')!;
  const items = (await service.completionsAt('/fleet/apps/base/release.yaml', positionOf(text, '"1.2.0"'))) ?? [];
  const tags = items.filter((i) => i.kind === 'tag').map((i) => [i.label, i.detail]);
  assert.deepEqual(tags, [
    ['2.0.0', 'newest · only flux-system/apps-production'],
    ['1.2.0', 'tag'],
    ['1.0.0', 'tag · only flux-system/apps-staging'],
  ]);

  const typing = text.replace('    replicaCount: 2\n', '    replicaCount: 2\n    \n');
  index.setFile('/fleet/apps/base/release.yaml', typing);
  const keys = (await service.completionsAt('/fleet/apps/base/release.yaml', { line: typing.split('\n').length - 2, character: 4 })) ?? [];
  assert.deepEqual(
    keys.map((i) => [i.label, i.detail]),
    [['ingress', 'map · only flux-system/apps-production']],
    "values keys of both variants' charts, replicaCount already set",
  );
  await client.close();
});

test("a HelmRepository chart's inlay hint shows each variant's version where the overlays pin different ones", async () => {
  const { service, client, index } = fleet();
  const helm = `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\nspec:\n  type: oci\n  interval: 5m\n  url: oci://${registry.host}/charts\n---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: other\nspec:\n  interval: 5m\n  chart:\n    spec:\n      chart: demo\n      version: "1.x"\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n`;
  index.setFile('/fleet/apps/base/helm.yaml', helm);
  index.setFile('/fleet/apps/base/kustomization.yaml', index.textOf('/fleet/apps/base/kustomization.yaml')! + '  - helm.yaml\n');
  const staging = index.textOf('/fleet/apps/staging/kustomization.yaml')!;
  index.setFile(
    '/fleet/apps/staging/kustomization.yaml',
    staging + '  - target:\n      kind: HelmRelease\n      name: other\n    patch: |\n      - op: replace\n        path: /spec/chart/spec/version\n        value: "1.0.x"\n',
  );
  const hints = (await service.inlayHints('/fleet/apps/base/helm.yaml', whole)).map((h) => h.label).sort();
  assert.equal(hints.length, 2, JSON.stringify(hints));
  assert.match(hints[0]!, /^ \(flux-system\/apps-production\) → 1\.2\.0\b/);
  assert.match(hints[1]!, /^ \(flux-system\/apps-staging\) → 1\.0\.0\b/);
  await client.close();
});

test("a values key's hover shows each variant's chart where they differ, and says which variant alone knows a key", async () => {
  const { service, client, index } = fleet();
  const text = index.textOf('/fleet/apps/base/release.yaml')!.replace('    replicaCount: 2\n', '    replicaCount: 2\n    ingress:\n      enabled: true\n');
  index.setFile('/fleet/apps/base/release.yaml', text);
  const ingress = await service.hoverAt('/fleet/apps/base/release.yaml', positionOf(text, 'ingress:', 2));
  assert.match(ingress?.markdown ?? '', /^\*\*As applied by flux-system\/apps-production\*\*\n\n/);
  assert.doesNotMatch(ingress?.markdown ?? '', /apps-staging/);
  const replicas = await service.hoverAt('/fleet/apps/base/release.yaml', positionOf(text, 'replicaCount:', 2));
  assert.ok(replicas?.markdown, 'both charts document replicaCount');
  assert.doesNotMatch(replicas.markdown, /As applied by/, 'the same default in both charts: one section');
  await client.close();
});

test('Preview Upgrade follows each variant: a lens per distinct upgrade, named after its Kustomizations, and its report', async () => {
  // As written, production (the first variant) reads charts/demo-prod, which has 2.0.0 outside 1.x; staging does not.
  const { service, client } = fleet();
  const lenses = await service.upgradeLenses('/fleet/apps/base/release.yaml');
  assert.deepEqual(
    lenses.map((l) => [l.to, l.kustomizations]),
    [['2.0.0', ['flux-system/apps-production']]],
  );
  // The OCIRepository's own lens follows its variants the same way (production's url is patched to charts/demo-prod).
  const sourceLenses = await service.upgradeLenses('/fleet/apps/base/source.yaml');
  assert.deepEqual(
    sourceLenses.map((l) => [l.to, l.kustomizations]),
    [['2.0.0', ['flux-system/apps-production']]],
  );
  const sourceReport = await service.upgradeReportAt('/fleet/apps/base/source.yaml', sourceLenses[0]!.range.start, { to: '2.0.0', kustomization: 'flux-system/apps-production' });
  assert.ok(sourceReport?.ok, sourceReport && !sourceReport.ok ? sourceReport.message : 'no report');
  assert.match(sourceReport.report.source, /charts\/demo-prod$/);
  await client.close();

  // Swapped, so that the first variant has no upgrade and only the second has one: it used to get no lens at all.
  const files = overlayFleetFiles(registry.host);
  const productionPatch = files['apps/production/kustomization.yaml']!;
  files['apps/staging/kustomization.yaml'] = productionPatch;
  files['apps/production/kustomization.yaml'] = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../base\n';
  const index = new WorkspaceIndex();
  index.setRepositoryRoots(['/swapped']);
  for (const [path, text] of Object.entries(files)) index.setFile(`/swapped/${path}`, text);
  const swappedClient = new RegistryClient({ diskCacheDir: join(dir, 'disk'), maxRetries: 0, timeoutMs: 3000, insecureHosts: ['127.0.0.1', 'localhost'] });
  const swapped = new LiveService(index, swappedClient, { chartCacheDir: join(dir, 'charts') });
  try {
    const [lens, ...others] = await swapped.upgradeLenses('/swapped/apps/base/release.yaml');
    assert.deepEqual(others, []);
    assert.equal(lens?.to, '2.0.0');
    assert.deepEqual(lens?.kustomizations, ['flux-system/apps-staging']);
    const result = await swapped.upgradeReportAt('/swapped/apps/base/release.yaml', lens.range.start, { to: lens.to, kustomization: lens.kustomizations![0] });
    assert.ok(result?.ok, result && !result.ok ? result.message : 'no report');
    assert.equal(result.report.from.tag, '1.2.0');
    assert.equal(result.report.to.tag, '2.0.0');
    assert.match(result.report.source, /charts\/demo-prod$/);
    // The hover on the chart says the same, from staging's chart.
    const hover = await swapped.hoverAt('/swapped/apps/base/release.yaml', lens.range.start);
    assert.equal(hover?.upgradeTo, '2.0.0');
    const section = (hover?.markdown ?? '').split('**Upgrading to')[1] ?? '';
    assert.match(section, /\(as applied by flux-system\/apps-staging\)$/, 'the section says which cluster it is for');
    const [sourceLens] = await swapped.upgradeLenses('/swapped/apps/base/source.yaml');
    assert.deepEqual([sourceLens?.to, sourceLens?.kustomizations], ['2.0.0', ['flux-system/apps-staging']], 'the source lens used to follow only production');
  } finally {
    await swappedClient.close();
  }
});
