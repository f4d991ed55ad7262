// Content-addressed store: verified blobs at <dir>/blobs/<alg>/<hex>, extracted trees at <dir>/trees/<alg>/<hex>/.
// Verifies on write and on read; never hands out partial data (temp files/dirs under <dir>/tmp, renamed when complete).
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ArtifactError, throwIfCancelled } from './artifact-error';
import { createBufferReclaimer } from './buffer-reclaimer';
import { hashFile } from './file-reading';
import { resolveLimits, type ExtractLimits } from './limits';
import { isValidDigest } from './manifest-model';
import { extractArchiveFile, extractTarStream, type ExtractedTree, type ExtractOptions } from './safe-extract';

export interface StoreBlobOptions {
  expectedSize?: number;
  signal?: AbortSignal;
  /** Called with the running total of bytes received. */
  onProgress?: (bytesSoFar: number) => void;
  /** Sees the blob's bytes as they are written (e.g. to extract them at the same time); see BlobTap. */
  tap?: BlobTap;
}

/**
 * A second reader of a blob while it is stored. `take` gets each written batch in order, borrowed (valid until its
 * promise settles, which holds the batch back from reuse); the bytes are not verified yet. `end` comes once: with no
 * error after the whole blob matched its digest and was stored, or with why it was not (keep nothing made from it).
 * A tap ignores any later `end`.
 */
export interface BlobTap {
  take(bytes: Buffer): Promise<void>;
  end(failure?: { error: unknown }): void;
}

interface TreeRecord {
  version: 1;
  tree: ExtractedTree;
}

function splitDigest(digest: string): { algorithm: 'sha256' | 'sha512'; hex: string } {
  if (!isValidDigest(digest)) throw new ArtifactError('invalid-digest', `"${digest.slice(0, 80)}" is not a valid sha256 or sha512 digest.`);
  const [algorithm, hex] = digest.split(':') as ['sha256' | 'sha512', string];
  return { algorithm, hex };
}

/** Size of the reused buffer a blob is written through. */
export const BLOB_WRITE_BATCH_BYTES = 1 << 20;
/** The batch is written once less than this much room is left (one socket read always fits). */
const SETTLE_HEADROOM_BYTES = 64 * 1024;

/** Where a producer pushes a blob: `write` copies what it keeps; a promise from `settle` means "wait before writing more". */
export interface CacheBlobSink {
  write(chunk: Uint8Array): void;
  settle(): Promise<void> | undefined;
}

const exists = async (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** Work in progress per cache key, shared by every ContentCache of this process (one download/extraction at a time). */
const inflight = new Map<string, Promise<unknown>>();

export class ContentCache {
  constructor(readonly dir: string) {}

  /** Runs `work` once per key at a time in this process; concurrent callers with the same key share the result. */
  async singleFlight<T>(key: string, work: () => Promise<T>): Promise<T> {
    const fullKey = `${this.dir}\0${key}`;
    const running = inflight.get(fullKey) as Promise<T> | undefined;
    if (running) return running;
    const promise = work().finally(() => inflight.delete(fullKey));
    inflight.set(fullKey, promise);
    return promise;
  }

  blobPath(digest: string): string {
    const { algorithm, hex } = splitDigest(digest);
    return join(this.dir, 'blobs', algorithm, hex);
  }

  treePath(digest: string): string {
    const { algorithm, hex } = splitDigest(digest);
    return join(this.dir, 'trees', algorithm, hex);
  }

  private treeRecordPath(digest: string): string {
    return `${this.treePath(digest)}.json`;
  }

  private async tempPath(label: string): Promise<string> {
    const tmp = join(this.dir, 'tmp');
    await mkdir(tmp, { recursive: true });
    return join(tmp, `${label}-${randomBytes(8).toString('hex')}`);
  }

  /** Whether a blob file is there at all (cheap; verifiedBlob checks its bytes). */
  async hasBlob(digest: string): Promise<boolean> {
    return exists(this.blobPath(digest));
  }

  /** The cached blob's path when present and its bytes still hash to the digest; a corrupt copy is deleted. */
  async verifiedBlob(digest: string, expectedSize?: number): Promise<string | undefined> {
    const path = this.blobPath(digest);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const { algorithm, hex } = splitDigest(digest);
    if ((expectedSize !== undefined && info.size !== expectedSize) || (await hashFile(path, algorithm)) !== hex) {
      await rm(path, { force: true });
      return undefined;
    }
    return path;
  }

  /**
   * Streams a blob to a temp file while hashing, checks size and digest at the end (size also while
   * streaming), then renames it into place. On any mismatch nothing is kept. Returns the blob's path.
   */
  async storeBlob(digest: string, source: AsyncIterable<Uint8Array>, options: StoreBlobOptions = {}): Promise<string> {
    return this.storeBlobFrom(
      digest,
      async (sink) => {
        for await (const chunk of source) {
          sink.write(chunk);
          await sink.settle();
        }
      },
      options,
    );
  }

  /**
   * The same as storeBlob for a producer that pushes borrowed chunks into a sink (valid only during `write`) and waits
   * whenever `settle` returns a promise: a download read through reused buffers stays flat in memory.
   */
  async storeBlobFrom(digest: string, produce: (sink: CacheBlobSink) => Promise<void>, options: StoreBlobOptions = {}): Promise<string> {
    const { tap } = options;
    let path: string;
    try {
      path = await this.writeVerifiedBlob(digest, produce, options);
    } catch (error) {
      tap?.end({ error });
      throw error;
    }
    tap?.end();
    return path;
  }

  private async writeVerifiedBlob(digest: string, produce: (sink: CacheBlobSink) => Promise<void>, options: StoreBlobOptions): Promise<string> {
    const { algorithm, hex } = splitDigest(digest);
    const temp = await this.tempPath('blob');
    const hash = createHash(algorithm);
    const handle = await open(temp, 'wx', 0o644);
    let received = 0;
    let closed = false;
    // Network chunks are fresh buffers each; the reclaimer lets them go every few MiB (see buffer-reclaimer.ts).
    const reclaimer = createBufferReclaimer();
    // Chunks are copied into two reused 1 MiB batches, taking turns: one fills while the other is written out (and
    // handed to the tap), so the producer rarely waits. Fewer syscalls, and no chunk outlives its write (held network
    // chunks would survive into old space and be freed only by a full GC). A chunk that does not fit goes to `spill`
    // (rare: only chunks larger than the room left).
    const batches = [Buffer.allocUnsafe(BLOB_WRITE_BATCH_BYTES), Buffer.allocUnsafe(BLOB_WRITE_BATCH_BYTES)] as const;
    const busy = [false, false];
    let current = 0;
    let batched = 0;
    let spill: Buffer[] = [];
    /** The write-out of the batch not being filled (settles when that batch may be filled again). */
    let writing: Promise<void> = Promise.resolve();
    const writeAll = async (bytes: Buffer) => {
      for (let offset = 0; offset < bytes.length;) offset += (await handle.write(bytes, offset, bytes.length - offset)).bytesWritten;
    };
    const writeOut = async (index: number, parts: Buffer[]) => {
      try {
        for (const part of parts) {
          // Both readers finish with the batch before it may be filled again, also when one of them fails.
          const [written, taken] = await Promise.allSettled([writeAll(part), (async () => options.tap?.take(part))()]);
          if (written.status === 'rejected') throw written.reason;
          if (taken.status === 'rejected') throw taken.reason;
        }
      } finally {
        busy[index] = false;
      }
    };
    /**
     * Starts writing the current batch (after the one before it) and switches to the other; returns a promise when the
     * other batch is still being written out (the producer waits for it), else undefined.
     */
    const rotate = (): Promise<void> | undefined => {
      const parts = [batches[current]!.subarray(0, batched), ...spill].filter((part) => part.length > 0);
      const before = writing;
      const index = current;
      busy[index] = true;
      writing = before.then(() => writeOut(index, parts));
      writing.catch(() => undefined); // awaited below or by the producer; never an unhandled rejection
      current = 1 - current;
      batched = 0;
      spill = [];
      // The next batch is free once the write-out before this one is done.
      return busy[current] ? before : undefined;
    };
    const sink: CacheBlobSink = {
      write: (chunk) => {
        // This batch is still being written out: a producer that did not wait for settle() would lose these bytes.
        if (busy[current]) throw new Error(`Blob ${digest}: a producer wrote while the cache was still writing; it must wait for settle().`);
        throwIfCancelled(options.signal);
        received += chunk.byteLength;
        if (options.expectedSize !== undefined && received > options.expectedSize) {
          throw new ArtifactError('size-mismatch', `Blob ${digest} is larger than the ${options.expectedSize} bytes its descriptor declares.`);
        }
        hash.update(chunk);
        reclaimer.passed(chunk.byteLength);
        const batch = batches[current]!;
        if (spill.length === 0 && chunk.byteLength <= batch.length - batched) {
          batch.set(chunk, batched);
          batched += chunk.byteLength;
        } else {
          spill.push(Buffer.from(chunk));
        }
      },
      settle: () => {
        options.onProgress?.(received);
        return batched >= BLOB_WRITE_BATCH_BYTES - SETTLE_HEADROOM_BYTES || spill.length > 0 ? rotate() : undefined;
      },
    };
    try {
      await produce(sink);
      throwIfCancelled(options.signal);
      await rotate();
      await writing;
      await handle.close();
      closed = true;
      if (options.expectedSize !== undefined && received !== options.expectedSize) {
        throw new ArtifactError('size-mismatch', `Blob ${digest} has ${received} bytes, but its descriptor declares ${options.expectedSize}.`);
      }
      const actual = hash.digest('hex');
      if (actual !== hex) {
        throw new ArtifactError('digest-mismatch', `Blob ${digest} failed verification: its content hashes to ${algorithm}:${actual}.`);
      }
      const path = this.blobPath(digest);
      await mkdir(join(this.dir, 'blobs', algorithm), { recursive: true });
      await rename(temp, path);
      return path;
    } catch (error) {
      // Let a write-out in progress finish before the file goes (its error, if any, is the one already thrown or moot).
      await writing.catch(() => undefined);
      if (!closed) await handle.close().catch(() => undefined);
      await rm(temp, { force: true });
      throw error;
    }
  }

  /** A previously extracted tree, when complete, extracted within `limits`, and its files still present with their sizes. */
  async extractedTree(digest: string, limits?: Partial<ExtractLimits>): Promise<ExtractedTree | undefined> {
    const resolved = resolveLimits(limits);
    const record = await readFile(this.treeRecordPath(digest), 'utf8').then(
      (text) => JSON.parse(text) as TreeRecord,
      () => undefined,
    );
    if (record?.version !== 1) return undefined;
    const { tree } = record;
    if (tree.totalBytes > resolved.maxBytes || tree.files.length + tree.skippedSymlinks.length > resolved.maxFiles) return undefined;
    const root = this.treePath(digest);
    for (const file of tree.files) {
      const info = await stat(join(root, file.path)).catch(() => undefined);
      if (!info?.isFile() || info.size !== file.size) {
        await this.removeTree(digest);
        return undefined;
      }
    }
    return tree;
  }

  private async removeTree(digest: string): Promise<void> {
    await rm(this.treeRecordPath(digest), { force: true });
    await rm(this.treePath(digest), { recursive: true, force: true });
  }

  /**
   * Extracts a verified blob into the tree for `digest`: staged under <dir>/tmp, renamed into place when
   * complete, then recorded. A refused archive leaves nothing behind. Throws ArtifactError.
   */
  async storeTree(digest: string, blobPath: string, options: { limits?: Partial<ExtractLimits>; signal?: AbortSignal } = {}): Promise<ExtractedTree> {
    return this.commitTree(digest, options.limits, (root, stagingParent) => extractArchiveFile(blobPath, root, { ...options, stagingParent }));
  }

  /**
   * The same as storeTree for an archive still arriving (see streamed-extraction.ts): nothing is renamed into place
   * before `options.beforeCommit` resolves, which is where the caller waits for the blob's digest to match.
   */
  async storeTreeFromStream(digest: string, archive: AsyncIterable<Uint8Array>, options: Omit<ExtractOptions, 'stagingParent'> = {}): Promise<ExtractedTree> {
    return this.commitTree(digest, options.limits, (root, stagingParent) => extractTarStream(archive, root, { ...options, stagingParent }));
  }

  private async commitTree(digest: string, limits: Partial<ExtractLimits> | undefined, extract: (root: string, stagingParent: string) => Promise<ExtractedTree>): Promise<ExtractedTree> {
    const root = this.treePath(digest);
    if (await exists(root)) {
      // A complete tree another pull finished meanwhile (a streamed extraction starts long before it commits) is used
      // as it is; a directory without its record is a leftover of an interrupted run.
      const finished = await this.extractedTree(digest, limits);
      if (finished) return finished;
      await this.removeTree(digest);
    }
    const tree = await extract(root, join(this.dir, 'tmp')).catch(async (error: unknown) => {
      const code = (error as { code?: string }).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') {
        const other = await this.extractedTree(digest, limits);
        if (other) return other; // someone else finished the same tree first
      }
      throw error;
    });
    const recordTemp = await this.tempPath('tree-record');
    await writeFile(recordTemp, JSON.stringify({ version: 1, tree } satisfies TreeRecord));
    await rename(recordTemp, this.treeRecordPath(digest));
    return tree;
  }

  /** Stores a non-archive layer (for example a .prov file) as a one-file tree under the given name. */
  async storeSingleFileTree(digest: string, blobPath: string, fileName: string): Promise<ExtractedTree> {
    const root = this.treePath(digest);
    if (await exists(root)) await this.removeTree(digest);
    const staging = await this.tempPath('tree');
    await mkdir(staging, { recursive: true });
    try {
      await copyFile(blobPath, join(staging, fileName));
      await mkdir(join(root, '..'), { recursive: true });
      await rename(staging, root);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
    const size = (await stat(join(root, fileName))).size;
    const tree: ExtractedTree = { files: [{ path: fileName, size }], skippedSymlinks: [], totalBytes: size };
    const recordTemp = await this.tempPath('tree-record');
    await writeFile(recordTemp, JSON.stringify({ version: 1, tree } satisfies TreeRecord));
    await rename(recordTemp, this.treeRecordPath(digest));
    return tree;
  }
}
