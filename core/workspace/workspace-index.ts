// The cross-file index of every YAML file's Flux objects, Secrets and references, updated file by file;
// documents are cached by their text so an edit re-parses only what changed. No I/O, no LSP types.
import type { FluxDiagnostic } from '../diagnostic';
import type { LineMap, Position } from '../text-range';
import type { DocumentResult } from '../manifests/document-analyzer';
import { DOCKER_CONFIG_SECRET_TYPE, readDockerConfig, type DockerConfigJson } from '../manifests/docker-config';
import { buildHelmReleaseModel, buildOciRepositoryModel } from '../manifests/object-models';
import type { FluxObject, HelmReleaseModel, OCIRepositoryModel, ObjectReference } from '../manifests/object-types';
import { asMap, getNode, scalarString } from '../manifests/yaml-ast';
import { referenceDiagnostics } from './cross-file-rules';
import { buildFileEntry, exportedKeys, objectKey, sameList, type FileAnalysis, type FileEntry, type IndexedDocument } from './file-entry';
import { placedLineMap, shiftDeep, shiftRange } from './range-shift';

export type { FluxObject, HelmReleaseModel, Located, OCIRepositoryModel, ObjectRefModel, ObjectReference } from '../manifests/object-types';
export type { DockerConfigJson } from '../manifests/docker-config';
export type { FileAnalysis, IndexedDocument } from './file-entry';

/** Where an object lives: the document record (kept up to date in place when the document moves). */
interface ObjectSlot {
  path: string;
  doc: IndexedDocument;
}

/** Diagnostics that patch files (named by a Kustomization) do not get: they are partial objects. */
const PATCH_SUPPRESSED = new Set(['field-required', 'helmrelease-chart-missing']);

const NO_DIAGNOSTICS: FluxDiagnostic[] = [];

/** A document's diagnostics in file positions and what they were computed from. */
interface PlacedDiagnostics {
  result: DocumentResult;
  startLine: number;
  isPatch: boolean;
  /** existenceClock when last known valid. */
  clock: number;
  /** The cross-file diagnostics (document positions) they include. */
  references: FluxDiagnostic[];
  diagnostics: FluxDiagnostic[];
}

export class WorkspaceIndex {
  private readonly entries = new Map<string, FileEntry>();
  private readonly objectsByKey = new Map<string, ObjectSlot[]>();
  private readonly patchFiles = new Map<string, number>();
  private version = 0;
  /** Ticks whenever some object key appears in or disappears from the workspace. */
  private existenceClock = 0;
  /** The existenceClock value at which each key last appeared or disappeared. */
  private readonly keyChangedAt = new Map<string, number>();
  private readonly referenceCache = new WeakMap<DocumentResult, { checkedAt: number; keys: string[]; diagnostics: FluxDiagnostic[] }>();
  private readonly placedCache = new WeakMap<IndexedDocument, PlacedDiagnostics>();
  private readonly placedModels = new WeakMap<IndexedDocument, { result: DocumentResult; startLine: number; model: unknown }>();

  /** Adds or replaces a file; returns every path whose diagnostics may have changed (this one included). */
  setFile(path: string, text: string): string[] {
    const old = this.entries.get(path);
    if (old && old.text === text) return [path];
    const { entry, removed, added } = buildFileEntry(path, text, old);
    // Register first: a key held by both a removed and an added document never looks gone to references.
    this.entries.set(path, entry);
    this.register(path, added, entry.patchPaths);
    this.unregister(removed, old?.patchPaths ?? []);
    this.version++;
    const exportsChanged = !sameList(exportedKeys(removed), exportedKeys(added)) || !sameList(old?.patchPaths ?? [], entry.patchPaths);
    return this.affected(path, exportsChanged, old?.patchPaths ?? []);
  }

  /** Removes a file; returns the paths whose diagnostics may have changed. */
  removeFile(path: string): string[] {
    const old = this.entries.get(path);
    if (!old) return [path];
    this.unregister(old.docs, old.patchPaths);
    this.entries.delete(path);
    this.version++;
    const exportsChanged = exportedKeys(old.docs).length > 0 || old.patchPaths.length > 0;
    return this.affected(path, exportsChanged, old.patchPaths).filter((p) => p !== path).concat(path);
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
    const isPatchFile = this.patchFiles.has(path);
    const diagnostics: FluxDiagnostic[] = [];
    const objects: FluxObject[] = [];
    for (const doc of entry.docs) {
      if (doc.result.diagnostics.length || doc.result.references.length) {
        const placed = this.placedDiagnostics(doc, isPatchFile);
        for (let i = 0; i < placed.length; i++) diagnostics.push(placed[i]);
      }
      if (doc.object) objects.push(doc.object);
    }
    const value: FileAnalysis = { path, diagnostics, objects };
    entry.analysis = { version: this.version, value };
    return value;
  }

  findObject(kind: string, namespace: string, name: string): { path: string; object: FluxObject } | undefined {
    const slot = this.objectsByKey.get(objectKey(kind, namespace, name))?.[0];
    return slot?.doc.object && { path: slot.path, object: slot.doc.object };
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

  /** Registry credentials from a kubernetes.io/dockerconfigjson Secret in the workspace (decoded), if readable. */
  dockerConfigForSecret(namespace: string, name: string): DockerConfigJson | undefined {
    for (const hit of this.objectsByKey.get(objectKey('Secret', namespace, name)) ?? []) {
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
    for (const [path, entry] of this.entries) {
      for (const doc of entry.docs) {
        for (const ref of doc.result.references) {
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
    const line = position.line - doc.startLine;
    for (const ref of doc.result.references) {
      const r = ref.range;
      const inside = (line > r.start.line || (line === r.start.line && position.character >= r.start.character)) && (line < r.end.line || (line === r.end.line && position.character <= r.end.character));
      if (!inside) continue;
      return this.findObject(ref.kind, ref.namespace, ref.name) ?? (ref.kind === 'Secret' ? this.findObject('SealedSecret', ref.namespace, ref.name) : undefined);
    }
    return undefined;
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
  private placedDiagnostics(doc: IndexedDocument, isPatchFile: boolean): FluxDiagnostic[] {
    // The common case, a clean document whose references all resolve: nothing to place or cache.
    if (!doc.result.diagnostics.length && !this.referenceDiagnosticsOf(doc.result).length) return NO_DIAGNOSTICS;
    const cached = this.placedCache.get(doc);
    const fresh = cached !== undefined && cached.result === doc.result && cached.startLine === doc.startLine && cached.isPatch === isPatchFile;
    if (fresh && cached.clock === this.existenceClock) return cached.diagnostics;
    const references = doc.result.references.length ? this.referenceDiagnosticsOf(doc.result) : NO_DIAGNOSTICS;
    if (fresh && cached.references === references) {
      cached.clock = this.existenceClock;
      return cached.diagnostics;
    }
    const own = isPatchFile ? doc.result.diagnostics.filter((d) => !PATCH_SUPPRESSED.has(d.code)) : doc.result.diagnostics;
    const line = doc.startLine;
    const diagnostics = line ? own.map((d) => shiftDeep(d, line)) : [...own];
    for (const d of references) diagnostics.push(line ? { ...d, range: shiftRange(d.range, line) } : d);
    this.placedCache.set(doc, { result: doc.result, startLine: line, isPatch: isPatchFile, clock: this.existenceClock, references, diagnostics });
    return diagnostics;
  }

  /** Cross-file diagnostics of a document (document positions), redone only when a key it looked up came or went. */
  private referenceDiagnosticsOf(result: DocumentResult): FluxDiagnostic[] {
    const cached = this.referenceCache.get(result);
    if (cached && (cached.checkedAt === this.existenceClock || cached.keys.every((k) => (this.keyChangedAt.get(k) ?? 0) <= cached.checkedAt))) {
      cached.checkedAt = this.existenceClock;
      return cached.diagnostics;
    }
    const keys: string[] = [];
    const exists = (kind: string, namespace: string, name: string): boolean => {
      const key = objectKey(kind, namespace, name);
      keys.push(key);
      return this.objectsByKey.has(key);
    };
    const diagnostics = referenceDiagnostics(result.references, exists);
    this.referenceCache.set(result, { checkedAt: this.existenceClock, keys, diagnostics });
    return diagnostics;
  }

  private register(path: string, docs: readonly IndexedDocument[], patchPaths: readonly string[]): void {
    for (const doc of docs) {
      if (!doc.object) continue;
      const key = objectKey(doc.object.kind, doc.object.namespace, doc.object.name);
      const list = this.objectsByKey.get(key);
      if (list) list.push({ path, doc });
      else {
        this.objectsByKey.set(key, [{ path, doc }]);
        this.keyChangedAt.set(key, ++this.existenceClock);
      }
    }
    for (const p of patchPaths) this.patchFiles.set(p, (this.patchFiles.get(p) ?? 0) + 1);
  }

  private unregister(docs: readonly IndexedDocument[], patchPaths: readonly string[]): void {
    for (const doc of docs) {
      if (!doc.object) continue;
      const key = objectKey(doc.object.kind, doc.object.namespace, doc.object.name);
      const list = this.objectsByKey.get(key)?.filter((e) => e.doc !== doc);
      if (list && list.length) this.objectsByKey.set(key, list);
      else if (this.objectsByKey.delete(key)) this.keyChangedAt.set(key, ++this.existenceClock);
    }
    for (const p of patchPaths) {
      const n = (this.patchFiles.get(p) ?? 1) - 1;
      if (n > 0) this.patchFiles.set(p, n);
      else this.patchFiles.delete(p);
    }
  }

  private affected(path: string, exportsChanged: boolean, previousPatchPaths: readonly string[]): string[] {
    if (!exportsChanged) return [path];
    const out = [path];
    for (const [p, e] of this.entries) {
      if (p !== path && (e.hasReferences || this.patchFiles.has(p) || previousPatchPaths.includes(p))) out.push(p);
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
  private modelOf<T extends { object: FluxObject }>(doc: IndexedDocument, kind: string, groupPrefix: string, build: (root: import('yaml').YAMLMap, lineMap: LineMap) => Omit<T, 'object'> & { object: unknown }): T | undefined {
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
