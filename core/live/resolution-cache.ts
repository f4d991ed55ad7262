// Remembers live resolutions per target key for a time-to-live and shares one in-flight resolution between
// callers; a cancelled run is forgotten so the next caller starts fresh. Holds no network code.

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

  /** The cached value, the in-flight run, or a new run of `work`. */
  run(key: string, work: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && (entry.settledAt === undefined || this.now() - entry.settledAt <= this.ttlMs())) return entry.promise;
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
    return fresh.promise;
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
