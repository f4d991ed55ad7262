// The token layer's cache: one exchange shared by concurrent askers, reuse until shortly before expiry, invalidation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenCache, tokenLifetimeMs } from '../../../core/oci/token-cache';

test('concurrent askers share one exchange; the token is reused; invalidate forces a new exchange', async () => {
  const cache = new TokenCache();
  let issued = 0;
  const exchange = async () => ({ token: `t${++issued}`, expiresInSeconds: 300 });
  const key = TokenCache.key('https://auth.example/token', 'registry', ['repository:a:pull'], 'fp');
  const [a, b] = await Promise.all([cache.get(key, exchange), cache.get(key, exchange)]);
  assert.deepEqual([a, b, cache.exchanges], ['t1', 't1', 1]);
  assert.equal(await cache.get(key, exchange), 't1');
  cache.invalidate(key);
  assert.equal(await cache.get(key, exchange), 't2');
  assert.notEqual(TokenCache.key('r', 's', ['x'], 'fp1'), TokenCache.key('r', 's', ['x'], 'fp2'), 'another credential, another token');
});

test('lifetimes: 30 s before expiry, half the life of short tokens', () => {
  assert.equal(tokenLifetimeMs(300), 270_000);
  assert.equal(tokenLifetimeMs(40), 20_000);
  assert.equal(tokenLifetimeMs(0), 0);
});
