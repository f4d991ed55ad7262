// Extracts a layer while it downloads: the content cache's tap hands each written batch to the extractor, and the tree
// is renamed into place only once the whole blob matched its digest (until then it is a staging folder, then nothing).
import { BatchChannel } from './batch-channel';
import type { BlobTap, ContentCache } from './content-cache';
import type { ExtractLimits } from './limits';
import { COMPRESSION_HEAD_BYTES, compressionOf, tarFromBorrowed, type ExtractedTree } from './safe-extract';

export interface StreamedExtraction {
  /** Pass this as `tap` to ContentCache.storeBlob / storeBlobFrom. */
  tap: BlobTap;
  /**
   * The extracted tree, in the cache once the blob was stored. Rejects with the archive's problem (the blob may still
   * be stored), or with the blob's own error when it was not.
   */
  tree: Promise<ExtractedTree>;
}

/** Tells the compression from the first bytes (copied, so they outlive their batch), then streams the tar bytes. */
async function tarBytes(batches: AsyncIterable<Buffer>): Promise<AsyncIterable<Uint8Array>> {
  const iterator = batches[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < COMPRESSION_HEAD_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(Buffer.from(next.value));
    headBytes += next.value.length;
  }
  const compression = compressionOf(Buffer.concat(head));
  async function* all(): AsyncGenerator<Buffer> {
    try {
      yield* head;
      if (ended) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      await iterator.return?.();
    }
  }
  return tarFromBorrowed(all(), compression);
}

/** Starts extracting the archive `digest` from the bytes the returned tap will see; see StreamedExtraction. */
export function startStreamedExtraction(cache: ContentCache, digest: string, options: { limits?: Partial<ExtractLimits>; signal?: AbortSignal } = {}): StreamedExtraction {
  const channel = new BatchChannel();
  let blobEnded!: (failure?: { error: unknown }) => void;
  const blobStored = new Promise<void>((resolve, reject) => {
    blobEnded = (failure) => (failure ? reject(failure.error) : resolve());
  });
  blobStored.catch(() => undefined); // awaited before the commit; a failure before then surfaces through the channel
  const tap: BlobTap = {
    take: (bytes) => channel.push(bytes),
    end: (failure) => {
      channel.end(failure);
      blobEnded(failure);
    },
  };
  const tree = (async () => {
    try {
      const archive = await tarBytes(channel);
      return await cache.storeTreeFromStream(digest, archive, {
        ...options,
        // The last entry is written: stop holding the download back, and keep the tree only if the blob verifies.
        beforeCommit: async () => {
          channel.leave();
          await blobStored;
        },
      });
    } finally {
      // An archive refused half-way no longer reads: the download goes on to its end (and is verified and cached).
      channel.leave();
    }
  })();
  void tree.catch(() => undefined); // the caller awaits it after the blob; never an unhandled rejection meanwhile
  return { tap, tree };
}
