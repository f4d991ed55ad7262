// The live resolution cache: one run per key shared by its callers, kept for its time-to-live; a caller that cancels
// stops only its own wait (completion requests are cancelled on every keystroke), and the run still lands in the cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResolutionCache } from '../../../core/live/resolution-cache';
import { isCancellation } from '../../../core/live/bounded';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

test('a caller who cancels gets a cancellation at once; the shared run goes on and the next caller gets its value', async () => {
  let now = 0;
  const cache = new ResolutionCache<string>(
    () => 60_000,
    () => now,
  );
  const listing = deferred<string>();
  let runs = 0;
  const work = () => {
    runs++;
    return listing.promise;
  };
  const typing = new AbortController();
  const first = cache.run('ghcr.io/app', work, typing.signal);
  const second = cache.run('ghcr.io/app', work); // another feature waiting for the same listing
  typing.abort();
  await assert.rejects(first, (error) => isCancellation(error));
  listing.resolve('1.2.3');
  assert.equal(await second, '1.2.3');
  now += 1000;
  assert.equal(await cache.run('ghcr.io/app', work, new AbortController().signal), '1.2.3', 'served from the cache');
  assert.equal(runs, 1, 'one run for all three callers');
});

test('a caller already cancelled starts nothing; a failed run is forgotten so the next caller starts afresh', async () => {
  const cache = new ResolutionCache<string>(
    () => 60_000,
    () => 0,
  );
  let runs = 0;
  await assert.rejects(
    cache.run(
      'k',
      () => {
        runs++;
        return Promise.resolve('x');
      },
      AbortSignal.abort(),
    ),
    (error) => isCancellation(error),
  );
  assert.equal(runs, 0);
  await assert.rejects(
    cache.run('k', () => {
      runs++;
      return Promise.reject(new Error('registry down'));
    }),
    /registry down/,
  );
  assert.equal(
    await cache.run('k', () => {
      runs++;
      return Promise.resolve('back');
    }),
    'back',
  );
  assert.equal(runs, 2);
});
