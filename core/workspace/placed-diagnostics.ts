// A document's own and cross-file diagnostics in file positions, cached per document and redone only when it
// changes, moves, or a key its references looked up came or went. Reads the registry and build; never edits them.
import type { FluxDiagnostic } from '../diagnostic';
import type { DocumentResult } from '../manifests/document-analyzer';
import { referenceDiagnostics } from './cross-file-rules';
import { objectKey, type IndexedDocument } from './file-entry';
import type { ObjectRegistry } from './object-registry';
import type { VariantCache } from './object-variants';
import { shiftDeep, shiftRange } from './range-shift';
import { VariantDiagnosticsCache } from './variant-diagnostics';

/** Diagnostics that patch files (named by a Kustomization) do not get: they are partial objects. */
const PATCH_SUPPRESSED = new Set(['field-required', 'helmrelease-chart-missing']);

const NO_DIAGNOSTICS: FluxDiagnostic[] = [];

/** A document's diagnostics in file positions and what they were computed from. */
interface PlacedDiagnostics {
  result: DocumentResult;
  startLine: number;
  isPatch: boolean;
  /** The registry clock when last known valid. */
  clock: number;
  /** The cross-file diagnostics (document positions) they include. */
  references: FluxDiagnostic[];
  diagnostics: FluxDiagnostic[];
}

export class PlacedDiagnosticsCache {
  private readonly referenceCache = new WeakMap<DocumentResult, { checkedAt: number; keys: string[]; diagnostics: FluxDiagnostic[] }>();
  private readonly placedCache = new WeakMap<IndexedDocument, PlacedDiagnostics>();
  private readonly variantDiagnostics: VariantDiagnosticsCache;

  constructor(private readonly objects: ObjectRegistry) {
    this.variantDiagnostics = new VariantDiagnosticsCache(objects);
  }

  /**
   * A document's own and cross-file diagnostics in file positions, cached while the document neither
   * changes nor moves and no object its references look up came or went.
   */
  of(path: string, doc: IndexedDocument, isPatchFile: boolean, variants: VariantCache): FluxDiagnostic[] {
    // Looked up at most once, and only when needed (a fresh cache entry of a document with its own diagnostics needs none).
    let references: FluxDiagnostic[] | undefined;
    if (!doc.result.diagnostics.length) {
      references = this.crossFileDiagnosticsOf(path, doc, variants);
      // The common case, a clean document whose references all resolve: nothing to place or cache.
      if (!references.length) return NO_DIAGNOSTICS;
    }
    const cached = this.placedCache.get(doc);
    const fresh = cached !== undefined && cached.result === doc.result && cached.startLine === doc.startLine && cached.isPatch === isPatchFile;
    if (fresh && cached.clock === this.objects.clock) return cached.diagnostics;
    references ??= this.crossFileDiagnosticsOf(path, doc, variants);
    if (fresh && cached.references === references) {
      cached.clock = this.objects.clock;
      return cached.diagnostics;
    }
    const own = isPatchFile ? doc.result.diagnostics.filter((d) => !PATCH_SUPPRESSED.has(d.code)) : doc.result.diagnostics;
    const line = doc.startLine;
    const diagnostics = line ? own.map((d) => shiftDeep(d, line)) : [...own];
    for (const d of references) diagnostics.push(line ? { ...d, range: shiftRange(d.range, line) } : d);
    this.placedCache.set(doc, { result: doc.result, startLine: line, isPatch: isPatchFile, clock: this.objects.clock, references, diagnostics });
    return diagnostics;
  }

  /** A document's cross-file diagnostics: through its variants when Flux Kustomizations apply it, else as written. */
  private crossFileDiagnosticsOf(path: string, doc: IndexedDocument, variants: VariantCache): FluxDiagnostic[] {
    const build = variants.build;
    if (!doc.object || !build.hasPlacements(path)) return doc.result.references.length ? this.referenceDiagnosticsOf(doc.result) : NO_DIAGNOSTICS;
    return this.variantDiagnostics.of(doc, build, () => variants.variantsOf(path, doc));
  }

  /** Cross-file diagnostics of a document (document positions), redone only when a key it looked up came or went. */
  private referenceDiagnosticsOf(result: DocumentResult): FluxDiagnostic[] {
    const cached = this.referenceCache.get(result);
    if (cached && this.objects.unchangedSince(cached.keys, cached.checkedAt)) {
      cached.checkedAt = this.objects.clock;
      return cached.diagnostics;
    }
    const keys: string[] = [];
    const exists = (kind: string, namespace: string, name: string): boolean => {
      const key = objectKey(kind, namespace, name);
      keys.push(key);
      return this.objects.has(key);
    };
    const diagnostics = referenceDiagnostics(result.references, exists);
    this.referenceCache.set(result, { checkedAt: this.objects.clock, keys, diagnostics });
    return diagnostics;
  }
}
