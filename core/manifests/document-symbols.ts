// Document symbols (outline) for a file: one entry per Flux object and Secret,
// named by kind and name. Plain data; the server maps `kind` to an LSP SymbolKind.
import type { Range } from '../text-range';
import type { WorkspaceIndex } from '../workspace/workspace-index';
import { fluxKindInfo } from './flux-api';

export type DocumentSymbolKind = 'flux-source' | 'flux-release' | 'secret';

export interface DocumentSymbolInfo {
  name: string;
  detail: string;
  kind: DocumentSymbolKind;
  range: Range;
  selectionRange: Range;
}

export function documentSymbols(index: WorkspaceIndex, path: string): DocumentSymbolInfo[] {
  const out: DocumentSymbolInfo[] = [];
  for (const doc of index.documents(path)) {
    const obj = doc.object;
    if (!obj) continue;
    const info = fluxKindInfo(obj.kind);
    const kind: DocumentSymbolKind | undefined = obj.kind === 'HelmRelease' ? 'flux-release' : info ? 'flux-source' : obj.kind === 'Secret' || obj.kind === 'SealedSecret' ? 'secret' : undefined;
    if (!kind) continue;
    const ns = obj.namespaceExplicit ? `${obj.namespace}/` : '';
    out.push({
      name: `${obj.kind} ${ns}${obj.name || '(unnamed)'}`,
      detail: obj.apiVersion,
      kind,
      range: obj.range,
      selectionRange: obj.nameRange ?? obj.range,
    });
  }
  return out;
}
