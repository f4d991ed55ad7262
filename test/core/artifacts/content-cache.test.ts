// ContentCache blob storage: streamed and pushed (storeBlobFrom) blobs are written through two batches, verified by size and
// digest, and kept only when complete; spill path, producer failures, size overflows and cancellation keep nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BLOB_WRITE_BATCH_BYTES, ContentCache, type BlobTap, type CacheBlobSink } from '../../../core/artifacts/content-cache';
import { open } from 'node:fs/promises';
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

/** Hands out each piece of `data` as a view of one reused scratch buffer, overwritten as soon as `write` returns. */
function borrowedPieces(data: Buffer, plan: Array<{ size: number; settle: boolean }>): (sink: CacheBlobSink) => Promise<void> {
  return async (sink) => {
    const scratch = Buffer.alloc(Math.max(...plan.map((p) => p.size)));
    let offset = 0;
    for (const step of plan) {
      const n = data.copy(scratch, 0, offset, offset + step.size);
      sink.write(scratch.subarray(0, n));
      scratch.fill(0xee, 0, n);
      offset += n;
      if (step.settle) await sink.settle();
    }
    assert.equal(offset, data.length, 'the plan covers the data');
  };
}

test(
  'storeBlobFrom: chunks larger than the room left in the batch (and than the batch itself) go through the spill list, in order',
  withCache(async (cache, dir) => {
    const batch = BLOB_WRITE_BATCH_BYTES;
    const plan = [
      { size: 700_001, settle: true }, // fits the empty batch; below the flush mark, so it stays
      { size: 700_001, settle: false }, // more than the room left: spilled
      { size: 10, settle: false }, // would fit, but must queue behind the spill to keep the order
      { size: 3, settle: true }, // settle flushes batch, then the spill
      { size: batch * 2 + 5, settle: true }, // larger than the whole batch
      ...Array.from({ length: 20 }, () => ({ size: 65_536, settle: true })),
      { size: 4_321, settle: false }, // the tail, flushed only at the end
    ];
    const data = randomBytes(plan.reduce((sum, p) => sum + p.size, 0));
    const progress: number[] = [];
    const path = await cache.storeBlobFrom(sha256(data), borrowedPieces(data, plan), { expectedSize: data.length, onProgress: (bytes) => progress.push(bytes) });
    assert.ok(readFileSync(path).equals(data), 'byte-identical');
    assert.equal(path, cache.blobPath(sha256(data)));
    assert.ok(progress.length > 0 && progress.every((b, i) => i === 0 || b >= progress[i - 1]!));
    assert.deepEqual(readdirSync(join(dir, 'tmp')), [], 'no temp file left');
  }),
);

test(
  'storeBlobFrom: a producer that throws after a flushed batch keeps nothing and its error comes through',
  withCache(async (cache, dir) => {
    const data = randomBytes(BLOB_WRITE_BATCH_BYTES * 2);
    const failure = new Error('the producer broke down');
    await assert.rejects(
      cache.storeBlobFrom(
        sha256(data),
        async (sink) => {
          for (let offset = 0; offset < BLOB_WRITE_BATCH_BYTES * 1.5; offset += 65_536) {
            sink.write(data.subarray(offset, offset + 65_536));
            await sink.settle();
          }
          throw failure;
        },
        { expectedSize: data.length },
      ),
      (error: unknown) => error === failure,
    );
    assert.equal(existsSync(cache.blobPath(sha256(data))), false);
    assert.deepEqual(readdirSync(join(dir, 'tmp')), []);
  }),
);

test(
  'storeBlobFrom: more bytes than declared is refused at the write that overflows; fewer is refused at the end; nothing kept',
  withCache(async (cache, dir) => {
    const data = randomBytes(300_000);
    let writesAfterOverflow = 0;
    await assert.rejects(
      cache.storeBlobFrom(
        sha256(data),
        async (sink) => {
          sink.write(data);
          writesAfterOverflow++;
          sink.write(Buffer.from([1]));
          writesAfterOverflow++;
        },
        { expectedSize: data.length - 1 },
      ),
      (error: unknown) => error instanceof ArtifactError && error.code === 'size-mismatch' && /larger than the 299999 bytes/.test(error.message),
    );
    assert.equal(writesAfterOverflow, 0, 'the first write already overflowed');
    await assert.rejects(
      cache.storeBlobFrom(sha256(data), async (sink) => sink.write(data.subarray(0, 1000)), { expectedSize: data.length }),
      (error: unknown) => error instanceof ArtifactError && error.code === 'size-mismatch',
    );
    assert.equal(existsSync(cache.blobPath(sha256(data))), false);
    assert.deepEqual(readdirSync(join(dir, 'tmp')), []);
  }),
);

test(
  'storeBlobFrom: a cancelled signal stops the next write with "cancelled" and keeps nothing',
  withCache(async (cache, dir) => {
    const data = randomBytes(BLOB_WRITE_BATCH_BYTES + 100);
    const controller = new AbortController();
    await assert.rejects(
      cache.storeBlobFrom(
        sha256(data),
        async (sink) => {
          sink.write(data.subarray(0, 1000));
          await sink.settle();
          controller.abort();
          sink.write(data.subarray(1000));
        },
        { expectedSize: data.length, signal: controller.signal },
      ),
      (error: unknown) => error instanceof ArtifactError && error.code === 'cancelled',
    );
    assert.equal(existsSync(cache.blobPath(sha256(data))), false);
    assert.deepEqual(readdirSync(join(dir, 'tmp')), []);
  }),
);

test(
  'storeBlobFrom: a producer that writes while a settle() is still writing is refused, and nothing is kept',
  withCache(async (cache, dir) => {
    const data = randomBytes(2 * BLOB_WRITE_BATCH_BYTES + 65_536);
    await assert.rejects(
      cache.storeBlobFrom(
        sha256(data),
        async (sink) => {
          sink.write(data.subarray(0, BLOB_WRITE_BATCH_BYTES)); // a full batch: written out while the other one fills
          assert.equal(sink.settle(), undefined, 'the second batch is free, so settle() does not wait');
          sink.write(data.subarray(BLOB_WRITE_BATCH_BYTES, 2 * BLOB_WRITE_BATCH_BYTES));
          const pending = sink.settle(); // both batches are taken until the first is written
          assert.ok(pending, 'with both batches taken, settle() makes the producer wait');
          sink.write(data.subarray(2 * BLOB_WRITE_BATCH_BYTES)); // without waiting: these bytes would be lost
          await pending;
        },
        { expectedSize: data.length },
      ),
      /must wait for settle\(\)/,
    );
    assert.equal(existsSync(cache.blobPath(sha256(data))), false);
    assert.deepEqual(readdirSync(join(dir, 'tmp')), []);
  }),
);

test(
  'storeBlobFrom: when a disk write fails, the batch the tap still reads is not refilled before the tap gives it back',
  withCache(async (cache, dir) => {
    const data = randomBytes(6 * BLOB_WRITE_BATCH_BYTES);
    // The first batch-sized write of the blob file fails, as on a full disk; smaller writes (none here) pass.
    const probe = await open(join(dir, 'probe'), 'w');
    const prototype = Object.getPrototypeOf(probe) as { write: (...args: unknown[]) => Promise<unknown> };
    await probe.close();
    const realWrite = prototype.write;
    let failed = false;
    prototype.write = function (this: unknown, ...args: unknown[]) {
      const buffer = args[0] as Buffer;
      if (!failed && buffer.length >= BLOB_WRITE_BATCH_BYTES / 2) {
        failed = true;
        return Promise.reject(Object.assign(new Error('no space left on device (simulated)'), { code: 'ENOSPC' }));
      }
      return realWrite.apply(this, args);
    };
    let changedWhileLent = 0;
    const takes: Array<Promise<void>> = [];
    const tap: BlobTap = {
      take: (bytes) => {
        const taking = (async () => {
          const before = sha256(bytes);
          await new Promise((resolve) => setTimeout(resolve, 30)); // a slow reader, still holding the batch
          if (sha256(bytes) !== before) changedWhileLent += 1;
        })();
        takes.push(taking);
        return taking;
      },
      end: () => undefined,
    };
    try {
      await assert.rejects(
        cache.storeBlobFrom(
          sha256(data),
          borrowedPieces(
            data,
            Array.from({ length: data.length / 65_536 }, () => ({ size: 65_536, settle: true })),
          ),
          {
            expectedSize: data.length,
            tap,
          },
        ),
        /no space left on device/,
      );
    } finally {
      prototype.write = realWrite;
    }
    await Promise.all(takes);
    assert.equal(changedWhileLent, 0, 'a batch was refilled while the tap still read it');
    assert.equal(existsSync(cache.blobPath(sha256(data))), false);
    assert.deepEqual(readdirSync(join(dir, 'tmp')), []);
  }),
);
