// Cross-file diagnostics of a document that Flux Kustomizations apply: references looked up with each variant's
// effective namespace and substituted names, and one note per `${VAR}` no variant can resolve. Information only.
import type { FluxDiagnostic } from '../diagnostic';
import type { DocumentResult } from '../manifests/document-analyzer';
import type { IndexedDocument } from './file-entry';
import { objectKey } from './file-entry';
import { scopedKey, type ObjectRegistry } from './object-registry';
import type { RepositoryBuild } from './repository-build';
import { referenceDiagnostics, type ObjectLookup } from './cross-file-rules';
import { hasVariable } from './flux-varsub';
import { referencesOfObject, type ObjectVariant } from './object-variants';
import { rangeOfPath } from './variant-references';

function labels(variants: readonly ObjectVariant[], all: number): string {
  const names = [...new Set(variants.map((v) => v.kustomization))];
  return all > 1 && names.length === all ? `every Kustomization applying it: ${names.join(', ')}` : names.join(', ');
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

const NONE: FluxDiagnostic[] = [];

/**
 * Variant diagnostics per document, redone only when the document, the build, or an object key they looked up (in the
 * variant's cluster or outside every Kustomization) changes.
 */
export class VariantDiagnosticsCache {
  private readonly cache = new WeakMap<IndexedDocument, { result: DocumentResult; build: RepositoryBuild; checkedAt: number; keys: string[]; diagnostics: FluxDiagnostic[] }>();

  constructor(private readonly objects: ObjectRegistry) {}

  of(doc: IndexedDocument, build: RepositoryBuild, variantsOf: () => ObjectVariant[]): FluxDiagnostic[] {
    const cached = this.cache.get(doc);
    if (cached && cached.result === doc.result && cached.build === build && this.objects.unchangedSince(cached.keys, cached.checkedAt)) {
      cached.checkedAt = this.objects.clock;
      return cached.diagnostics;
    }
    const keys: string[] = [];
    const existsFor =
      (variant: ObjectVariant) =>
      (kind: string, namespace: string, name: string): boolean => {
        const key = objectKey(kind, namespace, name);
        const inCluster = scopedKey(variant.cluster, key);
        const outside = scopedKey('', key);
        keys.push(inCluster, outside);
        return this.objects.has(inCluster) || this.objects.has(outside);
      };
    const found = variantDiagnostics(doc, variantsOf(), existsFor);
    const diagnostics = found.length ? found : NONE;
    this.cache.set(doc, { result: doc.result, build, checkedAt: this.objects.clock, keys, diagnostics });
    return diagnostics;
  }
}
