// The OCIRepository or HelmRelease model of the one document under a position, built for that document only and
// cached per analysed document (the index's own modelAt builds every model of the workspace). No network, no LSP.
import type { DocumentResult } from '../manifests/document-analyzer';
import { buildHelmReleaseModel, buildOciRepositoryModel } from '../manifests/object-models';
import type { HelmReleaseModel, OCIRepositoryModel } from '../manifests/object-types';
import { asMap } from '../manifests/yaml-ast';
import type { Position, Range } from '../text-range';
import { shiftDeep } from '../workspace/range-shift';
import type { WorkspaceIndex } from '../workspace/workspace-index';

export interface ModelAtPosition {
  oci?: OCIRepositoryModel;
  helm?: HelmReleaseModel;
}

/** Whether a position lies within a range (ends included). */
export function inside(range: Range | undefined, p: Position): boolean {
  if (!range) return false;
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}

/** Whether two ranges share a line. */
export function overlapsLines(a: Range, b: Range): boolean {
  return !(a.end.line < b.start.line || a.start.line > b.end.line);
}

export class DocumentModels {
  private readonly cache = new WeakMap<DocumentResult, { startLine: number; documentIndex: number; value: ModelAtPosition }>();

  constructor(private readonly index: WorkspaceIndex) {}

  /** The Flux source or release model of the document at `position`; undefined outside any Kubernetes object. */
  at(path: string, position: Position): ModelAtPosition | undefined {
    const doc = this.index.documentAt(path, position);
    const object = doc?.object;
    const parsed = doc?.result.parsed;
    const root = asMap(parsed?.doc.contents);
    if (!doc || !object || !parsed || !root || !doc.result.object) return undefined;
    const cached = this.cache.get(doc.result);
    if (cached && cached.startLine === doc.startLine && cached.documentIndex === doc.documentIndex) return cached.value;
    let value: ModelAtPosition = {};
    if (object.kind === 'OCIRepository' && object.apiVersion.startsWith('source.toolkit.fluxcd.io/')) {
      const { object: _o, ...rest } = buildOciRepositoryModel(doc.result.object, root, parsed.lineMap);
      void _o;
      value = { oci: { ...shiftDeep(rest, doc.startLine), object } };
    } else if (object.kind === 'HelmRelease' && object.apiVersion.startsWith('helm.toolkit.fluxcd.io/')) {
      const { object: _o, ...rest } = buildHelmReleaseModel(doc.result.object, root, parsed.lineMap);
      void _o;
      value = { helm: { ...shiftDeep(rest, doc.startLine), object } };
    }
    this.cache.set(doc.result, { startLine: doc.startLine, documentIndex: doc.documentIndex, value });
    return value;
  }
}
