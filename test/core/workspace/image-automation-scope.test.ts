// Cross-file image automation through the index: a marker naming a missing ImagePolicy is an error, one outside
// every ImageUpdateAutomation's update.path (or namespace) gets a note, and both follow edits of other files.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { automationScopes, automationsCovering, joinInside, markersInFile, workspaceRoot } from '../../../core/workspace/image-automation-scope';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';
import { hoverAt } from '../../../core/manifests/hover';

const POLICY = (name: string, namespace = 'flux-system'): string =>
  `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  imageRepositoryRef:\n    name: ${name}\n  policy:\n    semver:\n      range: 6.x\n`;
const REPO = (name: string): string =>
  `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  image: ghcr.io/org/${name}\n  interval: 5m\n`;
const AUTOMATION = (path: string, namespace = 'flux-system'): string =>
  `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageUpdateAutomation\nmetadata:\n  name: auto\n  namespace: ${namespace}\nspec:\n  interval: 30m\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  update:\n    path: ${path}\n    strategy: Setters\n`;
const GIT = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: https://example.com/repo\n';
const DEPLOYMENT =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: podinfo\nspec:\n  template:\n    spec:\n      containers:\n        - name: podinfo\n          image: ghcr.io/org/podinfo:6.5.0 # {"$imagepolicy": "flux-system:podinfo"}\n';

function workspace(): WorkspaceIndex {
  const index = new WorkspaceIndex();
  index.setFile('/repo/clusters/prod/flux-system/gotk-sync.yaml', GIT);
  index.setFile('/repo/clusters/prod/images.yaml', POLICY('podinfo') + '---\n' + REPO('podinfo'));
  index.setFile('/repo/apps/podinfo/deployment.yaml', DEPLOYMENT);
  return index;
}
const codesOf = (index: WorkspaceIndex, path: string): string[] =>
  index
    .analyze(path)
    .diagnostics.map((d) => d.code)
    .sort();

test('a marker naming an existing policy, under an automation of its namespace, gets nothing', () => {
  const index = workspace();
  index.setFile('/repo/clusters/prod/automation.yaml', AUTOMATION('./apps'));
  assert.deepEqual(codesOf(index, '/repo/apps/podinfo/deployment.yaml'), []);
  assert.deepEqual(codesOf(index, '/repo/clusters/prod/automation.yaml'), []);
  const [marker] = markersInFile(index, '/repo/apps/podinfo/deployment.yaml');
  assert.equal(marker.valueRange.start.line, 9);
  const scopes = automationScopes(index);
  assert.equal(scopes[0].directory, '/repo/apps');
  assert.deepEqual(scopes[0].sourceRef, { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' });
});

test('a marker naming a missing policy is an error on the setter text, and clears when the policy appears', () => {
  const index = workspace();
  index.setFile('/repo/clusters/prod/automation.yaml', AUTOMATION('./'));
  index.setFile('/repo/apps/other.yaml', 'tag: 1.0.0 # {"$imagepolicy": "flux-system:missing:tag"}\n');
  const [d] = index.analyze('/repo/apps/other.yaml').diagnostics;
  assert.equal(d.code, 'image-policy-not-found');
  assert.equal(d.severity, 'error');
  assert.deepEqual(d.range, { start: { line: 0, character: 31 }, end: { line: 0, character: 54 } });
  const affected = index.setFile('/repo/clusters/prod/missing.yaml', POLICY('missing'));
  assert.ok(affected.includes('/repo/apps/other.yaml'), 'the marker file is re-diagnosed when the policy appears');
  assert.deepEqual(codesOf(index, '/repo/apps/other.yaml'), []);
});

test('markers outside every automation path, or of another namespace, get a note that nothing updates them', () => {
  const index = workspace();
  assert.match(index.analyze('/repo/apps/podinfo/deployment.yaml').diagnostics[0].message, /no ImageUpdateAutomation is in this workspace/);
  index.setFile('/repo/clusters/prod/automation.yaml', AUTOMATION('./clusters'));
  const [d] = index.analyze('/repo/apps/podinfo/deployment.yaml').diagnostics;
  assert.equal(d.code, 'image-marker-not-automated');
  assert.equal(d.severity, 'information');
  assert.match(d.message, /auto: update\.path "\.\/clusters"/);
  index.setFile('/repo/clusters/prod/automation.yaml', AUTOMATION('./', 'apps'));
  assert.match(index.analyze('/repo/apps/podinfo/deployment.yaml').diagnostics[0].message, /no ImageUpdateAutomation in namespace 'flux-system'/);
});

test('update.path joins like a secure join: .. cannot leave the root; the root is the common directory', () => {
  assert.equal(joinInside('/repo', '../../etc'), '/repo/etc');
  assert.equal(joinInside('/repo', './a/./b/'), '/repo/a/b');
  assert.equal(joinInside('/repo', ''), '/repo');
  assert.equal(workspaceRoot(workspace()), '/repo');
  const scopes = automationScopes(workspace(), '/repo');
  assert.deepEqual(automationsCovering(scopes, '/repo/apps/x.yaml', 'flux-system'), []);
});

test('an ImagePolicy naming a missing ImageRepository is noted like other references', () => {
  const index = new WorkspaceIndex();
  index.setFile('/r/p.yaml', POLICY('lonely'));
  const [d] = index.analyze('/r/p.yaml').diagnostics;
  assert.equal(d.severity, 'information');
  assert.match(d.message, /No ImageRepository 'lonely' in namespace 'flux-system'/);
});

test('offline hover on the setter text: what it writes, the policy and the automation that rewrites it', () => {
  const index = workspace();
  index.setFile('/repo/clusters/prod/automation.yaml', AUTOMATION('./apps'));
  const line = DEPLOYMENT.split('\n')[9];
  const hover = hoverAt(index, '/repo/apps/podinfo/deployment.yaml', { line: 9, character: line.indexOf('flux-system:podinfo') + 3 });
  assert.ok(hover);
  assert.match(hover.markdown, /writes the whole image reference `name:tag`/);
  assert.match(hover.markdown, /ImagePolicy `flux-system\/podinfo`/);
  assert.match(hover.markdown, /Rewritten by ImageUpdateAutomation `flux-system\/auto` \(update\.path `\.\/apps`\)/);
  const definition = index.definitionOf('/repo/apps/podinfo/deployment.yaml', { line: 9, character: line.indexOf('flux-system:podinfo') + 3 });
  assert.equal(definition?.path, '/repo/clusters/prod/images.yaml', 'go to definition from a marker reaches the ImagePolicy');
  assert.equal(definition?.object.kind, 'ImagePolicy');
  assert.equal(index.referencesTo('ImagePolicy', 'flux-system', 'podinfo').length, 1, 'and find references from the policy reaches the marker');
  index.setFile('/repo/apps/other.yaml', 'tag: 1.0.0 # {"$imagepolicy": "flux-system:missing:tag"}\n');
  assert.match(hoverAt(index, '/repo/apps/other.yaml', { line: 0, character: 40 })!.markdown, /the tag only[\s\S]*No ImagePolicy `missing`/);
});

test('policies and automations count in the namespace their Kustomization applies them in', () => {
  // Neither object names a namespace: the kustomization.yaml under the Flux Kustomization's path gives flux-system.
  const strip = (yaml: string): string => yaml.replace(/\n {2}namespace: flux-system\n/, '\n');
  const index = new WorkspaceIndex();
  index.setRepositoryRoots(['/repo']);
  index.setFile('/repo/clusters/prod/flux-system/gotk-sync.yaml', GIT);
  index.setFile(
    '/repo/clusters/prod/infra.yaml',
    'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: infra\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./infra\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
  );
  index.setFile('/repo/infra/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: flux-system\nresources:\n  - images.yaml\n');
  index.setFile('/repo/infra/images.yaml', [strip(POLICY('podinfo')), strip(REPO('podinfo')), strip(AUTOMATION('./apps'))].join('---\n'));
  index.setFile('/repo/apps/podinfo/deployment.yaml', DEPLOYMENT);
  assert.deepEqual(codesOf(index, '/repo/apps/podinfo/deployment.yaml'), []);
  const scopes = automationScopes(index);
  assert.deepEqual(
    scopes.map((s) => s.object.namespace),
    ['flux-system'],
  );
  assert.deepEqual(scopes[0].sourceRef, { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' });
});
