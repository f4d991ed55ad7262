// BatchChannel: a pushed batch is given back only when the consumer asks for the next one (or leaves), the end and a
// failure reach the consumer, and a consumer that left never holds the producer back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchChannel } from '../../../core/artifacts/batch-channel';

/** Whether `promise` has settled once pending callbacks have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

test('a batch is released when the consumer asks for the next one, not when it receives it', async () => {
  const channel = new BatchChannel();
  const iterator = channel[Symbol.asyncIterator]();
  const first = channel.push(Buffer.from('one'));
  const received = await iterator.next();
  assert.equal(received.value?.toString(), 'one');
  assert.equal(await settled(first), false, 'the consumer still holds the first batch');
  const asking = iterator.next();
  assert.equal(await settled(first), true, 'asking for more gives the first batch back');
  const second = channel.push(Buffer.from('two'));
  assert.equal((await asking).value?.toString(), 'two');
  channel.end();
  assert.deepEqual(await iterator.next(), { done: true, value: undefined });
  assert.equal(await settled(second), true);
});

test('the end with a failure rejects the consumer with that error', async () => {
  const channel = new BatchChannel();
  const iterator = channel[Symbol.asyncIterator]();
  const waiting = iterator.next();
  channel.end({ error: new Error('digest mismatch') });
  await assert.rejects(waiting, /digest mismatch/);
});

test('after the consumer leaves (return() or leave()), pushes settle at once and the loop ends', async () => {
  for (const how of ['return', 'leave'] as const) {
    const channel = new BatchChannel();
    const iterator = channel[Symbol.asyncIterator]();
    const held = channel.push(Buffer.from('held'));
    await iterator.next();
    if (how === 'return') await iterator.return?.();
    else channel.leave();
    assert.equal(await settled(held), true, `${how}: the held batch is released`);
    assert.equal(await settled(channel.push(Buffer.from('later'))), true, `${how}: later pushes do not wait`);
    assert.deepEqual(await iterator.next(), { done: true, value: undefined });
  }
});

test('one push at a time and one consumer', () => {
  const channel = new BatchChannel();
  void channel.push(Buffer.from('a'));
  assert.throws(() => channel.push(Buffer.from('b')), /while a batch is still offered/);
  channel[Symbol.asyncIterator]();
  assert.throws(() => channel[Symbol.asyncIterator](), /one consumer/);
});
