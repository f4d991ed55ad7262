// The build model on a real fleet tree (test/fixtures/fleet): variants per cluster, overlays' patches, targetNamespace,
// namePrefix/suffix, postBuild substitute + substituteFrom (ConfigMap, plain Secret, SOPS Secret), incremental rebuilds.
import { strict as assert } from 'node:assert';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';
import { loadFixtureTree } from '../../support/fixture-tree';

const FLEET = resolve(__dirname, '../../fixtures/fleet');
const at = (rel: string): string => join(FLEET, rel);
const byKustomization = <T extends { kustomization: string }>(list: T[]): Record<string, T> => Object.fromEntries(list.map((v) => [v.kustomization, v]));

test('a base applied by two cluster overlays has one variant per cluster, patched and substituted', () => {
  const index = loadFixtureTree(FLEET);
  const release = byKustomization(index.variantsOf(at('apps/base/podinfo/release.yaml'), 0));
  assert.deepEqual(Object.keys(release).sort(), ['flux-system/apps (clusters/production)', 'flux-system/apps (clusters/staging)']);
  const staging = release['flux-system/apps (clusters/staging)'];
  const production = release['flux-system/apps (clusters/production)'];
  assert.equal(staging.namespace, 'podinfo-staging');
  assert.equal(staging.name, 'podinfo');
  assert.equal(production.namespace, 'podinfo-production');
  assert.equal(production.name, 'podinfo-prod', 'nameSuffix of the production overlay');
  assert.deepEqual(staging.object.spec, {
    interval: '10m',
    chartRef: { kind: 'OCIRepository', name: 'podinfo', namespace: 'flux-system' },
    values: { replicaCount: 2, image: { tag: '1.2.4' }, ui: { message: 'Hello from staging', color: '#34577c' } },
  });
  assert.deepEqual((production.object.spec as { values: unknown }).values, { replicaCount: 3, image: { tag: '1.3.0' }, ui: { message: 'Hello from production' } });
  assert.deepEqual(
    production.uses.map((u) => [u.name, u.value, u.from]),
    [
      ['APP_VERSION', '1.3.0', 'postBuild.substitute'],
      ['CLUSTER_NAME', 'production', 'ConfigMap cluster-vars'],
    ],
  );
});

test('JSON6902 patch of the chart version, defaults from a ConfigMap, a SOPS value stays unknown', () => {
  const index = loadFixtureTree(FLEET);
  const frontend = byKustomization(index.variantsOf(at('apps/base/podinfo/frontend.yaml'), 0));
  const prod = frontend['flux-system/apps (clusters/production)'].object.spec as { chart: { spec: { version: string } }; values: Record<string, unknown> };
  const stag = frontend['flux-system/apps (clusters/staging)'].object.spec as { chart: { spec: { version: string } }; values: Record<string, unknown> };
  assert.equal(prod.chart.spec.version, '6.6.x');
  assert.equal(stag.chart.spec.version, '6.5.x');
  assert.deepEqual(prod.values, { replicaCount: 3, password: '${DB_PASSWORD}', ingress: { enabled: true } });
  assert.equal(stag.values.replicaCount, 1, 'a whole ${VAR} becomes the number its value spells, as after Flux re-reads the YAML');
  assert.deepEqual(frontend['flux-system/apps (clusters/staging)'].unknownSources, ['Secret sops-vars (SOPS-encrypted)']);
});

test('kustomization namespace and a base64 Secret substituteFrom: sources resolve in flux-system', () => {
  const index = loadFixtureTree(FLEET);
  const oci = byKustomization(index.variantsOf(at('infrastructure/sources/podinfo-chart.yaml'), 0));
  const staging = oci['flux-system/infrastructure (clusters/staging)'];
  assert.equal(staging.namespace, 'flux-system');
  assert.equal((staging.object.spec as { url: string }).url, 'oci://ghcr.io/stefanprodan/charts/podinfo');
  assert.equal((oci['flux-system/infrastructure (clusters/production)'].object.spec as { ref: { semver: string } }).ref.semver, '6.6.x');
  assert.equal(index.findObject('Secret', 'flux-system', 'pull-secret')?.path, at('infrastructure/sources/pull-secret.yaml'));
  assert.equal(index.findObject('Secret', 'default', 'pull-secret'), undefined, 'the namespace as written no longer counts');
});

test('diagnostics: no false not-found notes, one per real miss naming its Kustomization, SOPS variables are a note', () => {
  const index = loadFixtureTree(FLEET);
  const codes = (rel: string): string[] => index.analyze(at(rel)).diagnostics.map((d) => d.code);
  assert.deepEqual(codes('apps/base/podinfo/release.yaml'), []);
  assert.deepEqual(codes('infrastructure/sources/podinfo-chart.yaml'), []);
  const image = index.analyze(at('apps/base/podinfo/app-image.yaml')).diagnostics;
  assert.equal(image.length, 1);
  assert.equal(image[0].code, 'secret-ref-not-found');
  assert.match(image[0].message, /'app-pull' in namespace 'podinfo-production'.*as applied by flux-system\/apps \(clusters\/production\)/);
  assert.equal(image[0].range.start.line, 10);
  const frontend = index.analyze(at('apps/base/podinfo/frontend.yaml')).diagnostics;
  assert.deepEqual(
    frontend.map((d) => [d.code, d.severity]),
    [['substitution-unresolved', 'information']],
  );
  assert.match(frontend[0].message, /\$\{DB_PASSWORD\}.*Secret sops-vars \(SOPS-encrypted\)/);
  assert.deepEqual(frontend[0].range, { start: { line: 16, character: 14 }, end: { line: 16, character: 28 } });
  const objects = index.analyze(at('apps/base/podinfo/release.yaml')).objects;
  assert.deepEqual(objects[0].variants?.map((v) => v.namespace).sort(), ['podinfo-production', 'podinfo-staging']);
});

test('editing an applied object keeps the build; editing a Kustomization rebuilds it', () => {
  const index = loadFixtureTree(FLEET);
  const build = index.repositoryBuild();
  const path = at('apps/base/podinfo/release.yaml');
  const text = index.textOf(path)!;
  index.setFile(path, text.replace('replicaCount: 1', 'replicaCount: 5'));
  assert.equal(index.repositoryBuild(), build, 'a values edit does not rebuild the model');
  const apps = at('clusters/staging/apps.yaml');
  const affected = index.setFile(apps, index.textOf(apps)!.replace('APP_VERSION: "1.2.4"', 'APP_VERSION: "1.2.5"'));
  assert.ok(affected.includes(path), 'files using variables are re-published');
  assert.notEqual(index.repositoryBuild(), build);
  const staging = index.variantsOf(path, 0).find((v) => v.kustomization === 'flux-system/apps (clusters/staging)');
  assert.equal((staging?.object.spec as { values: { image: { tag: string } } }).values.image.tag, '1.2.5');
  index.removeFile(at('apps/staging/kustomization.yaml'));
  assert.deepEqual(
    index.variantsOf(path, 0).map((v) => v.kustomization),
    ['flux-system/apps (clusters/production)'],
  );
});

test('targetNamespace overrides a written namespace, skips cluster-scoped kinds; substitution can be disabled', () => {
  const index = new WorkspaceIndex();
  index.setRepositoryRoots(['/repo']);
  index.setFile(
    '/repo/clusters/dev/app.yaml',
    [
      'apiVersion: kustomize.toolkit.fluxcd.io/v1',
      'kind: Kustomization',
      'metadata:',
      '  name: app',
      '  namespace: flux-system',
      'spec:',
      '  interval: 5m',
      '  path: /deploy',
      '  targetNamespace: team-a',
      '  prune: true',
      '  sourceRef:',
      '    kind: GitRepository',
      '    name: flux-system',
      '  postBuild:',
      '    substitute:',
      '      TAG: "2.0"',
      '',
    ].join('\n'),
  );
  index.setFile(
    '/repo/deploy/all.yaml',
    [
      'apiVersion: v1',
      'kind: Namespace',
      'metadata:',
      '  name: team-a',
      '---',
      'apiVersion: source.toolkit.fluxcd.io/v1',
      'kind: OCIRepository',
      'metadata:',
      '  name: app',
      '  namespace: elsewhere',
      '  annotations:',
      '    kustomize.toolkit.fluxcd.io/substitute: disabled',
      'spec:',
      '  interval: 5m',
      '  url: oci://ghcr.io/o/app',
      '  ref:',
      '    tag: ${TAG}',
      '',
    ].join('\n'),
  );
  index.setFile('/repo/other/outside.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n');
  const [ns] = index.variantsOf('/repo/deploy/all.yaml', 0);
  assert.equal(ns.namespace, 'default', 'Namespace is cluster-scoped: no namespace set');
  const [oci] = index.variantsOf('/repo/deploy/all.yaml', 1);
  assert.equal(oci.kustomization, 'flux-system/app');
  assert.equal(oci.namespace, 'team-a');
  assert.equal((oci.object.spec as { ref: { tag: string } }).ref.tag, '${TAG}');
  assert.deepEqual(index.variantsOf('/repo/other/outside.yaml', 0), []);
  assert.equal(index.analyze('/repo/other/outside.yaml').objects[0].namespace, 'default');
});

test('spec.path is found from the Kustomization file when the repository root is not known', () => {
  const index = new WorkspaceIndex();
  index.setFile(
    '/checkout/fleet/clusters/a/apps.yaml',
    'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  path: ./apps\n  targetNamespace: apps\n',
  );
  index.setFile('/checkout/fleet/apps/secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n');
  assert.equal(index.variantsOf('/checkout/fleet/apps/secret.yaml', 0)[0]?.namespace, 'apps');
});

test('an ExternalArtifact path maps through the ArtifactGenerator copy rules; other sources apply nothing here', () => {
  const index = new WorkspaceIndex();
  index.setRepositoryRoots(['/repo']);
  index.setFile(
    '/repo/clusters/prod/artifacts.yaml',
    [
      'apiVersion: source.extensions.fluxcd.io/v1beta1',
      'kind: ArtifactGenerator',
      'metadata:',
      '  name: gen',
      '  namespace: flux-system',
      'spec:',
      '  sources:',
      '    - alias: mono',
      '      kind: GitRepository',
      '      name: flux-system',
      '  artifacts:',
      '    - name: apps',
      '      copy:',
      '        - from: "@mono/apps/base/**"',
      '          to: "@artifact/base/"',
      '        - from: "@mono/apps/prod/**"',
      '          to: "@artifact/prod/"',
      '',
    ].join('\n'),
  );
  const ks = (name: string, kind: string, path: string): string =>
    `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  path: ${path}\n  targetNamespace: ${name}\n  sourceRef:\n    kind: ${kind}\n    name: apps\n`;
  index.setFile('/repo/clusters/prod/apps.yaml', ks('apps', 'ExternalArtifact', './prod'));
  index.setFile('/repo/clusters/prod/oci.yaml', ks('oci', 'OCIRepository', './apps/prod'));
  index.setFile('/repo/apps/prod/kustomization.yaml', 'resources:\n  - ../base\n');
  index.setFile('/repo/apps/base/kustomization.yaml', 'resources:\n  - secret.yaml\n');
  index.setFile('/repo/apps/base/secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n');
  assert.deepEqual(
    index.variantsOf('/repo/apps/base/secret.yaml', 0).map((v) => [v.kustomization, v.namespace]),
    [['flux-system/apps', 'apps']],
  );
});

test('malformed and cyclic builds give no crash and no variants they cannot justify', () => {
  const index = new WorkspaceIndex();
  index.setRepositoryRoots(['/repo']);
  const ks = (name: string, path: string): string =>
    `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  path: ${path}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  patches: "not a list"\n  postBuild:\n    substitute: [1, 2]\n    substituteFrom: {kind: ConfigMap}\n`;
  index.setFile('/repo/a/ks.yaml', ks('a', './b') + '---\n' + ks('self', './a'));
  index.setFile('/repo/b/ks.yaml', ks('b', './a'));
  index.setFile(
    '/repo/b/kustomization.yaml',
    [
      'resources: "x"',
      'components: [1, {a: b}]',
      'namePrefix: 5',
      'patches:',
      '  - patch: "{{ not yaml"',
      '  - target: {kind: "([", name: "("}',
      '    patch: "- op: nope"',
      '  - path: ../../../../etc/passwd',
      'patchesJson6902:',
      '  - target: {kind: Secret}',
      '    patch: "[{\\"op\\": \\"remove\\", \\"path\\": \\"/nowhere\\"}]"',
      'patchesStrategicMerge:',
      '  - 42',
      '',
    ].join('\n'),
  );
  index.setFile('/repo/b/loop/kustomization.yaml', 'resources:\n  - ../loop\n  - .\n  - ../../b/loop\n');
  index.setFile('/repo/b/secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: x\n');
  for (const path of index.files()) assert.doesNotThrow(() => index.analyze(path), path);
  assert.ok(index.repositoryBuild().instances.length >= 3);
  assert.deepEqual(index.variantsOf('/repo/b/secret.yaml', 0), [], 'resources: "x" names no file');
});

test('go to definition and find references follow effective namespaces', () => {
  const index = loadFixtureTree(FLEET);
  const image = at('apps/base/podinfo/app-image.yaml');
  assert.equal(index.definitionOf(image, { line: 10, character: 12 })?.path, at('apps/staging/app-pull-secret.yaml'), 'the staging variant finds its Secret');
  assert.deepEqual(
    index.referencesTo('Secret', 'podinfo-staging', 'app-pull').map((r) => [r.path, r.reference.range.start.line]),
    [[image, 10]],
  );
  assert.deepEqual(index.referencesTo('Secret', 'default', 'app-pull'), [], 'the namespace as written is not where it points');
  const release = at('apps/base/podinfo/release.yaml');
  assert.equal(index.definitionOf(release, { line: 8, character: 12 })?.path, at('infrastructure/sources/podinfo-chart.yaml'));
});

test('Windows paths (backslashes, drive letters) build the same model', () => {
  const index = new WorkspaceIndex();
  index.setRepositoryRoots(['C:\\repo']);
  index.setFile(
    'C:\\repo\\clusters\\apps.yaml',
    'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  path: ./apps\n  targetNamespace: team\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
  );
  index.setFile('C:\\repo\\apps\\kustomization.yaml', 'resources:\n  - secret.yaml\npatches:\n  - path: patch.yaml\n');
  index.setFile('C:\\repo\\apps\\secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n');
  index.setFile('C:\\repo\\apps\\patch.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  a: b\n');
  const [variant] = index.variantsOf('C:\\repo\\apps\\secret.yaml', 0);
  assert.equal(variant?.namespace, 'team');
  assert.deepEqual(variant?.object.stringData, { a: 'b' });
  assert.equal(index.repositoryBuild().isPatchFile('C:\\repo\\apps\\patch.yaml'), true);
});
