// The cross-file index of every YAML file's Flux objects, Secrets and references, updated file by file;
// documents are cached by their text so an edit re-parses only what changed. No I/O, no LSP types.
import type { FluxDiagnostic } from '../diagnostic';
import type { Position } from '../text-range';
import { analyzeDocument, type DocumentResult } from '../manifests/document-analyzer';
import { DOCKER_CONFIG_SECRET_TYPE, readDockerConfig, type DockerConfigJson } from '../manifests/docker-config';
import { buildHelmReleaseModel, buildOciRepositoryModel } from '../manifests/object-models';
import type { FluxObject, HelmReleaseModel, OCIRepositoryModel, ObjectReference } from '../manifests/object-types';
import { splitYamlDocuments } from '../manifests/yaml-documents';
import { asMap, getNode, scalarString } from '../manifests/yaml-ast';
import { isProbablyBinaryText } from './binary-detection';
import { referenceDiagnostics } from './cross-file-rules';
import { patchPathsOf } from './kustomize-patches';
import { shiftDeep, shiftRange } from './range-shift';

export type { FluxObject, HelmReleaseModel, Located, OCIRepositoryModel, ObjectRefModel, ObjectReference } from '../manifests/object-types';
export type { DockerConfigJson } from '../manifests/docker-config';

export interface FileAnalysis {
  path: string;
  diagnostics: FluxDiagnostic[];
  objects: FluxObject[];
}

/** One document of a file: its cached analysis and where it sits in the file. */
export interface IndexedDocument {
  result: DocumentResult;
  startLine: number;
  /** 0-based index among the file's non-empty documents; -1 for comment-only chunks. */
  documentIndex: number;
  /** The document's object with file ranges and its index, when it has apiVersion and kind. */
  object?: FluxObject;
}

interface FileEntry {
  text: string;
  docs: IndexedDocument[];
  binary: boolean;
  /** Signature of the objects this file offers to others; a change means other files may change. */
  exportsKey: string;
  hasReferences: boolean;
  patchPaths: string[];
  analysis?: { version: number; value: FileAnalysis };
}

/** Diagnostics that patch files (named by a Kustomization) do not get: they are partial objects. */
const PATCH_SUPPRESSED = new Set(['field-required', 'helmrelease-chart-missing']);
const RELEVANT_KINDS_FOR_OTHERS = new Set(['Secret', 'SealedSecret', 'OCIRepository', 'HelmChart', 'HelmRepository', 'GitRepository', 'Bucket', 'Kustomization']);

function objectKey(kind: string, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}

export class WorkspaceIndex {
  private readonly entries = new Map<string, FileEntry>();
  private readonly objectsByKey = new Map<string, Array<{ path: string; object: FluxObject }>>();
  private readonly patchFiles = new Map<string, number>();
  private version = 0;
  /** Bumped only when the set of objects other files can reference changes (names, kinds, patch lists). */
  private exportsVersion = 0;
  private readonly referenceCache = new WeakMap<DocumentResult, { exportsVersion: number; diagnostics: FluxDiagnostic[] }>();
  private readonly modelCache = new WeakMap<DocumentResult, unknown>();

  /** Adds or replaces a file; returns every path whose diagnostics may have changed (this one included). */
  setFile(path: string, text: string): string[] {
    const old = this.entries.get(path);
    if (old && old.text === text) return [path];
    const entry = this.buildEntry(path, text, old);
    const previous = new Set(old?.docs ?? []);
    const kept = new Set(entry.docs.filter((d) => previous.has(d)));
    if (old) this.unregister(path, old, kept);
    this.entries.set(path, entry);
    this.register(path, entry, kept);
    this.version++;
    return this.affected(path, old, entry);
  }

  /** Removes a file; returns the paths whose diagnostics may have changed. */
  removeFile(path: string): string[] {
    const old = this.entries.get(path);
    if (!old) return [path];
    this.unregister(path, old, new Set());
    this.entries.delete(path);
    this.version++;
    return this.affected(path, old, undefined).filter((p) => p !== path).concat(path);
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
    const exists = (kind: string, namespace: string, name: string): boolean => this.objectsByKey.has(objectKey(kind, namespace, name));
    const diagnostics: FluxDiagnostic[] = [];
    const objects: FluxObject[] = [];
    for (const doc of entry.docs) {
      const own = isPatchFile ? doc.result.diagnostics.filter((d) => !PATCH_SUPPRESSED.has(d.code)) : doc.result.diagnostics;
      for (const d of own) diagnostics.push(doc.startLine ? shiftDeep(d, doc.startLine) : d);
      if (doc.result.references.length) {
        let cached = this.referenceCache.get(doc.result);
        if (!cached || cached.exportsVersion !== this.exportsVersion) {
          cached = { exportsVersion: this.exportsVersion, diagnostics: referenceDiagnostics(doc.result.references, exists) };
          this.referenceCache.set(doc.result, cached);
        }
        for (const d of cached.diagnostics) diagnostics.push(doc.startLine ? { ...d, range: shiftRange(d.range, doc.startLine) } : d);
      }
      if (doc.object) objects.push(doc.object);
    }
    const value: FileAnalysis = { path, diagnostics, objects };
    entry.analysis = { version: this.version, value };
    return value;
  }

  findObject(kind: string, namespace: string, name: string): { path: string; object: FluxObject } | undefined {
    return this.objectsByKey.get(objectKey(kind, namespace, name))?.[0];
  }

  ociRepositories(): Array<{ path: string; model: OCIRepositoryModel }> {
    return this.models('OCIRepository', 'source.toolkit.fluxcd.io/', (doc, root) => buildOciRepositoryModel(doc.result.object!, root, doc.result.parsed!.lineMap));
  }

  helmReleases(): Array<{ path: string; model: HelmReleaseModel }> {
    return this.models('HelmRelease', 'helm.toolkit.fluxcd.io/', (doc, root) => buildHelmReleaseModel(doc.result.object!, root, doc.result.parsed!.lineMap));
  }

  /** The OCIRepository / HelmRelease model of the document at a position, if any. */
  modelAt(path: string, position: Position): { oci?: OCIRepositoryModel; helm?: HelmReleaseModel } | undefined {
    const doc = this.documentAt(path, position);
    if (!doc?.object) return undefined;
    const oci = this.ociRepositories().find((m) => m.path === path && m.model.object.documentIndex === doc.documentIndex);
    if (oci) return { oci: oci.model };
    const helm = this.helmReleases().find((m) => m.path === path && m.model.object.documentIndex === doc.documentIndex);
    return helm ? { helm: helm.model } : undefined;
  }

  /** Registry credentials from a kubernetes.io/dockerconfigjson Secret in the workspace (decoded), if readable. */
  dockerConfigForSecret(namespace: string, name: string): DockerConfigJson | undefined {
    for (const hit of this.objectsByKey.get(objectKey('Secret', namespace, name)) ?? []) {
      const doc = this.entries.get(hit.path)?.docs.find((d) => d.documentIndex === hit.object.documentIndex);
      const root = asMap(doc?.result.parsed?.doc.contents);
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

  private buildEntry(path: string, text: string, old: FileEntry | undefined): FileEntry {
    const entry: FileEntry = { text, docs: [], binary: false, exportsKey: '', hasReferences: false, patchPaths: [] };
    if (isProbablyBinaryText(text)) {
      entry.binary = true;
      return entry;
    }
    const chunks = splitYamlDocuments(text);
    const previous = old?.docs ?? [];
    // Reuse analyses by position (documents before and after an edit keep their text), then by text.
    let byText: Map<string, DocumentResult> | undefined;
    const tailOffset = previous.length - chunks.length;
    let documentIndex = 0;
    const exported: string[] = [];
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i];
      const same = previous[i]?.result.text === chunk.text ? previous[i] : previous[i + tailOffset]?.result.text === chunk.text ? previous[i + tailOffset] : undefined;
      let result = same?.result;
      if (!result && tailOffset !== 0) {
        // Documents were added or removed: one may have moved by more than the count difference.
        byText ??= new Map(previous.map((d) => [d.result.text, d.result]));
        result = byText.get(chunk.text);
      }
      result ??= analyzeDocument(chunk.text);
      const index = result.hasContent ? documentIndex++ : -1;
      let doc: IndexedDocument;
      if (same && same.startLine === chunk.startLine && same.documentIndex === index) {
        doc = same;
      } else {
        doc = { result, startLine: chunk.startLine, documentIndex: index };
        if (result.object) {
          doc.object = { ...result.object, documentIndex: index, range: shiftRange(result.object.range, chunk.startLine), nameRange: result.object.nameRange && shiftRange(result.object.nameRange, chunk.startLine) };
        }
      }
      if (result.object) {
        if (RELEVANT_KINDS_FOR_OTHERS.has(result.object.kind)) exported.push(objectKey(result.object.kind, result.object.namespace, result.object.name));
        if (result.object.kind === 'Kustomization') entry.patchPaths.push(...patchPathsOf(result, path));
      }
      if (result.references.length) entry.hasReferences = true;
      entry.docs.push(doc);
    }
    entry.exportsKey = exported.join('\n') + '\n#' + entry.patchPaths.join('\n');
    return entry;
  }

  private register(path: string, entry: FileEntry, kept: ReadonlySet<IndexedDocument>): void {
    for (const doc of entry.docs) {
      if (!doc.object || kept.has(doc)) continue;
      const key = objectKey(doc.object.kind, doc.object.namespace, doc.object.name);
      const list = this.objectsByKey.get(key);
      if (list) list.push({ path, object: doc.object });
      else this.objectsByKey.set(key, [{ path, object: doc.object }]);
    }
    for (const p of entry.patchPaths) this.patchFiles.set(p, (this.patchFiles.get(p) ?? 0) + 1);
  }

  private unregister(path: string, entry: FileEntry, kept: ReadonlySet<IndexedDocument>): void {
    for (const doc of entry.docs) {
      if (!doc.object || kept.has(doc)) continue;
      const gone = doc.object;
      const key = objectKey(gone.kind, gone.namespace, gone.name);
      const list = this.objectsByKey.get(key)?.filter((e) => e.object !== gone);
      if (list && list.length) this.objectsByKey.set(key, list);
      else this.objectsByKey.delete(key);
    }
    for (const p of entry.patchPaths) {
      const n = (this.patchFiles.get(p) ?? 1) - 1;
      if (n > 0) this.patchFiles.set(p, n);
      else this.patchFiles.delete(p);
    }
  }

  private affected(path: string, before: FileEntry | undefined, after: FileEntry | undefined): string[] {
    if ((before?.exportsKey ?? '') === (after?.exportsKey ?? '')) return [path];
    this.exportsVersion++;
    const out = [path];
    for (const [p, e] of this.entries) {
      if (p !== path && (e.hasReferences || this.patchFiles.has(p) || before?.patchPaths.includes(p))) out.push(p);
    }
    return out;
  }

  private models<T extends { object: FluxObject }>(kind: string, groupPrefix: string, build: (doc: IndexedDocument, root: import('yaml').YAMLMap) => Omit<T, 'object'> & { object: unknown }): Array<{ path: string; model: T }> {
    const out: Array<{ path: string; model: T }> = [];
    for (const [path, entry] of this.entries) {
      for (const doc of entry.docs) {
        const obj = doc.object;
        if (!obj || obj.kind !== kind || !obj.apiVersion.startsWith(groupPrefix)) continue;
        const root = asMap(doc.result.parsed?.doc.contents);
        if (!root) continue;
        let relative = this.modelCache.get(doc.result) as (Omit<T, 'object'> & { object: unknown }) | undefined;
        if (!relative) {
          relative = build(doc, root);
          this.modelCache.set(doc.result, relative);
        }
        const { object: _ignored, ...rest } = relative;
        void _ignored;
        out.push({ path, model: { ...shiftDeep(rest, doc.startLine), object: obj } as unknown as T });
      }
    }
    return out;
  }
}
