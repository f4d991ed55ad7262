// Extracting a layer while it is stored: extraction starts before the download ends, the tree is renamed into place
// only after the blob verified, a lying blob leaves no tree, a refused archive does not stall the download, and the
// compression is told from the first bytes however they are split.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactError } from '../../../core/artifacts/artifact-error';
import { ContentCache, type CacheBlobSink } from '../../../core/artifacts/content-cache';
import { startStreamedExtraction } from '../../../core/artifacts/streamed-extraction';
import { tar, tgz } from '../../support/tar';

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

function withCache(run: (cache: ContentCache, dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flux-oci-streamed-'));
    try {
      await run(new ContentCache(dir), dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** Pushes `data` in 64 KiB borrowed pieces, honouring settle(); `beforeLast` runs before the final piece. */
function producer(data: Buffer, beforeLast: () => Promise<void> = async () => undefined): (sink: CacheBlobSink) => Promise<void> {
  return async (sink) => {
    const piece = 64 * 1024;
    const scratch = Buffer.allocUnsafe(piece);
    for (let offset = 0; offset < data.length; offset += piece) {
      if (offset + piece >= data.length) await beforeLast();
      const n = data.copy(scratch, 0, offset, offset + piece);
      sink.write(scratch.subarray(0, n));
      scratch.fill(0xee); // borrowed: the producer reuses its buffer
      await sink.settle();
    }
  };
}

/** Files extracted so far in any staging folder under the cache's tmp/. */
function stagedFiles(dir: string): string[] {
  const tmp = join(dir, 'tmp');
  if (!existsSync(tmp)) return [];
  return readdirSync(tmp)
    .filter((name) => name.startsWith('.partial-'))
    .flatMap((name) => readdirSync(join(tmp, name), { recursive: true }).map(String));
}

const bigFile = randomBytes(3 * 1024 * 1024);
const archive = tgz([
  { name: 'app/first.yaml', content: 'kind: ConfigMap\n' },
  { name: 'app/big.bin', content: bigFile },
  { name: 'app/last.yaml', content: 'kind: Secret\n' },
]);

test(
  'the archive is extracted while it downloads, and its tree is kept only after the blob verified',
  withCache(async (cache, dir) => {
    const digest = sha256(archive);
    const extraction = startStreamedExtraction(cache, digest);
    let seenWhileDownloading: string[] = [];
    const stored = cache.storeBlobFrom(
      digest,
      producer(archive, async () => {
        // Before the last bytes arrive, extraction has already written files, but nothing is in the tree folder yet.
        for (let i = 0; i < 200 && !stagedFiles(dir).some((f) => f.endsWith('first.yaml')); i++) await new Promise((r) => setTimeout(r, 25));
        seenWhileDownloading = stagedFiles(dir);
        assert.equal(existsSync(cache.treePath(digest)), false, 'no tree before the blob is complete and verified');
      }),
      { expectedSize: archive.length, tap: extraction.tap },
    );
    assert.equal(await stored, cache.blobPath(digest));
    const tree = await extraction.tree;
    assert.ok(
      seenWhileDownloading.some((f) => f.endsWith('first.yaml')),
      `extraction had not started before the last piece: ${seenWhileDownloading.join(', ')}`,
    );
    assert.deepEqual(
      tree.files.map((f) => f.path),
      ['app/big.bin', 'app/first.yaml', 'app/last.yaml'],
    );
    const root = cache.treePath(digest);
    assert.ok(readFileSync(join(root, 'app/big.bin')).equals(bigFile));
    assert.equal(readFileSync(join(root, 'app/last.yaml'), 'utf8'), 'kind: Secret\n');
    assert.deepEqual(await cache.extractedTree(digest), tree, 'the tree is recorded for the next pull');
    assert.deepEqual(readdirSync(join(dir, 'tmp')), []);
  }),
);

test(
  'a blob whose bytes do not match its digest leaves no tree, although the archive itself extracts',
  withCache(async (cache, dir) => {
    const claimed = sha256(Buffer.concat([archive, Buffer.from('x')]));
    const extraction = startStreamedExtraction(cache, claimed);
    await assert.rejects(cache.storeBlobFrom(claimed, producer(archive), { tap: extraction.tap }), (error: unknown) => error instanceof ArtifactError && error.code === 'digest-mismatch');
    await assert.rejects(extraction.tree, (error: unknown) => error instanceof ArtifactError && error.code === 'digest-mismatch');
    assert.equal(existsSync(cache.treePath(claimed)), false);
    assert.equal(existsSync(cache.blobPath(claimed)), false);
    assert.deepEqual(readdirSync(join(dir, 'tmp')), []);
  }),
);

test(
  'an archive refused half-way does not hold the download back: the blob is stored, the tree is refused, nothing staged',
  withCache(async (cache, dir) => {
    const hostile = tgz([
      { name: '../escape.yaml', content: 'x' },
      { name: 'big.bin', content: bigFile },
    ]);
    const digest = sha256(hostile);
    const extraction = startStreamedExtraction(cache, digest);
    assert.equal(await cache.storeBlobFrom(digest, producer(hostile), { expectedSize: hostile.length, tap: extraction.tap }), cache.blobPath(digest));
    await assert.rejects(extraction.tree, (error: unknown) => error instanceof ArtifactError && error.code === 'unsafe-path' && error.entry === '../escape.yaml');
    assert.equal(existsSync(cache.treePath(digest)), false);
    assert.equal(existsSync(join(dir, 'escape.yaml')), false);
    assert.deepEqual(readdirSync(join(dir, 'tmp')), []);
  }),
);

test(
  'a plain tar whose first batch is shorter than a tar header is still recognised, and its batches may be reused',
  withCache(async (cache) => {
    const plain = tar([{ name: 'notes.txt', content: 'plain tar\n' }]);
    const extraction = startStreamedExtraction(cache, sha256(plain));
    const scratch = Buffer.alloc(plain.length);
    for (const [from, to] of [
      [0, 100],
      [100, 300],
      [300, plain.length],
    ] as const) {
      plain.copy(scratch, 0, from, to);
      await extraction.tap.take(scratch.subarray(0, to - from));
      scratch.fill(0xee);
    }
    extraction.tap.end();
    const tree = await extraction.tree;
    assert.deepEqual(tree.files, [{ path: 'notes.txt', size: 10 }]);
    assert.equal(readFileSync(join(cache.treePath(sha256(plain)), 'notes.txt'), 'utf8'), 'plain tar\n');
  }),
);

test(
  'a zstd layer is refused as not extractable, and the tap does not wait for it',
  withCache(async (cache) => {
    const zstd = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), randomBytes(1000)]);
    const extraction = startStreamedExtraction(cache, sha256(zstd));
    await extraction.tap.take(zstd);
    await extraction.tap.take(Buffer.from('more bytes after the refusal'));
    extraction.tap.end();
    await assert.rejects(extraction.tree, (error: unknown) => error instanceof ArtifactError && error.code === 'not-extractable');
  }),
);
