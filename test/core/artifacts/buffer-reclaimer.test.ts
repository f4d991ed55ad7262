import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBufferReclaimer } from '../../../core/artifacts/buffer-reclaimer';

test('asks for one minor collection per threshold of bytes streamed, never a full one', () => {
  const calls: unknown[] = [];
  const reclaimer = createBufferReclaimer(1000, (options) => calls.push(options));
  for (let i = 0; i < 25; i++) reclaimer.passed(100); // 2,500 bytes
  assert.equal(reclaimer.collections, 2);
  assert.deepEqual(calls, [{ type: 'minor' }, { type: 'minor' }]);
});

test('does nothing when the process does not expose gc', () => {
  const reclaimer = createBufferReclaimer(10, undefined);
  reclaimer.passed(1_000_000);
  assert.equal(reclaimer.collections, 0);
});
