// The references a document makes as Flux applies it: each variant's effective kind/namespace/name per field, placed
// at the field as written (document-relative ranges). Used for navigation and cross-file notes; no lookups here.
import { asMap, getPath, rangeOfNode } from '../manifests/yaml-ast';
import type { ObjectReference } from '../manifests/object-types';
import type { Range } from '../text-range';
import type { IndexedDocument } from './file-entry';
import { hasVariable } from './flux-varsub';
import { referencesOfObject, type ObjectVariant } from './object-variants';

/** Where a field sits in the document (document-relative), else the object's name or the document start. */
export function rangeOfPath(doc: IndexedDocument, path: readonly string[]): Range {
  const parsed = doc.result.parsed;
  const node = getPath(asMap(parsed?.doc.contents), ...path);
  if (node && parsed) return rangeOfNode(node, parsed.lineMap);
  return doc.result.object?.nameRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

/** Every distinct reference of the document's variants whose name and namespace are known (no `${VAR}` left). */
export function effectiveReferences(doc: IndexedDocument, variants: readonly ObjectVariant[]): ObjectReference[] {
  const out = new Map<string, ObjectReference>();
  for (const variant of variants) {
    for (const ref of referencesOfObject(variant)) {
      if (hasVariable(ref.name) || hasVariable(ref.namespace)) continue;
      const key = `${ref.kind}\u0000${ref.namespace}\u0000${ref.name}\u0000${ref.field}`;
      if (!out.has(key)) out.set(key, { kind: ref.kind, name: ref.name, namespace: ref.namespace, field: ref.field, range: rangeOfPath(doc, ref.path) });
    }
  }
  return [...out.values()];
}
