// The cross-file index of every YAML file's Flux objects, Secrets and references, updated file by file;
// documents are cached by their text so an edit re-parses only what changed. No I/O, no LSP types.
import type { FluxDiagnostic } from '../diagnostic';
import type { LineMap, Position } from '../text-range';
import type { DocumentResult } from '../manifests/document-analyzer';
import { DOCKER_CONFIG_SECRET_TYPE, readDockerConfig, type DockerConfigJson } from '../manifests/docker-config';
import { readSecretData } from '../manifests/secret-data';
import { buildHelmReleaseModel, buildOciRepositoryModel } from '../manifests/object-models';
import type { FluxObject, HelmReleaseModel, OCIRepositoryModel, ObjectReference } from '../manifests/object-types';
import { asMap, getNode, scalarString } from '../manifests/yaml-ast';
import { referenceDiagnostics } from './cross-file-rules';
import { uncoveredMarkerNotes } from './image-automation-scope';
import { buildFileEntry, exportedKeys, objectKey, sameList, type AnalyzedObject, type FileAnalysis, type FileEntry, type IndexedDocument } from './file-entry';
import { placedLineMap, shiftDeep, shiftRange } from './range-shift';
import { ObjectRegistry, scopedKey } from './object-registry';
import { VariantCache, type ObjectVariant } from './object-variants';
import { editChangesBuild, RepositoryBuild } from './repository-build';
import { VariantDiagnosticsCache } from './variant-diagnostics';
import { effectiveReferences } from './variant-references';

export type { FluxObject, HelmReleaseModel, Located, OCIRepositoryModel, ObjectRefModel, ObjectReference } from '../manifests/object-types';
export type { DockerConfigJson } from '../manifests/docker-config';
export type { AnalyzedObject, FileAnalysis, IndexedDocument } from './file-entry';
export type { ObjectVariant } from './object-variants';

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

export class WorkspaceIndex {
  private readonly entries = new Map<string, FileEntry>();
  private readonly objects = new ObjectRegistry();
  private readonly patchFiles = new Map<string, number>();
  private version = 0;
  private readonly referenceCache = new WeakMap<DocumentResult, { checkedAt: number; keys: string[]; diagnostics: FluxDiagnostic[] }>();
  private readonly placedCache = new WeakMap<IndexedDocument, PlacedDiagnostics>();
  private readonly placedModels = new WeakMap<IndexedDocument, { result: DocumentResult; startLine: number; model: unknown }>();
  /** Repository roots (folders holding .git, else workspace folders / CLI arguments) that Flux paths start from. */
  private roots: string[] = [];
  /** How the repository is built; rebuilt lazily after a change to its structure (buildDirty). */
  private variants = new VariantCache(new RepositoryBuild({ paths: [], documentsOf: () => undefined, roots: [] }));
  private buildDirty = true;
  /** The file of each object a model was asked about (pathOfObject). */
  private readonly objectPaths = new WeakMap<FluxObject, string>();
  private readonly variantDiagnostics = new VariantDiagnosticsCache(this.objects);

  /** Sets the repository roots Flux Kustomization paths are read from (the build is redone on next use). */
  setRepositoryRoots(roots: readonly string[]): void {
    this.roots = [...roots];
    this.buildDirty = true;
    this.version++;
  }

  /** The build model, brought up to date (every object re-registered under its effective keys when it changed). */
  repositoryBuild(): RepositoryBuild {
    this.ensureBuild();
    return this.variants.build;
  }

  /** Every variant of the document at `documentIndex` of a file: one per Flux Kustomization applying it. */
  variantsOf(path: string, documentIndex: number): ObjectVariant[] {
    this.ensureBuild();
    const doc = this.entries.get(path)?.docs.find((d) => d.documentIndex === documentIndex);
    return doc ? this.variants.variantsOf(path, doc) : [];
  }

  /** The file an indexed object (a model's `object`) belongs to. */
  pathOfObject(object: FluxObject): string | undefined {
    const cached = this.objectPaths.get(object);
    if (cached !== undefined && this.entries.get(cached)?.docs.some((d) => d.object === object)) return cached;
    for (const [path, entry] of this.entries) {
      if (entry.docs.some((d) => d.object === object)) {
        this.objectPaths.set(object, path);
        return path;
      }
    }
    return undefined;
  }

  private ensureBuild(): void {
    if (!this.buildDirty) return;
    const input = { paths: [...this.entries.keys()], documentsOf: (p: string) => this.entries.get(p)?.docs, roots: this.roots };
    let build: RepositoryBuild;
    try {
      build = new RepositoryBuild(input);
    } catch {
      // A build the model cannot follow must not take the checks down: objects are then read as written.
      build = new RepositoryBuild({ paths: [], documentsOf: () => undefined, roots: [] });
    }
    this.variants = new VariantCache(build);
    this.buildDirty = false;
    this.objects.rebuild(() => {
      for (const [path, entry] of this.entries) this.registerKeys(path, entry.docs);
    });
  }

  /** Adds or replaces a file; returns every path whose diagnostics may have changed (this one included). */
  setFile(path: string, text: string): string[] {
    const old = this.entries.get(path);
    if (old && old.text === text) return [path];
    const { entry, removed, added } = buildFileEntry(path, text, old);
    const structural = !this.buildDirty && editChangesBuild(this.variants.build, path, old, removed, added);
    // Register first: a key held by both a removed and an added document never looks gone to references.
    this.entries.set(path, entry);
    this.register(path, added, entry.patchPaths);
    this.unregister(removed, old?.patchPaths ?? []);
    if (structural) this.buildDirty = true;
    this.version++;
    const exportsChanged = structural || !sameList(exportedKeys(removed), exportedKeys(added)) || !sameList(old?.patchPaths ?? [], entry.patchPaths);
    return this.affected(path, exportsChanged, old?.patchPaths ?? [], structural);
  }

  /** Removes a file; returns the paths whose diagnostics may have changed. */
  removeFile(path: string): string[] {
    const old = this.entries.get(path);
    if (!old) return [path];
    this.unregister(old.docs, old.patchPaths);
    this.entries.delete(path);
    const structural = !this.buildDirty && editChangesBuild(this.variants.build, path, old, old.docs, []);
    if (structural) this.buildDirty = true;
    this.version++;
    const exportsChanged = structural || exportedKeys(old.docs).length > 0 || old.patchPaths.length > 0;
    return this.affected(path, exportsChanged, old.patchPaths, structural)
      .filter((p) => p !== path)
      .concat(path);
  }

  hasFile(path: string): boolean {
    return this.entries.has(path);
  }

  files(): string[] {
    return [...this.entries.keys()];
  }

  /** Offline diagnostics (syntax, schema, Flux rules, cross-file references) and objects of one file. */
  analyze(path: string): FileAnalysis {
    const entry = this.entries.get(path);
    if (!entry) return { path, diagnostics: [], objects: [] };
    if (entry.analysis && entry.analysis.version === this.version) return entry.analysis.value;
    this.ensureBuild();
    const build = this.variants.build;
    const isPatchFile = this.patchFiles.has(path) || build.isPatchFile(path);
    const applied = build.hasPlacements(path);
    const diagnostics: FluxDiagnostic[] = [];
    const objects: AnalyzedObject[] = [];
    for (const doc of entry.docs) {
      if (doc.result.diagnostics.length || doc.result.references.length || (applied && doc.object)) {
        const placed = this.placedDiagnostics(path, doc, isPatchFile);
        for (let i = 0; i < placed.length; i++) diagnostics.push(placed[i]);
      }
      if (!doc.object) continue;
      const variants = applied ? this.variants.variantsOf(path, doc) : [];
      if (!variants.length) objects.push(doc.object);
      else
        objects.push({
          ...doc.object,
          namespace: variants[0].namespace,
          namespaceExplicit: doc.object.namespaceExplicit,
          variants: variants.map((v) => ({ kustomization: v.kustomization, namespace: v.namespace, name: v.name })),
        });
    }
    for (const note of uncoveredMarkerNotes(this, path)) diagnostics.push(note);
    const value: FileAnalysis = { path, diagnostics, objects };
    entry.analysis = { version: this.version, value };
    return value;
  }

  findObject(kind: string, namespace: string, name: string): { path: string; object: FluxObject } | undefined {
    this.ensureBuild();
    const slot = this.objects.slotsOf(objectKey(kind, namespace, name))[0];
    const object = slot?.doc.object;
    if (!slot || !object) return undefined;
    if (object.kind !== kind) return { path: slot.path, object: this.listItemObject(slot.doc, kind, namespace, name) ?? object };
    return { path: slot.path, object };
  }

  /** An item of a `kind: List` document as an object with file ranges (the List's document index). */
  private listItemObject(doc: IndexedDocument, kind: string, namespace: string, name: string): FluxObject | undefined {
    const items = (doc.result.listItems ?? []).filter((i) => i.kind === kind && i.name === name);
    const item = items.find((i) => i.namespace === namespace) ?? items[0];
    if (!item) return undefined;
    const nameRange = item.nameRange && shiftRange(item.nameRange, doc.startLine);
    return { ...item, namespace, documentIndex: doc.documentIndex, range: shiftRange(item.range, doc.startLine), ...(nameRange ? { nameRange } : {}) };
  }

  ociRepositories(): Array<{ path: string; model: OCIRepositoryModel }> {
    return this.models((doc) => this.ociModelOf(doc));
  }

  helmReleases(): Array<{ path: string; model: HelmReleaseModel }> {
    return this.models((doc) => this.helmModelOf(doc));
  }

  /** The OCIRepository / HelmRelease model of the document at a position, if any (built for that document only). */
  modelAt(path: string, position: Position): { oci?: OCIRepositoryModel; helm?: HelmReleaseModel } | undefined {
    const doc = this.documentAt(path, position);
    if (!doc?.object) return undefined;
    const oci = this.ociModelOf(doc);
    if (oci) return { oci };
    const helm = this.helmModelOf(doc);
    return helm ? { helm } : undefined;
  }

  private ociModelOf(doc: IndexedDocument): OCIRepositoryModel | undefined {
    return this.modelOf<OCIRepositoryModel>(doc, 'OCIRepository', 'source.toolkit.fluxcd.io/', (root, lineMap) => buildOciRepositoryModel(doc.result.object!, root, lineMap));
  }

  private helmModelOf(doc: IndexedDocument): HelmReleaseModel | undefined {
    return this.modelOf<HelmReleaseModel>(doc, 'HelmRelease', 'helm.toolkit.fluxcd.io/', (root, lineMap) => buildHelmReleaseModel(doc.result.object!, root, lineMap));
  }

  /** The decoded key/value pairs of a Secret in the workspace (any type; SOPS-encrypted ones are skipped). */
  secretDataFor(namespace: string, name: string): Record<string, string> | undefined {
    this.ensureBuild();
    for (const hit of this.objects.slotsOf(objectKey('Secret', namespace, name))) {
      if (hit.doc.object?.kind !== 'Secret') continue;
      const root = asMap(hit.doc.result.parsed?.doc.contents);
      const data = root ? readSecretData(root) : undefined;
      if (data) return data;
    }
    return undefined;
  }

  /** Registry credentials from a kubernetes.io/dockerconfigjson Secret in the workspace (decoded), if readable. */
  dockerConfigForSecret(namespace: string, name: string): DockerConfigJson | undefined {
    this.ensureBuild();
    for (const hit of this.objects.slotsOf(objectKey('Secret', namespace, name))) {
      if (hit.doc.object?.kind !== 'Secret') continue;
      const root = asMap(hit.doc.result.parsed?.doc.contents);
      if (!root || scalarString(getNode(root, 'type')) !== DOCKER_CONFIG_SECRET_TYPE) continue;
      const read = readDockerConfig(root);
      if (read.ok === true) return read.config;
    }
    return undefined;
  }

  /** Every reference in the workspace to kind/namespace/name (e.g. the HelmReleases using an OCIRepository). */
  referencesTo(kind: string, namespace: string, name: string): Array<{ path: string; reference: ObjectReference }> {
    const out: Array<{ path: string; reference: ObjectReference }> = [];
    this.ensureBuild();
    for (const [path, entry] of this.entries) {
      for (const doc of entry.docs) {
        for (const ref of this.referencesOfDocument(path, doc)) {
          const matches = ref.name === name && ref.namespace === namespace && (ref.kind === kind || (kind === 'SealedSecret' && ref.kind === 'Secret'));
          if (matches) out.push({ path, reference: { ...ref, range: shiftRange(ref.range, doc.startLine) } });
        }
      }
    }
    return out;
  }

  /** Where the reference under `position` points (a Secret, OCIRepository or HelmChart in the workspace). */
  definitionOf(path: string, position: Position): { path: string; object: FluxObject } | undefined {
    const doc = this.documentAt(path, position);
    if (!doc) return undefined;
    this.ensureBuild();
    const line = position.line - doc.startLine;
    for (const ref of this.referencesOfDocument(path, doc)) {
      const r = ref.range;
      const inside =
        (line > r.start.line || (line === r.start.line && position.character >= r.start.character)) && (line < r.end.line || (line === r.end.line && position.character <= r.end.character));
      if (!inside) continue;
      const found = this.findObject(ref.kind, ref.namespace, ref.name) ?? (ref.kind === 'Secret' ? this.findObject('SealedSecret', ref.namespace, ref.name) : undefined);
      if (found) return found;
    }
    return undefined;
  }

  /** A document's references (document ranges): as its Flux Kustomizations apply it, else as written. */
  private referencesOfDocument(path: string, doc: IndexedDocument): ObjectReference[] {
    if (!doc.object || !this.variants.build.hasPlacements(path)) return doc.result.references;
    return effectiveReferences(doc, this.variants.variantsOf(path, doc));
  }

  /** The indexed documents of a file (for editor features: hover, completion, symbols). */
  documents(path: string): readonly IndexedDocument[] {
    return this.entries.get(path)?.docs ?? [];
  }

  /** The document containing a file position. */
  documentAt(path: string, position: Position): IndexedDocument | undefined {
    const docs = this.entries.get(path)?.docs;
    if (!docs || docs.length === 0) return undefined;
    let lo = 0;
    let hi = docs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (docs[mid].startLine <= position.line) lo = mid;
      else hi = mid - 1;
    }
    return docs[lo];
  }

  /** The text last given for a file. */
  textOf(path: string): string | undefined {
    return this.entries.get(path)?.text;
  }

  /**
   * A document's own and cross-file diagnostics in file positions, cached while the document neither
   * changes nor moves and no object its references look up came or went.
   */
  private placedDiagnostics(path: string, doc: IndexedDocument, isPatchFile: boolean): FluxDiagnostic[] {
    // The common case, a clean document whose references all resolve: nothing to place or cache.
    if (!doc.result.diagnostics.length && !this.crossFileDiagnosticsOf(path, doc).length) return NO_DIAGNOSTICS;
    const cached = this.placedCache.get(doc);
    const fresh = cached !== undefined && cached.result === doc.result && cached.startLine === doc.startLine && cached.isPatch === isPatchFile;
    if (fresh && cached.clock === this.objects.clock) return cached.diagnostics;
    const references = this.crossFileDiagnosticsOf(path, doc);
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
  private crossFileDiagnosticsOf(path: string, doc: IndexedDocument): FluxDiagnostic[] {
    const build = this.variants.build;
    if (!doc.object || !build.hasPlacements(path)) return doc.result.references.length ? this.referenceDiagnosticsOf(doc.result) : NO_DIAGNOSTICS;
    return this.variantDiagnostics.of(doc, build, () => this.variants.variantsOf(path, doc));
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

  private register(path: string, docs: readonly IndexedDocument[], patchPaths: readonly string[]): void {
    // While the build is out of date, keys wait for ensureBuild, which registers every document afresh.
    if (!this.buildDirty) this.registerKeys(path, docs);
    for (const p of patchPaths) this.patchFiles.set(p, (this.patchFiles.get(p) ?? 0) + 1);
  }

  /**
   * The keys a document is found under: its variants' effective kind/namespace/name, else its own; each also
   * scoped by cluster (the top Kustomization applying it, '' outside every Kustomization) for variant lookups.
   */
  private keysOf(path: string, doc: IndexedDocument): string[] {
    const o = doc.object!;
    const variants = this.variants.build.hasPlacements(path) ? this.variants.variantsOf(path, doc) : [];
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

  private registerKeys(path: string, docs: readonly IndexedDocument[]): void {
    for (const doc of docs) {
      if (!doc.object) continue;
      this.objects.add(path, doc, this.keysOf(path, doc));
    }
  }

  private unregister(docs: readonly IndexedDocument[], patchPaths: readonly string[]): void {
    for (const doc of this.buildDirty ? [] : docs) {
      if (!doc.object) continue;
      this.objects.remove(doc);
    }
    for (const p of patchPaths) {
      const n = (this.patchFiles.get(p) ?? 1) - 1;
      if (n > 0) this.patchFiles.set(p, n);
      else this.patchFiles.delete(p);
    }
  }

  private affected(path: string, exportsChanged: boolean, previousPatchPaths: readonly string[], structural = false): string[] {
    if (!exportsChanged) return [path];
    const out = [path];
    const build = this.variants.build;
    for (const [p, e] of this.entries) {
      const buildDependent = structural && (build.isPatchFile(p) || e.text.includes('${'));
      if (p !== path && (e.hasReferences || this.patchFiles.has(p) || previousPatchPaths.includes(p) || buildDependent)) out.push(p);
    }
    return out;
  }

  private models<T>(modelOf: (doc: IndexedDocument) => T | undefined): Array<{ path: string; model: T }> {
    const out: Array<{ path: string; model: T }> = [];
    for (const [path, entry] of this.entries) {
      for (const doc of entry.docs) {
        const model = doc.object ? modelOf(doc) : undefined;
        if (model) out.push({ path, model });
      }
    }
    return out;
  }

  /**
   * A document's model of the given kind in file positions, cached per document: built once from its tree
   * (parsed again on demand), moved by the line delta when the document moves, rebuilt when its text changes.
   */
  private modelOf<T extends { object: FluxObject }>(
    doc: IndexedDocument,
    kind: string,
    groupPrefix: string,
    build: (root: import('yaml').YAMLMap, lineMap: LineMap) => Omit<T, 'object'> & { object: unknown },
  ): T | undefined {
    const obj = doc.object;
    if (!obj || obj.kind !== kind || !obj.apiVersion.startsWith(groupPrefix)) return undefined;
    let placed = this.placedModels.get(doc);
    if (!placed || placed.result !== doc.result) {
      const parsed = doc.result.parsed;
      const root = asMap(parsed?.doc.contents);
      if (!parsed || !root) return undefined;
      // Built straight in file positions: no second walk to move its ranges.
      const { object: _ignored, ...rest } = build(root, placedLineMap(parsed.lineMap, doc.startLine));
      void _ignored;
      placed = { result: doc.result, startLine: doc.startLine, model: rest };
      this.placedModels.set(doc, placed);
    } else if (placed.startLine !== doc.startLine) {
      placed.model = shiftDeep(placed.model, doc.startLine - placed.startLine);
      placed.startLine = doc.startLine;
    }
    return { ...(placed.model as object), object: obj } as unknown as T;
  }
}
