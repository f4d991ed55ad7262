// Adapter over the core document-symbol function (core/manifests), so wiring the core is a one-line change here.
// Must not contain outline logic itself: the core owns which objects and fields appear.
import type { WorkspaceIndex } from '../../../core/workspace/workspace-index';
import type { Range } from '../../../core/text-range';
import { documentSymbols } from '../../../core/manifests/document-symbols';

export interface CoreSymbol {
  name: string;
  detail?: string;
  /** An LSP SymbolKind number, or a name such as "object", "field", "class", "property". */
  kind: number | string;
  range: Range;
  selectionRange: Range;
  children?: CoreSymbol[];
}

/** Document symbols of `path`. */
export function symbolsFromCore(index: WorkspaceIndex, path: string): CoreSymbol[] {
  return documentSymbols(index, path);
}
