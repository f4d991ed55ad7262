import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BLOB_WRITE_BATCH_BYTES, ContentCache } from '../../../core/artifacts/content-cache';
import { ArtifactError } from '../../../core/artifacts/artifact-error';

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** Yields `data` in the given chunk sizes (cycled), as a network body would. */
async function* chunked(data: Buffer, sizes: number[]): AsyncGenerator<Uint8Array> {
  for (let offset = 0, i = 0; offset < data.length; i++) {
    const size = sizes[i % sizes.length]!;
    yield new Uint8Array(data.buffer, data.byteOffset + offset, Math.min(size, data.length - offset));
    offset += size;
  }
}

function withCache(run: (cache: ContentCache, dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flux-oci-content-cache-'));
    try {
      await run(new ContentCache(dir), dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  'a blob streamed in odd-sized chunks across several write batches is stored byte for byte',
  withCache(async (cache) => {
    const data = randomBytes(BLOB_WRITE_BATCH_BYTES * 2 + 12_345);
    // Chunk sizes that never line up with the batch: every batch boundary falls inside a chunk.
    const path = await cache.storeBlob(sha256(data), chunked(data, [65_536, 39_936, 1, 700_001]), { expectedSize: data.length });
    assert.ok(readFileSync(path).equals(data));
    assert.equal(await cache.verifiedBlob(sha256(data), data.length), path);
  }),
);

test(
  'the source chunks are not kept: reusing a chunk buffer after it was handed over does not change the stored blob',
  withCache(async (cache) => {
    const data = randomBytes(300_000);
    const scratch = Buffer.alloc(64 * 1024);
    async function* reusedBuffer(): AsyncGenerator<Uint8Array> {
      for (let offset = 0; offset < data.length; offset += scratch.length) {
        const n = data.copy(scratch, 0, offset, offset + scratch.length);
        yield scratch.subarray(0, n);
        scratch.fill(0xee); // the producer overwrites its buffer once the consumer asks for more
      }
    }
    const path = await cache.storeBlob(sha256(data), reusedBuffer(), { expectedSize: data.length });
    assert.ok(readFileSync(path).equals(data));
  }),
);

test(
  'a digest mismatch after several batches keeps nothing, neither the blob nor a temp file',
  withCache(async (cache, dir) => {
    const data = randomBytes(BLOB_WRITE_BATCH_BYTES + 5);
    const wrong = sha256(Buffer.from('something else'));
    await assert.rejects(cache.storeBlob(wrong, chunked(data, [65_536]), { expectedSize: data.length }), (error: unknown) => {
      assert.ok(error instanceof ArtifactError);
      assert.equal(error.code, 'digest-mismatch');
      return true;
    });
    assert.equal(existsSync(cache.blobPath(wrong)), false);
    assert.deepEqual(readdirSync(join(dir, 'tmp')), []);
  }),
);
