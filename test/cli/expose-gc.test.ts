// exposeGc: a process started WITHOUT --expose-gc gets a working gc() before a pull, so the CLI's shebang needs no flag.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');

describe('exposeGc', () => {
  it('gives a plain node process a gc() that runs a young-generation collection', () => {
    const script = `
      const before = typeof globalThis.gc;
      const { exposeGc } = require('./cli/expose-gc');
      const available = exposeGc();
      globalThis.gc({ type: 'minor' });
      const { createBufferReclaimer } = require('./core/artifacts/buffer-reclaimer');
      const reclaimer = createBufferReclaimer(10);
      reclaimer.passed(25);
      process.stdout.write(JSON.stringify({ before, available, after: typeof globalThis.gc, collections: reclaimer.collections, again: exposeGc() }));`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { before: 'undefined', available: true, after: 'function', collections: 1, again: true });
  });
});
