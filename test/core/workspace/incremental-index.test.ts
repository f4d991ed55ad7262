// Incremental updates must be invisible: after any sequence of edits, the index answers exactly like a
// fresh index given the same files (diagnostics, objects, documents, lookups), across two files.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';
import { seededRandom } from '../../support/seeded-random';

const OCI = (name: string, secret: string): string =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: ${name}\n  namespace: apps\nspec:\n  interval: 5m\n  url: oci://ghcr.io/org/${name}\n  ref:\n    tag: "1.0"\n  secretRef:\n    name: ${secret}\n`;
const HR = (name: string, source: string): string =>
  `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: ${name}\n  namespace: apps\nspec:\n  interval: 5m\n  chartRef:\n    kind: OCIRepository\n    name: ${source}\n`;
const SECRET = (name: string): string => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: apps\n`;
const BROKEN = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: broken\nspec:\n  url: [oops\n';
const COMMENT = '# just a comment\n';
const KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\npatches:\n  - path: ./two.yaml\n';
/** Lacks spec.interval: an error, except in a file a Kustomization names as a patch. */
const PARTIAL = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: partial\nspec:\n  url: oci://ghcr.io/org/partial\n';

function liveHit(index: WorkspaceIndex, kind: string, name: string): boolean | undefined {
  const hit = index.findObject(kind, 'apps', name);
  if (!hit) return undefined;
  assert.equal(hit.object.name, name);
  return index.documents(hit.path).some((d) => d.object === hit.object);
}

function snapshot(index: WorkspaceIndex, paths: string[]): unknown {
  return paths.map((p) => ({
    analysis: index.analyze(p),
    documents: index.documents(p).map((d) => ({ startLine: d.startLine, documentIndex: d.documentIndex, object: d.object, text: d.result.text })),
    // With duplicates, which object findObject returns depends on history: check it is live and right.
    lookups: ['a', 'b', 'c', 'renamed'].map((n) => [liveHit(index, 'OCIRepository', n), index.referencesTo('OCIRepository', 'apps', n), liveHit(index, 'Secret', `s-${n}`)]),
    models: index
      .ociRepositories()
      .filter((m) => m.path === p)
      .map((m) => m.model),
  }));
}

test('seeded random edits of two files (with Kustomize patch lists) leave the index equal to a fresh one', () => {
  const rand = seededRandom(99);
  const pool = [OCI('a', 's-a'), OCI('b', 's-b'), HR('r1', 'a'), HR('r2', 'c'), SECRET('s-a'), SECRET('s-b'), BROKEN, COMMENT, OCI('c', 'missing'), KUSTOMIZATION, PARTIAL];
  const files: Record<string, string[]> = { '/r/one.yaml': [pool[0], pool[2], pool[4]], '/r/two.yaml': [pool[1], pool[3], pool[7], PARTIAL] };
  const joinDocs = (docs: string[]): string => docs.join('---\n');
  const index = new WorkspaceIndex();
  for (const [p, docs] of Object.entries(files)) index.setFile(p, joinDocs(docs));
  let patchSeen = 0;
  for (let step = 0; step < 400; step++) {
    const path = rand(2) ? '/r/one.yaml' : '/r/two.yaml';
    const docs = files[path];
    const at = rand(docs.length + 1);
    switch (rand(6)) {
      case 0:
        docs.splice(at, 0, pool[rand(pool.length)]);
        break;
      case 1:
        if (docs.length > 1) docs.splice(Math.min(at, docs.length - 1), 1);
        break;
      case 2:
        if (docs[at]) docs[at] = docs[at].replace(/name: (\w+)/, 'name: renamed');
        break;
      case 3:
        if (docs[at]) docs[at] = docs[at] + '# trailing note\n';
        break;
      case 4:
        if (docs[at]) docs[at] = docs[at].replace('interval: 5m', 'interval: 5 minutes');
        break;
      default:
        if (docs[at]) docs[at] = docs[at].replace('\n', '\nextra: line\n');
        break;
    }
    const affected = index.setFile(path, joinDocs(docs));
    assert.ok(affected.includes(path));
    const fresh = new WorkspaceIndex();
    for (const [p, d] of Object.entries(files)) fresh.setFile(p, joinDocs(d));
    assert.deepEqual(snapshot(index, ['/r/one.yaml', '/r/two.yaml']), snapshot(fresh, ['/r/one.yaml', '/r/two.yaml']), `step ${step}`);
    if (files['/r/one.yaml'].includes(KUSTOMIZATION) && files['/r/two.yaml'].includes(PARTIAL)) patchSeen++;
  }
  assert.ok(patchSeen > 0, 'the random edits should exercise a patch file');
});

test('a file turning binary and back, and removal, are handled like fresh content', () => {
  const index = new WorkspaceIndex();
  index.setFile('x.yaml', OCI('a', 's-a'));
  index.setFile('y.yaml', HR('r', 'a'));
  assert.deepEqual(index.analyze('y.yaml').diagnostics, []);
  index.setFile('x.yaml', 'bin\u0000ary' + OCI('a', 's-a'));
  assert.deepEqual(index.analyze('x.yaml').objects, []);
  assert.deepEqual(
    index.analyze('y.yaml').diagnostics.map((d) => d.code),
    ['chart-ref-not-found'],
  );
  index.setFile('x.yaml', OCI('a', 's-a'));
  assert.deepEqual(index.analyze('y.yaml').diagnostics, []);
  assert.deepEqual(index.removeFile('x.yaml').sort(), ['x.yaml', 'y.yaml']);
  assert.deepEqual(
    index.analyze('y.yaml').diagnostics.map((d) => d.code),
    ['chart-ref-not-found'],
  );
});

test('a value edit keeps every other document record; adding a line moves later ones in place', () => {
  const docs = Array.from({ length: 30 }, (_, i) => OCI(`o${i}`, 's'));
  const index = new WorkspaceIndex();
  index.setFile('m.yaml', docs.join('---\n'));
  const before = [...index.documents('m.yaml')];
  docs[5] = docs[5].replace('interval: 5m', 'interval: 6m\n  timeout: 1m');
  index.setFile('m.yaml', docs.join('---\n'));
  const after = index.documents('m.yaml');
  assert.equal(after.filter((d, i) => d === before[i]).length, 29);
  assert.equal(after[6].startLine, before[6].startLine);
  const fresh = new WorkspaceIndex();
  fresh.setFile('m.yaml', docs.join('---\n'));
  assert.deepEqual(
    after.map((d) => [d.startLine, d.object?.range]),
    fresh.documents('m.yaml').map((d) => [d.startLine, d.object?.range]),
  );
});
