// One file's entry in the workspace index: its documents (analysed, placed at their lines) and what it
// offers other files; rebuilt from the previous entry so unchanged documents are kept, not re-analysed.
import type { FluxDiagnostic } from '../diagnostic';
import { analyzeDocument, type DocumentResult } from '../manifests/document-analyzer';
import { withImageMarkers } from '../manifests/image-markers';
import { placeChunks, resplitYamlDocuments, type ChunkTable } from '../manifests/document-resplit';
import type { FluxObject } from '../manifests/object-types';
import { splitYamlDocuments } from '../manifests/yaml-documents';
import { isProbablyBinaryText, TEXT_SAMPLE_CHARS } from './binary-detection';
import { patchPathsOf } from './kustomize-patches';
import { shiftRange } from './range-shift';

/** An object of a file; `namespace` is the effective one and `variants` lists each Flux Kustomization applying it. */
export interface AnalyzedObject extends FluxObject {
  variants?: Array<{ kustomization: string; namespace: string; name: string }>;
}

export interface FileAnalysis {
  path: string;
  diagnostics: FluxDiagnostic[];
  objects: AnalyzedObject[];
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

export interface FileEntry {
  text: string;
  docs: IndexedDocument[];
  /** Character offset of each document in `text` (parallel to docs). */
  offsets: number[];
  binary: boolean;
  hasReferences: boolean;
  /** How many documents make references (kept up to date from the documents that change). */
  referencingDocs: number;
  patchPaths: string[];
  analysis?: { version: number; value: FileAnalysis };
}

/** What one rebuild changed: the documents that left and joined the file (moved ones are neither). */
export interface EntryChange {
  entry: FileEntry;
  removed: IndexedDocument[];
  added: IndexedDocument[];
}

const RELEVANT_KINDS_FOR_OTHERS = new Set([
  'Secret',
  'SealedSecret',
  'OCIRepository',
  'HelmChart',
  'HelmRepository',
  'GitRepository',
  'Bucket',
  'Kustomization',
  'ImageRepository',
  'ImagePolicy',
  'ImageUpdateAutomation',
]);

export function objectKey(kind: string, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}

/** Keys of the objects in `docs` that other files can reference, sorted (a multiset to compare). */
export function exportedKeys(docs: readonly IndexedDocument[]): string[] {
  const out: string[] = [];
  for (const d of docs) {
    for (const o of [d.result.object, ...(d.result.listItems ?? [])]) {
      if (o && RELEVANT_KINDS_FOR_OTHERS.has(o.kind)) out.push(objectKey(o.kind, o.namespace, o.name));
    }
  }
  return out.sort();
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The document's object placed in the file: file ranges and its document index. */
function placeObject(result: DocumentResult, startLine: number, documentIndex: number): FluxObject | undefined {
  const o = result.object;
  if (!o) return undefined;
  return {
    kind: o.kind,
    apiVersion: o.apiVersion,
    name: o.name,
    namespace: o.namespace,
    namespaceExplicit: o.namespaceExplicit,
    documentIndex,
    range: shiftRange(o.range, startLine),
    nameRange: o.nameRange && shiftRange(o.nameRange, startLine),
  };
}

/** The entry's documents as the chunk table the re-split reads (no copying). */
function chunkTableOfEntry(entry: FileEntry): ChunkTable {
  const { docs, offsets } = entry;
  return { length: docs.length, textAt: (i) => docs[i].result.text, offsetAt: (i) => offsets[i], lineAt: (i) => docs[i].startLine };
}

/**
 * Builds the new entry of a file from the old one: documents unchanged at both ends of the edit are
 * kept (later ones get their line and index moved in place), only the changed middle is analysed.
 */
export function buildFileEntry(path: string, text: string, old: FileEntry | undefined): EntryChange {
  const reusable = old && !old.binary ? old : undefined;
  const split = reusable ? resplitYamlDocuments(reusable.text, chunkTableOfEntry(reusable), text) : undefined;
  // The binary check samples the start of the text: an edit past the sample cannot change its answer.
  const binary = split && split.changedFrom >= TEXT_SAMPLE_CHARS ? false : isProbablyBinaryText(text);
  const entry: FileEntry = { text, docs: [], offsets: [], binary, hasReferences: false, referencingDocs: 0, patchPaths: [] };
  if (binary) return { entry, removed: old?.docs ?? [], added: [] };
  const oldDocs = reusable?.docs ?? [];
  const prefix = split?.prefix ?? 0;
  const suffix = split?.suffix ?? 0;
  const middle = split?.middle ?? placeChunks(splitYamlDocuments(text));
  const removed = oldDocs.slice(prefix, oldDocs.length - suffix);
  if (old && !reusable) removed.push(...old.docs);
  let documentIndex = 0;
  for (let i = prefix - 1; i >= 0; i--) {
    if (oldDocs[i].documentIndex >= 0) {
      documentIndex = oldDocs[i].documentIndex + 1;
      break;
    }
  }
  for (let i = 0; i < prefix; i++) {
    entry.docs.push(oldDocs[i]);
    entry.offsets.push(reusable!.offsets[i]);
  }
  // Analyses are reused by text too: a document that moved, or an edit that was undone.
  let byText: Map<string, DocumentResult> | undefined;
  const added: IndexedDocument[] = [];
  for (const chunk of middle) {
    byText ??= new Map(removed.map((d) => [d.result.text, d.result]));
    const result = byText.get(chunk.text) ?? withImageMarkers(analyzeDocument(chunk.text));
    const index = result.hasContent ? documentIndex++ : -1;
    const doc: IndexedDocument = { result, startLine: chunk.startLine, documentIndex: index };
    const object = placeObject(result, chunk.startLine, index);
    if (object) doc.object = object;
    added.push(doc);
    entry.docs.push(doc);
    entry.offsets.push(chunk.offset);
  }
  const lineDelta = split?.lineDelta ?? 0;
  const charDelta = split?.charDelta ?? 0;
  const indexDelta = added.filter((d) => d.documentIndex >= 0).length - removed.filter((d) => d.documentIndex >= 0).length;
  for (let i = oldDocs.length - suffix; i < oldDocs.length; i++) {
    const doc = oldDocs[i];
    if (lineDelta !== 0 || (indexDelta !== 0 && doc.documentIndex >= 0)) {
      doc.startLine += lineDelta;
      if (doc.documentIndex >= 0) doc.documentIndex += indexDelta;
      const object = placeObject(doc.result, doc.startLine, doc.documentIndex);
      if (object) doc.object = object;
    }
    entry.docs.push(doc);
    entry.offsets.push(reusable!.offsets[i] + charDelta);
  }
  // What the file offers others changes only through the documents that left or joined it.
  const touchesKustomization = (d: IndexedDocument): boolean => d.result.object?.kind === 'Kustomization';
  const countReferencing = (docs: readonly IndexedDocument[]): number => docs.reduce((n, d) => n + (d.result.references.length ? 1 : 0), 0);
  entry.referencingDocs = (reusable?.referencingDocs ?? 0) - countReferencing(reusable ? removed : []) + countReferencing(added);
  entry.hasReferences = entry.referencingDocs > 0;
  if (reusable && !removed.some(touchesKustomization) && !added.some(touchesKustomization)) {
    entry.patchPaths = reusable.patchPaths;
  } else {
    for (const doc of entry.docs) if (touchesKustomization(doc)) entry.patchPaths.push(...patchPathsOf(doc.result, path));
  }
  return { entry, removed, added };
}
