// JSON merge patch (strategic merge on CRDs) and RFC 6902 operations as kustomize applies them.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { applyJsonPatch, mergePatch } from '../../../core/workspace/json-patches';

test('merge patch merges maps, replaces lists, deletes with null, ignores $patch directives', () => {
  const target = { spec: { values: { a: 1, b: { c: 2 } }, list: [1, 2] } };
  const out = mergePatch(target, { spec: { values: { b: { d: 3 }, a: null }, list: [3], $patch: 'merge' } });
  assert.deepEqual(out, { spec: { values: { b: { c: 2, d: 3 } }, list: [3] } });
  assert.deepEqual(target, { spec: { values: { a: 1, b: { c: 2 } }, list: [1, 2] } }, 'input untouched');
});

test('JSON6902 add/replace/remove/copy/move/test', () => {
  const doc = { spec: { chart: { spec: { version: '6.5.x' } }, values: { list: ['a'] } } };
  const r = applyJsonPatch(doc, [
    { op: 'replace', path: '/spec/chart/spec/version', value: '6.6.x' },
    { op: 'add', path: '/spec/values/list/-', value: 'b' },
    { op: 'add', path: '/spec/values/new~1key', value: 1 },
    { op: 'copy', from: '/spec/chart/spec/version', path: '/spec/copied' },
    { op: 'move', from: '/spec/copied', path: '/spec/moved' },
    { op: 'test', path: '/spec/moved', value: '6.6.x' },
    { op: 'remove', path: '/spec/values/list/0' },
  ]);
  assert.deepEqual(r, { ok: true, value: { spec: { chart: { spec: { version: '6.6.x' } }, values: { list: ['b'], 'new/key': 1 }, moved: '6.6.x' } } });
  assert.equal(doc.spec.chart.spec.version, '6.5.x');
});

test('an operation that does not apply fails the patch', () => {
  assert.equal(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '/b', value: 2 }]).ok, false);
  assert.equal(applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }]).ok, false);
  assert.equal(applyJsonPatch({ a: 1 }, [{ op: 'remove', path: 'a' }]).ok, false);
});
