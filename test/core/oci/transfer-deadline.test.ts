// The deadline layer: the total deadline and the minimum-rate window fire the signal, and the error names the limit hit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTransferDeadline } from '../../../core/oci/transfer-deadline';

/** Resolves on abort; keeps the event loop alive meanwhile (the deadline's own timers are unref'd, as they should be). */
const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const keepAlive = setInterval(() => undefined, 1000);
    signal.addEventListener(
      'abort',
      () => {
        clearInterval(keepAlive);
        resolve();
      },
      { once: true },
    );
  });

test('a transfer that makes no progress is stopped by the minimum rate, and says so', async () => {
  const deadline = startTransferDeadline({ deadlineMs: 60_000, minimumRate: { bytesPerSecond: 1000, windowMs: 50 } }, undefined, 'blob X');
  await aborted(deadline.signal);
  assert.equal(deadline.expired(), true);
  assert.match(deadline.timedOut(3).message, /^The download of blob X was slower than the minimum 1000 B\/s over 50 ms \(3 bytes received\)/);
  deadline.clear();
});

test('progress above the rate keeps it alive until the total deadline, whose message names what set it', async () => {
  const deadline = startTransferDeadline({ deadlineMs: 200, deadlineLabel: 'spec.timeout', minimumRate: { bytesPerSecond: 1000, windowMs: 40 } }, undefined, 'blob Y');
  let bytes = 0;
  const feeder = setInterval(() => deadline.progress((bytes += 1000)), 5);
  await aborted(deadline.signal);
  clearInterval(feeder);
  assert.match(deadline.timedOut(bytes).message, /did not finish within 200 ms \(spec\.timeout\)/);
  deadline.clear();
});

test("the caller's abort passes through as its own reason, not as a timeout", async () => {
  const outer = new AbortController();
  const deadline = startTransferDeadline({ deadlineMs: 60_000, minimumRate: false }, outer.signal, 'blob Z');
  outer.abort(new Error('user cancelled'));
  assert.equal(deadline.signal.aborted, true);
  assert.equal(deadline.expired(), false);
  assert.equal((deadline.signal.reason as Error).message, 'user cancelled');
  deadline.clear();
});
