// The cross-file index of every YAML file's Flux objects, Secrets and references, updated file by file;
// documents are cached by their text so an edit re-parses only what changed. No I/O, no LSP types.
import type { FluxDiagnostic } from '../diagnostic';
import type { Position } from '../text-range';
import { DOCKER_CONFIG_SECRET_TYPE, readDockerConfig, type DockerConfigJson } from '../manifests/docker-config';
import { readSecretData } from '../manifests/secret-data';
import type { FluxObject, HelmReleaseModel, OCIRepositoryModel, ObjectReference } from '../manifests/object-types';
import { asMap, getNode, scalarString } from '../manifests/yaml-ast';
import { uncoveredMarkerNotes } from './image-automation-scope';
import { buildFileEntry, exportedKeys, objectKey, sameList, type AnalyzedObject, type FileAnalysis, type FileEntry, type IndexedDocument } from './file-entry';
import { shiftRange } from './range-shift';
import { ObjectRegistry } from './object-registry';
import { lookupKeysOf } from './object-lookup-keys';
import { affectedPaths, type AffectedPathsInput } from './affected-paths';
import { PlacedModelCache } from './placed-models';
import { VariantCache, type ObjectVariant } from './object-variants';
import { editChangesBuild, RepositoryBuild } from './repository-build';
import { PlacedDiagnosticsCache } from './placed-diagnostics';
import { effectiveReferences } from './variant-references';

export type { FluxObject, HelmReleaseModel, Located, OCIRepositoryModel, ObjectRefModel, ObjectReference } from '../manifests/object-types';
export type { DockerConfigJson } from '../manifests/docker-config';
export type { AnalyzedObject, FileAnalysis, IndexedDocument } from './file-entry';
export type { ObjectVariant } from './object-variants';

export class WorkspaceIndex {
  private readonly entries = new Map<string, FileEntry>();
  private readonly objects = new ObjectRegistry();
  private readonly patchFiles = new Map<string, number>();
  private version = 0;
  private readonly models = new PlacedModelCache();
  /** Repository roots (folders holding .git, else workspace folders / CLI arguments) that Flux paths start from. */
  private roots: string[] = [];
  /** How the repository is built; rebuilt lazily after a change to its structure (buildDirty). */
  private variants = new VariantCache(new RepositoryBuild({ paths: [], documentsOf: () => undefined, roots: [] }));
  private buildDirty = true;
  /** The file of each object a model was asked about (pathOfObject). */
  private readonly objectPaths = new WeakMap<FluxObject, string>();
  private readonly placedDiagnostics = new PlacedDiagnosticsCache(this.objects);

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
    return affectedPaths(this.affectedInput(), path, exportsChanged, old?.patchPaths ?? [], structural);
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
    return affectedPaths(this.affectedInput(), path, exportsChanged, old.patchPaths, structural)
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
        const placed = this.placedDiagnostics.of(path, doc, isPatchFile, this.variants);
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
    return this.modelsOfAll((doc) => this.models.ociModelOf(doc));
  }

  helmReleases(): Array<{ path: string; model: HelmReleaseModel }> {
    return this.modelsOfAll((doc) => this.models.helmModelOf(doc));
  }

  /** The OCIRepository / HelmRelease model of the document at a position, if any (built for that document only). */
  modelAt(path: string, position: Position): { oci?: OCIRepositoryModel; helm?: HelmReleaseModel } | undefined {
    const doc = this.documentAt(path, position);
    if (!doc?.object) return undefined;
    const oci = this.models.ociModelOf(doc);
    if (oci) return { oci };
    const helm = this.models.helmModelOf(doc);
    return helm ? { helm } : undefined;
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

  private register(path: string, docs: readonly IndexedDocument[], patchPaths: readonly string[]): void {
    // While the build is out of date, keys wait for ensureBuild, which registers every document afresh.
    if (!this.buildDirty) this.registerKeys(path, docs);
    for (const p of patchPaths) this.patchFiles.set(p, (this.patchFiles.get(p) ?? 0) + 1);
  }

  private registerKeys(path: string, docs: readonly IndexedDocument[]): void {
    for (const doc of docs) {
      if (!doc.object) continue;
      this.objects.add(path, doc, lookupKeysOf(doc, this.variants.build.hasPlacements(path) ? this.variants.variantsOf(path, doc) : []));
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

  private affectedInput(): AffectedPathsInput {
    return { entries: this.entries, build: this.variants.build, isNamedPatch: (p) => this.patchFiles.has(p) };
  }

  private modelsOfAll<T>(modelOf: (doc: IndexedDocument) => T | undefined): Array<{ path: string; model: T }> {
    const out: Array<{ path: string; model: T }> = [];
    for (const [path, entry] of this.entries) {
      for (const doc of entry.docs) {
        const model = doc.object ? modelOf(doc) : undefined;
        if (model) out.push({ path, model });
      }
    }
    return out;
  }
}
