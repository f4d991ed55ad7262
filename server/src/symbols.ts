// textDocument/documentSymbol: the outline of Flux objects, from the core (via engine/symbol-engine).
// Must not parse YAML itself.
import { SymbolKind, type Connection, type DocumentSymbol } from 'vscode-languageserver/node';
import { symbolsFromCore, type CoreSymbol } from './engine/symbol-engine';
import { freshPath, guarded, type FeatureContext } from './feature-context';

const KIND_BY_NAME: Record<string, SymbolKind> = {
  object: SymbolKind.Object,
  class: SymbolKind.Class,
  module: SymbolKind.Module,
  namespace: SymbolKind.Namespace,
  field: SymbolKind.Field,
  property: SymbolKind.Property,
  key: SymbolKind.Key,
  string: SymbolKind.String,
  array: SymbolKind.Array,
  constant: SymbolKind.Constant,
  enum: SymbolKind.Enum,
  struct: SymbolKind.Struct,
  // the core's own kinds (core/manifests/document-symbols.ts)
  'flux-source': SymbolKind.Package,
  'flux-release': SymbolKind.Module,
  secret: SymbolKind.Key,
};

function symbolKind(kind: number | string): SymbolKind {
  if (typeof kind === 'number' && kind >= 1 && kind <= 26) return kind as SymbolKind;
  return (typeof kind === 'string' && KIND_BY_NAME[kind.toLowerCase()]) || SymbolKind.Object;
}

export function toDocumentSymbol(symbol: CoreSymbol): DocumentSymbol {
  return {
    name: symbol.name || '(unnamed)',
    ...(symbol.detail ? { detail: symbol.detail } : {}),
    kind: symbolKind(symbol.kind),
    range: symbol.range,
    selectionRange: symbol.selectionRange,
    ...(symbol.children?.length ? { children: symbol.children.map(toDocumentSymbol) } : {}),
  };
}

export function registerSymbols(connection: Connection, context: FeatureContext): void {
  connection.onDocumentSymbol(
    guarded('Document symbols', context.log, [] as DocumentSymbol[], (params) => {
      const path = freshPath(context, params.textDocument.uri);
      if (!context.state.index.hasFile(path)) return [];
      return symbolsFromCore(context.state.index, path).map(toDocumentSymbol);
    }),
  );
}
