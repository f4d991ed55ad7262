// Hover, completion and document symbols over the workspace index: the right field, the right values,
// the right ranges, including on an empty line inside a mapping and after `key: `.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { completionsAt } from '../../../core/manifests/completion';
import { documentSymbols } from '../../../core/manifests/document-symbols';
import { hoverAt } from '../../../core/manifests/hover';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';

const TEXT = `apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
---
apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata:
  name: app
  namespace: apps
spec:
  interval: 5m
  ref:
    semver: "1.x"
    
  layerSelector:
    operation: 
  insecure: 
  verify:
    matchOIDCIdentity:
      - issuer: a
        
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: app
spec:
  interval: 5m
  
`;

function setup(): WorkspaceIndex {
  const index = new WorkspaceIndex();
  index.setFile('f.yaml', TEXT);
  return index;
}
const labels = (index: WorkspaceIndex, line: number, character: number): string[] => completionsAt(index, 'f.yaml', { line, character }).map((c) => c.label);

test('hover on a field key gives its type and our description, with the key range', () => {
  const h = hoverAt(setup(), 'f.yaml', { line: 13, character: 6 });
  assert.ok(h);
  assert.match(h.markdown, /spec\.ref\.semver/);
  assert.match(h.markdown, /highest/);
  assert.deepEqual(h.range, { start: { line: 13, character: 4 }, end: { line: 13, character: 10 } });
  const op = hoverAt(setup(), 'f.yaml', { line: 16, character: 6 });
  assert.match(op!.markdown, /`extract`, `copy`/);
});

test('hover on apiVersion says it was removed; on kind describes the kind; nothing on non-Flux', () => {
  assert.match(hoverAt(setup(), 'f.yaml', { line: 5, character: 20 })!.markdown, /removed in Flux 2\.8/);
  assert.match(hoverAt(setup(), 'f.yaml', { line: 6, character: 8 })!.markdown, /OCI registry/);
  assert.equal(hoverAt(setup(), 'f.yaml', { line: 3, character: 8 }), undefined);
});

test('completion of field names on an empty line inside a mapping, minus the ones present', () => {
  assert.deepEqual(labels(setup(), 14, 4).sort(), ['digest', 'semverFilter', 'tag']);
  const spec = labels(setup(), 29, 2);
  assert.ok(spec.includes('chartRef') && spec.includes('values') && !spec.includes('interval'));
  assert.deepEqual(labels(setup(), 21, 8), ['subject']);
});

test('completion of enum and boolean values after `key: `', () => {
  assert.deepEqual(labels(setup(), 16, 15), ['extract', 'copy']);
  assert.deepEqual(labels(setup(), 17, 12), ['true', 'false']);
  assert.ok(labels(setup(), 5, 12).includes('source.toolkit.fluxcd.io/v1'));
});

test('an empty document offers snippets', () => {
  const index = new WorkspaceIndex();
  index.setFile('e.yaml', '\n');
  const items = completionsAt(index, 'e.yaml', { line: 0, character: 0 });
  const snippet = items.find((i) => i.kind === 'snippet' && i.label.includes('OCIRepository'));
  assert.ok(snippet?.isSnippet && snippet.insertText?.includes('kind: OCIRepository'));
});

test('document symbols list Flux objects with name ranges', () => {
  const symbols = documentSymbols(setup(), 'f.yaml');
  assert.deepEqual(
    symbols.map((s) => s.name),
    ['OCIRepository apps/app', 'HelmRelease app'],
  );
  assert.deepEqual(symbols[0].selectionRange, { start: { line: 8, character: 8 }, end: { line: 8, character: 11 } });
  assert.equal(symbols[1].kind, 'flux-release');
});
