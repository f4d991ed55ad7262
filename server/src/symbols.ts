// textDocument/documentSymbol: the outline of Flux objects, from the core (core/manifests/document-symbols).
// Must not parse YAML itself.
import { SymbolKind, type Connection, type DocumentSymbol } from 'vscode-languageserver/node';
import { documentSymbols, type DocumentSymbolInfo, type DocumentSymbolKind } from '../../core/manifests/document-symbols';
import { freshPath, guarded, type FeatureContext } from './feature-context';

const KIND: Record<DocumentSymbolKind, SymbolKind> = {
  'flux-source': SymbolKind.Package,
  'flux-release': SymbolKind.Module,
  secret: SymbolKind.Key,
};

export function toDocumentSymbol(symbol: DocumentSymbolInfo): DocumentSymbol {
  return {
    name: symbol.name || '(unnamed)',
    ...(symbol.detail ? { detail: symbol.detail } : {}),
    kind: KIND[symbol.kind],
    range: symbol.range,
    selectionRange: symbol.selectionRange,
  };
}

export function registerSymbols(connection: Connection, context: FeatureContext): void {
  connection.onDocumentSymbol(
    guarded('Document symbols', context.log, [] as DocumentSymbol[], (params) => {
      const path = freshPath(context, params.textDocument.uri);
      if (!context.state.index.hasFile(path)) return [];
      return documentSymbols(context.state.index, path).map(toDocumentSymbol);
    }),
  );
}
