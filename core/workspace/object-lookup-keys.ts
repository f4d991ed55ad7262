// The keys a document's object is found under in the cross-file registry: its variants' effective
// kind/namespace/name (else its own), each also scoped by cluster. Pure: no registry or build state.
import type { IndexedDocument } from './file-entry';
import { objectKey } from './file-entry';
import { scopedKey } from './object-registry';
import type { ObjectVariant } from './object-variants';

/**
 * The keys a document is found under: its variants' effective kind/namespace/name, else its own; each also
 * scoped by cluster (the top Kustomization applying it, '' outside every Kustomization) for variant lookups.
 */
export function lookupKeysOf(doc: IndexedDocument, variants: readonly ObjectVariant[]): string[] {
  const o = doc.object!;
  const items = doc.result.listItems ?? [];
  if (!variants.length) {
    const keys: string[] = [];
    for (const object of [o, ...items]) {
      const key = objectKey(object.kind, object.namespace, object.name);
      keys.push(key, scopedKey('', key));
    }
    return keys;
  }
  const keys = new Set<string>();
  for (const v of variants) {
    const key = objectKey(v.kind, v.namespace, v.name);
    keys.add(key).add(scopedKey(v.cluster, key));
    // A List's items: in the namespace a Kustomization moved the List to (kustomize's `namespace` reaches each
    // item), else as written.
    for (const item of items) {
      const itemKey = objectKey(item.kind, v.namespace !== o.namespace ? v.namespace : item.namespace, item.name);
      keys.add(itemKey).add(scopedKey(v.cluster, itemKey));
    }
  }
  return [...keys];
}
