// Reading cached files through one reused buffer: chunks are views of the same buffer, in order, and hashFile agrees
// with hashing the whole file at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashFile, readThrough } from '../../../core/artifacts/file-reading';

test('readThrough hands out views of one buffer, in order, covering the file exactly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flux-oci-read-through-'));
  try {
    const data = randomBytes(10 * 1024 + 7);
    const path = join(dir, 'f');
    writeFileSync(path, data);
    const copies: Buffer[] = [];
    const backing = new Set<ArrayBufferLike>();
    for await (const chunk of readThrough(path, 4096)) {
      backing.add(chunk.buffer);
      copies.push(Buffer.from(chunk));
    }
    assert.deepEqual(
      copies.map((c) => c.length),
      [4096, 4096, 2055],
    );
    assert.equal(backing.size, 1, 'every chunk is a view of the same buffer');
    assert.ok(Buffer.concat(copies).equals(data));
    assert.equal(await hashFile(path, 'sha256'), createHash('sha256').update(data).digest('hex'));
    assert.equal(await hashFile(path, 'sha512'), createHash('sha512').update(data).digest('hex'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
