// Which documents hold each object key (kind/namespace/name, plain or scoped to a cluster), with a clock that ticks
// when a key appears or disappears so cached cross-file results know when to be redone. Bookkeeping only.
import type { IndexedDocument } from './file-entry';

/** Where an object lives: the document record (kept up to date in place when the document moves). */
export interface ObjectSlot {
  path: string;
  doc: IndexedDocument;
}

/** A key as seen within one cluster (the top Kustomization's label; '' for objects outside every Kustomization). */
export function scopedKey(cluster: string, key: string): string {
  return `${cluster}\u0001${key}`;
}

export class ObjectRegistry {
  private readonly slots = new Map<string, ObjectSlot[]>();
  private readonly changedAt = new Map<string, number>();
  private readonly keysOfDoc = new WeakMap<IndexedDocument, string[]>();
  /** Ticks whenever some key appears or disappears. */
  clock = 0;

  has(key: string): boolean {
    return this.slots.has(key);
  }

  slotsOf(key: string): readonly ObjectSlot[] {
    return this.slots.get(key) ?? [];
  }

  /** Whether none of `keys` came or went since `checkedAt`. */
  unchangedSince(keys: readonly string[], checkedAt: number): boolean {
    return checkedAt === this.clock || keys.every((k) => (this.changedAt.get(k) ?? 0) <= checkedAt);
  }

  add(path: string, doc: IndexedDocument, keys: readonly string[]): void {
    this.keysOfDoc.set(doc, [...keys]);
    for (const key of keys) {
      const list = this.slots.get(key);
      if (list) list.push({ path, doc });
      else {
        this.slots.set(key, [{ path, doc }]);
        this.changedAt.set(key, ++this.clock);
      }
    }
  }

  remove(doc: IndexedDocument): void {
    for (const key of this.keysOfDoc.get(doc) ?? []) {
      const list = this.slots.get(key)?.filter((e) => e.doc !== doc);
      if (list && list.length) this.slots.set(key, list);
      else if (this.slots.delete(key)) this.changedAt.set(key, ++this.clock);
    }
  }

  /** Empties the registry for a full re-registration; `refill` adds everything, then every key old or new counts as changed. */
  rebuild(refill: () => void): void {
    const oldKeys = [...this.slots.keys()];
    this.slots.clear();
    refill();
    const clock = ++this.clock;
    for (const key of oldKeys) this.changedAt.set(key, clock);
    for (const key of this.slots.keys()) this.changedAt.set(key, clock);
  }
}
