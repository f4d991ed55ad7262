// textDocument/completion: asks the core (via engine/completion-engine) and maps its items to LSP items.
// Must not decide what to offer: the core owns fields, enum values and snippets.
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type Connection } from 'vscode-languageserver/node';
import { completionsFromCore, type CoreCompletion } from './engine/completion-engine';
import { freshPath, guarded, type FeatureContext } from './feature-context';

const KIND: Record<CoreCompletion['kind'], CompletionItemKind> = {
  field: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  snippet: CompletionItemKind.Snippet,
};

export function toCompletionItem(item: CoreCompletion): CompletionItem {
  return {
    label: item.label,
    kind: KIND[item.kind] ?? CompletionItemKind.Text,
    ...(item.detail ? { detail: item.detail } : {}),
    ...(item.documentation ? { documentation: { kind: 'markdown', value: item.documentation } } : {}),
    ...(item.insertText !== undefined ? { insertText: item.insertText } : {}),
    insertTextFormat: item.isSnippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
  };
}

export function registerCompletion(connection: Connection, context: FeatureContext): void {
  connection.onCompletion(
    guarded('Completion', context.log, [] as CompletionItem[], (params) => {
      const path = freshPath(context, params.textDocument.uri);
      if (!context.state.index.hasFile(path)) return [];
      return completionsFromCore(context.state.index, path, params.position).map(toCompletionItem);
    }),
  );
}
