// Tests for core/text-range: offset ↔ position mapping used by every diagnostic range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineMap } from '../../core/text-range';

test('LineMap maps offsets to 0-based line/character and back', () => {
  const text = 'a: 1\nbb: 2\n\nccc: 3';
  const map = new LineMap(text);
  assert.deepEqual(map.positionAt(0), { line: 0, character: 0 });
  assert.deepEqual(map.positionAt(5), { line: 1, character: 0 });
  assert.deepEqual(map.positionAt(text.indexOf('ccc')), { line: 3, character: 0 });
  assert.equal(map.offsetAt({ line: 1, character: 2 }), 7);
  assert.equal(map.offsetAt({ line: 99, character: 0 }), text.length);
  assert.equal(map.lineCount, 4);
});

test('LineMap counts UTF-16 code units as LSP does', () => {
  const text = 'é😀x\ny';
  const map = new LineMap(text);
  assert.deepEqual(map.positionAt(text.indexOf('x')), { line: 0, character: 3 });
});
