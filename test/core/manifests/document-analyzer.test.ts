// What one document's analysis covers beyond a single object: the items of a `kind: List`, each checked
// like a document of its own with ranges inside the list, and their references resolved across files.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { FluxDiagnostic } from '../../../core/diagnostic';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';

function diagnose(text: string, others: Record<string, string> = {}): FluxDiagnostic[] {
  const index = new WorkspaceIndex();
  for (const [path, other] of Object.entries(others)) index.setFile(path, other);
  index.setFile('list.yaml', text);
  return index.analyze('list.yaml').diagnostics;
}
const where = (d: FluxDiagnostic): string => `${d.code}@${d.range.start.line}:${d.range.start.character}`;

const LIST = `apiVersion: v1
kind: List
items:
  - apiVersion: source.toolkit.fluxcd.io/v1
    kind: OCIRepository
    metadata:
      name: app
    spec:
      interval: 5m
      url: oci://ghcr.io/org/app
      ref:
        branch: main
  - apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: app
      namespace: apps
    spec:
      chartRef:
        kind: OCIRepository
        name: app
        namespace: default
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: plain
`;

test('items of a kind: List are validated with ranges pointing into the list', () => {
  const ds = diagnose(LIST);
  assert.deepEqual(ds.map(where).sort(), ['field-required@17:4', 'oci-ref-git-field@11:8']);
  assert.match(ds.find((d) => d.code === 'field-required')!.message, /'interval'/);
});

test('references made by List items are resolved across files', () => {
  const withoutSource = LIST.replace(/ {2}- apiVersion: source[\s\S]*?(?= {2}- apiVersion: helm)/, '');
  const missing = diagnose(withoutSource).filter((d) => d.code === 'chart-ref-not-found');
  assert.equal(missing.length, 1);
  const source = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: app\nspec:\n  interval: 5m\n  url: oci://ghcr.io/org/app\n';
  assert.deepEqual(
    diagnose(withoutSource, { 'source.yaml': source }).filter((d) => d.code === 'chart-ref-not-found'),
    [],
  );
});

test('a List with no items, items that are not objects, or a non-list items field is quiet', () => {
  assert.deepEqual(diagnose('apiVersion: v1\nkind: List\nitems: []\n'), []);
  assert.deepEqual(diagnose('apiVersion: v1\nkind: List\nitems:\n  - just a string\n  - a: 1\n'), []);
  assert.deepEqual(diagnose('apiVersion: v1\nkind: List\nitems: 3\n'), []);
});
