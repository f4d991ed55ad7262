// In-memory TTL cache and single-flight: one live computation per key, shared by every concurrent caller.
// Generic and synchronous in bookkeeping; knows nothing about registries.

export interface CachedValue<V> {
  value: V;
  storedAt: number;
}

export class TtlCache<V> {
  private readonly entries = new Map<string, CachedValue<V> & { expiresAt: number }>();
  constructor(
    private readonly defaultTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): CachedValue<V> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return { value: entry.value, storedAt: entry.storedAt };
  }

  set(key: string, value: V, ttlMs = this.defaultTtlMs, storedAt = this.now()): void {
    this.entries.set(key, { value, storedAt, expiresAt: this.now() + ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

export class SingleFlight<V> {
  private readonly inflight = new Map<string, Promise<V>>();

  /** Runs `work` unless a run for `key` is in progress, in which case its promise is shared. */
  run(key: string, work: () => Promise<V>): Promise<V> {
    const existing = this.inflight.get(key);
    if (existing) return existing;
    const promise = work().finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }

  get pending(): number {
    return this.inflight.size;
  }
}
