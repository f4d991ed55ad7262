// The workspace index: cross-file references (Secrets incl. SOPS/SealedSecret, chartRef), affected paths,
// incremental re-analysis with shifted ranges, models, credentials, navigation, Kustomize patch files.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';

const OCI = (name: string, ns: string, extra = ''): string =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  interval: 5m\n  url: oci://ghcr.io/org/${name}\n  ref:\n    semver: "1.x"\n${extra}`;
const HR = (chartRefNs?: string): string =>
  `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: app\n  namespace: apps\nspec:\n  interval: 5m\n  chartRef:\n    kind: OCIRepository\n    name: app\n${chartRefNs ? `    namespace: ${chartRefNs}\n` : ''}`;
const SECRET = (kind: string, name: string, ns: string, extra = ''): string =>
  `apiVersion: ${kind === 'SealedSecret' ? 'bitnami.com/v1alpha1' : 'v1'}\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n${extra}`;
const codesOf = (index: WorkspaceIndex, path: string): string[] =>
  index
    .analyze(path)
    .diagnostics.map((d) => d.code)
    .sort();

test('secretRef resolves across files; SOPS Secrets and SealedSecrets count', () => {
  const index = new WorkspaceIndex();
  index.setFile('oci.yaml', OCI('app', 'apps', '  secretRef:\n    name: pull\n  verify:\n    provider: cosign\n    secretRef:\n      name: keys\n'));
  assert.deepEqual(codesOf(index, 'oci.yaml'), ['secret-ref-not-found', 'secret-ref-not-found']);
  const missing = index.analyze('oci.yaml').diagnostics[0];
  assert.equal(missing.severity, 'information');
  assert.deepEqual(missing.range, { start: { line: 11, character: 10 }, end: { line: 11, character: 14 } });
  const affected = index.setFile('secrets.yaml', SECRET('Secret', 'pull', 'apps', 'sops:\n  version: 3.9.0\n') + '---\n' + SECRET('SealedSecret', 'keys', 'apps'));
  assert.deepEqual(affected.sort(), ['oci.yaml', 'secrets.yaml']);
  assert.deepEqual(codesOf(index, 'oci.yaml'), []);
  // same name in another namespace does not count
  index.setFile('secrets.yaml', SECRET('Secret', 'pull', 'other', ''));
  assert.deepEqual(codesOf(index, 'oci.yaml'), ['secret-ref-not-found', 'secret-ref-not-found']);
  assert.deepEqual(index.removeFile('secrets.yaml').sort(), ['oci.yaml', 'secrets.yaml']);
  assert.equal(index.hasFile('secrets.yaml'), false);
});

test('chartRef resolves with the HelmRelease namespace as default; findObject and navigation', () => {
  const index = new WorkspaceIndex();
  index.setFile('hr.yaml', HR());
  assert.deepEqual(codesOf(index, 'hr.yaml'), ['chart-ref-not-found']);
  index.setFile('oci.yaml', OCI('app', 'apps'));
  assert.deepEqual(codesOf(index, 'hr.yaml'), []);
  index.setFile('hr.yaml', HR('flux-system'));
  assert.deepEqual(codesOf(index, 'hr.yaml'), ['chart-ref-not-found']);
  index.setFile('hr.yaml', HR('apps'));
  assert.equal(index.findObject('OCIRepository', 'apps', 'app')?.path, 'oci.yaml');
  assert.equal(index.definitionOf('hr.yaml', { line: 9, character: 12 })?.path, 'oci.yaml');
  assert.equal(index.definitionOf('hr.yaml', { line: 6, character: 12 }), undefined);
  const refs = index.referencesTo('OCIRepository', 'apps', 'app');
  assert.equal(refs.length, 1);
  assert.equal(refs[0].path, 'hr.yaml');
  assert.equal(refs[0].reference.range.start.line, 9);
});

test('namespaces default to "default"', () => {
  const index = new WorkspaceIndex();
  index.setFile('a.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n');
  const [obj] = index.analyze('a.yaml').objects;
  assert.equal(obj.namespace, 'default');
  assert.equal(obj.namespaceExplicit, false);
});

test('editing one document of many re-analyses only that one and shifts ranges of the rest', () => {
  const docs = Array.from({ length: 50 }, (_, i) => OCI(`app${i}`, 'apps', '  ref:\n    branch: main\n'.replace('ref:', 'layerSelector:').replace('branch: main', 'operation: copy')));
  const index = new WorkspaceIndex();
  index.setFile('many.yaml', docs.join('---\n'));
  const before = index.documents('many.yaml');
  assert.equal(index.analyze('many.yaml').diagnostics.length, 0);
  docs[10] = docs[10].replace('semver: "1.x"', 'semver: "1.x"\n    branch: main');
  index.setFile('many.yaml', docs.join('---\n'));
  const after = index.documents('many.yaml');
  let reused = 0;
  for (let i = 0; i < after.length; i++) if (after[i].result === before[i].result) reused++;
  assert.equal(reused, after.length - 1);
  const ds = index.analyze('many.yaml').diagnostics;
  assert.equal(ds.length, 1);
  const line = docs.slice(0, 10).join('---\n').split('\n').length; // first line of doc 10 (its `---` line)
  assert.equal(ds[0].range.start.line, line + 10);
  assert.equal(index.analyze('many.yaml').objects[49].documentIndex, 49);
  assert.equal(index.analyze('many.yaml').objects[49].range.start.line, after[49].startLine);
});

test('models carry values and file ranges; dockerConfigForSecret decodes credentials', () => {
  const index = new WorkspaceIndex();
  const auths = { auths: { 'ghcr.io': { username: 'flux', password: 'p4ss' } } };
  index.setFile(
    'x.yaml',
    '---\n' +
      SECRET('Secret', 'pull', 'apps', `type: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${Buffer.from(JSON.stringify(auths)).toString('base64')}\n`) +
      '---\n' +
      OCI('app', 'apps', '  secretRef:\n    name: pull\n  insecure: true\n') +
      '---\n' +
      HR(),
  );
  const [oci] = index.ociRepositories();
  assert.equal(oci.model.url?.value, 'oci://ghcr.io/org/app');
  assert.equal(oci.model.ref?.semver?.value, '1.x');
  assert.equal(oci.model.secretRef?.value, 'pull');
  assert.equal(oci.model.insecure?.value, true);
  assert.equal(oci.model.object.documentIndex, 1);
  assert.deepEqual(oci.model.ref?.semver?.range, { start: { line: 19, character: 12 }, end: { line: 19, character: 17 } });
  const [hr] = index.helmReleases();
  assert.equal(hr.model.chartRef?.name?.value, 'app');
  assert.equal(hr.model.chartRef?.kind?.value, 'OCIRepository');
  assert.deepEqual(index.dockerConfigForSecret('apps', 'pull'), auths);
  assert.equal(index.dockerConfigForSecret('default', 'pull'), undefined);
  assert.deepEqual(index.analyze('x.yaml').diagnostics, []);
});

test('files named as patches by a Kustomization get no required-field errors', () => {
  const index = new WorkspaceIndex();
  const partial = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: app\nspec:\n  url: oci://ghcr.io/org/app\n';
  index.setFile('/repo/overlay/patch.yaml', partial);
  assert.deepEqual(codesOf(index, '/repo/overlay/patch.yaml'), ['field-required']);
  const affected = index.setFile('/repo/overlay/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../base\npatches:\n  - path: ./patch.yaml\n');
  assert.ok(affected.includes('/repo/overlay/patch.yaml'));
  assert.deepEqual(codesOf(index, '/repo/overlay/patch.yaml'), []);
});

test('objects inside a kind: List are found by other files: references resolve, navigation lands on the item', () => {
  const index = new WorkspaceIndex();
  const list = `# sources\n---\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: plain\n  - ${OCI('app', 'apps').replace(/\n/g, '\n    ').trimEnd()}\n`;
  index.setFile('/w/release.yaml', HR());
  assert.deepEqual(codesOf(index, '/w/release.yaml'), ['chart-ref-not-found']);
  index.setFile('/w/list.yaml', list);
  assert.deepEqual(codesOf(index, '/w/release.yaml'), [], 'the OCIRepository inside the List is found');
  const found = index.findObject('OCIRepository', 'apps', 'app');
  assert.equal(found?.path, '/w/list.yaml');
  assert.equal(found?.object.kind, 'OCIRepository');
  assert.deepEqual(found?.object.nameRange?.start, { line: 12, character: 12 }, 'the item name, at its line in the file');
  const definition = index.definitionOf('/w/release.yaml', { line: 9, character: 11 });
  assert.equal(definition?.object.name, 'app');
  assert.equal(definition?.object.range.start.line, 9, 'the item, not the whole List');
  index.setFile('/w/list.yaml', list.replace('name: app', 'name: other'));
  assert.deepEqual(codesOf(index, '/w/release.yaml'), ['chart-ref-not-found'], 'renaming the item is seen');
});

test("a List's items take the namespace a Flux Kustomization gives the List", () => {
  const index = new WorkspaceIndex();
  index.setRepositoryRoots(['/r']);
  index.setFile(
    '/r/clusters/apps.yaml',
    'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 5m\n  path: ./apps\n  prune: true\n  targetNamespace: team\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
  );
  index.setFile('/r/apps/list.yaml', `apiVersion: v1\nkind: List\nitems:\n  - ${OCI('app', 'apps').replace(/\n/g, '\n    ').trimEnd()}\n`);
  index.setFile('/r/apps/release.yaml', HR().replace('  namespace: apps\n', ''));
  assert.deepEqual(codesOf(index, '/r/apps/release.yaml'), []);
  assert.equal(index.findObject('OCIRepository', 'team', 'app')?.path, '/r/apps/list.yaml');
});
