// Completion of ImagePolicy names inside a `$imagepolicy` marker through the offline completion entry point.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { completionsAt } from '../../../core/manifests/completion';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';

const POLICY = (name: string, namespace: string): string =>
  `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  imageRepositoryRef:\n    name: ${name}\n  policy:\n    semver:\n      range: 6.x\n`;

function workspace(line: string): WorkspaceIndex {
  const index = new WorkspaceIndex();
  index.setFile('/r/policies.yaml', `${POLICY('podinfo', 'flux-system')}---\n${POLICY('redis', 'apps')}`);
  index.setFile('/r/deploy.yaml', `spec:\n  image: nginx:1.0 ${line}\n`);
  return index;
}

test('inside the marker string: every ImagePolicy as namespace:name, replacing what was typed', () => {
  const line = '# {"$imagepolicy": "flux-s';
  const index = workspace(line);
  const character = '  image: nginx:1.0 '.length + line.length;
  const items = completionsAt(index, '/r/deploy.yaml', { line: 1, character });
  assert.deepEqual(
    items.map((i) => i.label),
    ['flux-system:podinfo', 'apps:redis'],
  );
  assert.deepEqual(items[0].range, { start: { line: 1, character: character - 'flux-s'.length }, end: { line: 1, character } });
  assert.equal(items[0].detail, 'ImagePolicy flux-system/podinfo');
});

test('after a full policy name the :tag, :name and :digest setters are offered', () => {
  const line = '# {"$imagepolicy": "flux-system:podinfo:';
  const items = completionsAt(workspace(line), '/r/deploy.yaml', { line: 1, character: '  image: nginx:1.0 '.length + line.length });
  assert.deepEqual(
    items.filter((i) => i.label.startsWith('flux-system')).map((i) => i.label),
    ['flux-system:podinfo', 'flux-system:podinfo:tag', 'flux-system:podinfo:name', 'flux-system:podinfo:digest'],
  );
});

test('outside a marker nothing changes: ordinary comments get no policy names', () => {
  const line = '# a note';
  const items = completionsAt(workspace(line), '/r/deploy.yaml', { line: 1, character: '  image: nginx:1.0 '.length + line.length });
  assert.ok(!items.some((i) => i.label.includes('podinfo')));
});
