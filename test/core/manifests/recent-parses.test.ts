// Syntax trees are not kept per document: a document's tree is parsed again when asked for, equal to the
// first one, and the few most recently used trees are reused as they are.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';

const doc = (i: number): string => `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: app-${i}\nspec:\n  interval: 5m\n  url: oci://ghcr.io/org/app-${i}\n`;

test('a tree asked for after many others is rebuilt equal; asking twice in a row gives the same tree', () => {
  const index = new WorkspaceIndex();
  index.setFile('many.yaml', Array.from({ length: 300 }, (_, i) => doc(i)).join('---\n'));
  const docs = index.documents('many.yaml');
  const first = docs[0].result.parsed!;
  for (const d of docs.slice(1)) assert.ok(d.result.parsed); // pushes the first tree out of the cache
  const again = docs[0].result.parsed!;
  assert.notEqual(again, first);
  assert.deepEqual(again.doc.toJS(), first.doc.toJS());
  assert.equal(again.text, docs[0].result.text);
  assert.equal(docs[0].result.parsed, again);
  // Models and hover-style lookups still work from rebuilt trees, with file positions.
  const models = index.ociRepositories();
  assert.equal(models.length, 300);
  assert.equal(models[299].model.url?.value, 'oci://ghcr.io/org/app-299');
  assert.equal(models[299].model.url?.range.start.line, 299 * 8 + 6);
});
