// Go durations as written in spec.timeout: the forms Flux accepts, and everything else refused.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { goDurationMs } from '../../../core/live/go-duration';

describe('goDurationMs', () => {
  it('reads the forms Flux writes', () => {
    assert.equal(goDurationMs('60s'), 60_000);
    assert.equal(goDurationMs('5m'), 300_000);
    assert.equal(goDurationMs('1h30m'), 5_400_000);
    assert.equal(goDurationMs('1.5m'), 90_000);
    assert.equal(goDurationMs('300ms'), 300);
    assert.equal(goDurationMs('2m30s'), 150_000);
  });
  it('refuses what is not a positive duration', () => {
    for (const text of [undefined, '', '60', 's', '5 m', '${TIMEOUT}', '-5s', '0s', '5d', '1h 30m']) assert.equal(goDurationMs(text), undefined, String(text));
  });
});
