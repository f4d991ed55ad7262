// Remembers live resolutions per target key for a time-to-live and shares one in-flight resolution between callers.
// A caller that cancels stops only its own wait: the shared run goes on and is cached. Holds no network code.
import { cancelledError } from './bounded';

interface Entry<T> {
  promise: Promise<T>;
  settledAt?: number;
  value?: T;
}

export class ResolutionCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs: () => number,
    private readonly now: () => number,
  ) {}

  /** The settled value for `key` if it is still fresh (no work started). */
  async peek(key: string): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (!entry || entry.settledAt === undefined || this.now() - entry.settledAt > this.ttlMs()) return undefined;
    return entry.promise;
  }

  /**
   * The cached value, the in-flight run, or a new run of `work`. `signal` ends this caller's wait only: the run is not
   * tied to any caller (bounded by the registry client's own deadlines) and lands in the cache, so that an editor that
   * cancels its request on every keystroke (completion) still gets the answer once it is in. A caller already
   * cancelled starts nothing.
   */
  run(key: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(cancelledError());
    const entry = this.entries.get(key);
    if (entry && (entry.settledAt === undefined || this.now() - entry.settledAt <= this.ttlMs())) return untilAborted(entry.promise, signal);
    const fresh: Entry<T> = { promise: work() };
    this.entries.set(key, fresh);
    fresh.promise.then(
      (value) => {
        fresh.settledAt = this.now();
        fresh.value = value;
      },
      () => {
        if (this.entries.get(key) === fresh) this.entries.delete(key);
      },
    );
    return untilAborted(fresh.promise, signal);
  }

  /** Forgets the settled entries whose value `matches` (e.g. failures worth retrying); returns how many. */
  forgetWhere(matches: (value: T) => boolean): number {
    let forgotten = 0;
    for (const [key, entry] of this.entries) {
      if (entry.settledAt !== undefined && entry.value !== undefined && matches(entry.value)) {
        this.entries.delete(key);
        forgotten++;
      }
    }
    return forgotten;
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** `promise`, or a cancellation as soon as `signal` aborts (the promise itself goes on). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
