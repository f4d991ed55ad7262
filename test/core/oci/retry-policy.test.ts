// The retry layer's pure parts: which statuses are retried, Retry-After in seconds or as a date, bounded backoff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RETRYABLE_STATUSES, backoffMs, parseRetryAfter } from '../../../core/oci/retry-policy';

test('retryable statuses are throttling and server errors, never client errors', () => {
  for (const status of [408, 429, 500, 502, 503, 504]) assert.ok(RETRYABLE_STATUSES.has(status), String(status));
  for (const status of [400, 401, 403, 404, 501]) assert.ok(!RETRYABLE_STATUSES.has(status), String(status));
});

test('Retry-After: seconds, HTTP dates (never negative), garbage ignored', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('7', now), 7000);
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now), 10_000);
  assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

test('backoff doubles from 250 ms and is capped at 5 s plus jitter', () => {
  const fixed = () => 0;
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 9].map((a) => backoffMs(a, fixed)),
    [250, 500, 1000, 2000, 4000, 5000, 5000],
  );
  assert.ok(backoffMs(0, () => 0.99) < 350);
});
