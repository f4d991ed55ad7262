// The OCIRepository / HelmRelease models of indexed documents in file positions, cached per document.
// Builds from each document's own tree; must not look at other files or the repository build.
import type { YAMLMap } from 'yaml';
import type { LineMap } from '../text-range';
import type { DocumentResult } from '../manifests/document-analyzer';
import { buildHelmReleaseModel, buildOciRepositoryModel } from '../manifests/object-models';
import type { FluxObject, HelmReleaseModel, OCIRepositoryModel } from '../manifests/object-types';
import { asMap } from '../manifests/yaml-ast';
import type { IndexedDocument } from './file-entry';
import { placedLineMap, shiftDeep } from './range-shift';

export class PlacedModelCache {
  private readonly placedModels = new WeakMap<IndexedDocument, { result: DocumentResult; startLine: number; model: unknown }>();

  ociModelOf(doc: IndexedDocument): OCIRepositoryModel | undefined {
    return this.modelOf<OCIRepositoryModel>(doc, 'OCIRepository', 'source.toolkit.fluxcd.io/', (root, lineMap) => buildOciRepositoryModel(doc.result.object!, root, lineMap));
  }

  helmModelOf(doc: IndexedDocument): HelmReleaseModel | undefined {
    return this.modelOf<HelmReleaseModel>(doc, 'HelmRelease', 'helm.toolkit.fluxcd.io/', (root, lineMap) => buildHelmReleaseModel(doc.result.object!, root, lineMap));
  }

  /**
   * A document's model of the given kind in file positions, cached per document: built once from its tree
   * (parsed again on demand), moved by the line delta when the document moves, rebuilt when its text changes.
   */
  private modelOf<T extends { object: FluxObject }>(
    doc: IndexedDocument,
    kind: string,
    groupPrefix: string,
    build: (root: YAMLMap, lineMap: LineMap) => Omit<T, 'object'> & { object: unknown },
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
