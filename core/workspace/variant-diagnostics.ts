// Cross-file diagnostics of a document that Flux Kustomizations apply: references looked up with each variant's
// effective namespace and substituted names, and one note per `${VAR}` no variant can resolve. Information only.
import type { FluxDiagnostic } from '../diagnostic';
import type { IndexedDocument } from './file-entry';
import { referenceDiagnostics, type ObjectLookup } from './cross-file-rules';
import { asMap, getPath, rangeOfNode } from '../manifests/yaml-ast';
import { hasVariable } from './flux-varsub';
import { referencesOfObject, type ObjectVariant } from './object-variants';
import type { Range } from '../text-range';

function labels(variants: readonly ObjectVariant[], all: number): string {
  const names = [...new Set(variants.map((v) => v.kustomization))];
  return all > 1 && names.length === all ? `every Kustomization applying it: ${names.join(', ')}` : names.join(', ');
}

/** Where a field sits in the document (document-relative), else the object's name or the document start. */
function rangeOfPath(doc: IndexedDocument, path: readonly string[]): Range {
  const parsed = doc.result.parsed;
  const root = asMap(parsed?.doc.contents);
  const node = getPath(root, ...path);
  if (node && parsed) return rangeOfNode(node, parsed.lineMap);
  const o = doc.result.object;
  return o?.nameRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

/** `existsFor(variant)` looks objects up as that variant sees them (its cluster's objects and those outside every Kustomization). */
export function variantDiagnostics(doc: IndexedDocument, variants: readonly ObjectVariant[], existsFor: (variant: ObjectVariant) => ObjectLookup): FluxDiagnostic[] {
  const out: FluxDiagnostic[] = [];
  const missing = new Map<string, { variants: ObjectVariant[]; diagnostic: FluxDiagnostic }>();
  for (const variant of variants) {
    const exists = existsFor(variant);
    for (const ref of referencesOfObject(variant)) {
      if (hasVariable(ref.name) || hasVariable(ref.namespace)) continue;
      const [diagnostic] = referenceDiagnostics([{ kind: ref.kind, name: ref.name, namespace: ref.namespace, field: ref.field, range: rangeOfPath(doc, ref.path) }], exists);
      if (!diagnostic) continue;
      const key = `${ref.kind}\u0000${ref.namespace}\u0000${ref.name}\u0000${ref.field}`;
      const entry = missing.get(key);
      if (entry) entry.variants.push(variant);
      else missing.set(key, { variants: [variant], diagnostic });
    }
  }
  for (const { variants: vs, diagnostic } of missing.values()) {
    out.push({ ...diagnostic, message: `${diagnostic.message} (as applied by ${labels(vs, variants.length)})` });
  }
  out.push(...unresolvedVariableNotes(doc, variants));
  return out;
}

/** One information note per variable some variant leaves unresolved, at its first occurrence in the document. */
function unresolvedVariableNotes(doc: IndexedDocument, variants: readonly ObjectVariant[]): FluxDiagnostic[] {
  const byName = new Map<string, { expression: string; variants: ObjectVariant[] }>();
  for (const variant of variants) {
    for (const use of variant.uses) {
      if (use.value !== undefined) continue;
      const entry = byName.get(use.name);
      if (!entry) byName.set(use.name, { expression: use.expression, variants: [variant] });
      else if (!entry.variants.includes(variant)) entry.variants.push(variant);
    }
  }
  const out: FluxDiagnostic[] = [];
  const parsed = doc.result.parsed;
  for (const [name, { expression, variants: vs }] of byName) {
    const text = doc.result.text;
    const at = text.indexOf(expression);
    const range = at >= 0 && parsed ? parsed.lineMap.rangeOf(at, at + expression.length) : rangeOfPath(doc, ['metadata', 'name']);
    const unknown = [...new Set(vs.flatMap((v) => v.unknownSources))];
    const why = unknown.length
      ? `it may come from ${unknown.join(', ')}, whose values are not readable here`
      : 'no postBuild.substitute, substituteFrom value or default sets it, so Flux substitutes an empty string (or fails with strict substitution)';
    out.push({ severity: 'information', code: 'substitution-unresolved', message: `\${${name}} has no known value in ${labels(vs, variants.length)}: ${why}.`, range });
  }
  return out;
}
