// Lets large streams give their transient buffers back promptly: one young-generation GC per few MiB streamed.
// Uses gc() only when the process already exposes it (node --expose-gc); never changes V8 flags, never runs a full GC.

/**
 * Why this exists: some streams hand out a fresh buffer per chunk whose memory lives outside the JS heap — zlib's
 * inflated output, and undici's socket reads of every download (the content cache reclaims them as it writes). A stream allocates almost nothing else, so V8 sees no reason
 * to collect, and ~30 MiB of already-dead buffers stay resident until its external-memory limit finally triggers a
 * collection. Nothing is retained; it is just not collected yet. A minor GC (about a millisecond) frees all of it.
 */
export const RECLAIM_EVERY_BYTES = 4 * 1024 * 1024;

type MinorGc = (options: { type: 'minor' }) => void;

function exposedGc(): MinorGc | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? (gc as MinorGc) : undefined;
}

export interface BufferReclaimer {
  /** Counts bytes that have passed through; collects young garbage each time RECLAIM_EVERY_BYTES more have. */
  passed(bytes: number): void;
  /** How many collections this reclaimer asked for (0 when gc is not exposed). */
  readonly collections: number;
}

export function createBufferReclaimer(everyBytes = RECLAIM_EVERY_BYTES, gc: MinorGc | undefined = exposedGc()): BufferReclaimer {
  let sinceLast = 0;
  let collections = 0;
  return {
    passed(bytes: number) {
      if (!gc) return;
      sinceLast += bytes;
      if (sinceLast < everyBytes) return;
      sinceLast = 0;
      collections++;
      gc({ type: 'minor' });
    },
    get collections() {
      return collections;
    },
  };
}
