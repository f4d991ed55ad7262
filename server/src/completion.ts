// textDocument/completion: the core's offline items (fields, enum values, snippets) merged with its live items (tags
// newest first, range snippets, digests, chart values keys). Reports work-done progress and honours cancellation.
import { CompletionItemKind, InsertTextFormat, type CancellationToken, type CompletionItem, type CompletionParams, type Connection, type WorkDoneProgressReporter } from 'vscode-languageserver/node';
import type { LiveCompletionItem } from '../../core/live/live-completion';
import { completionsAt, type CompletionItem as CoreCompletion } from '../../core/manifests/completion';
import { freshPath, guarded, trackLive, type FeatureContext } from './feature-context';
import { signalFor } from './request-errors';

const KIND: Record<CoreCompletion['kind'], CompletionItemKind> = {
  field: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  snippet: CompletionItemKind.Snippet,
};

const LIVE_KIND: Record<LiveCompletionItem['kind'], CompletionItemKind> = {
  tag: CompletionItemKind.Constant,
  range: CompletionItemKind.Value,
  digest: CompletionItemKind.Reference,
  'values-key': CompletionItemKind.Property,
};

export function toCompletionItem(item: CoreCompletion): CompletionItem {
  return {
    label: item.label,
    kind: KIND[item.kind] ?? CompletionItemKind.Text,
    ...(item.detail ? { detail: item.detail } : {}),
    ...(item.documentation ? { documentation: { kind: 'markdown', value: item.documentation } } : {}),
    ...(item.range
      ? { textEdit: { range: item.range, newText: item.insertText ?? item.label }, filterText: item.insertText ?? item.label }
      : item.insertText !== undefined
        ? { insertText: item.insertText }
        : {}),
    insertTextFormat: item.isSnippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
  };
}

export function toLiveCompletionItem(item: LiveCompletionItem): CompletionItem {
  const newText = item.insertText ?? item.label;
  return {
    label: item.label,
    kind: LIVE_KIND[item.kind] ?? CompletionItemKind.Value,
    sortText: item.sortText,
    // The client filters on this text: it includes the quotes the edit inserts.
    filterText: newText,
    ...(item.detail ? { detail: item.detail } : {}),
    ...(item.documentation ? { documentation: { kind: 'markdown', value: item.documentation } } : {}),
    ...(item.range ? { textEdit: { range: item.range, newText } } : { insertText: newText }),
    insertTextFormat: InsertTextFormat.PlainText,
    ...(item.prerelease ? { tags: [] } : {}),
  };
}

/** Reports progress messages under a client-given token, beginning on the first message. */
function progressOf(reporter: WorkDoneProgressReporter | undefined): (message: string) => void {
  let begun = false;
  return (message) => {
    if (!reporter) return;
    if (!begun) reporter.begin('Flux OCI', undefined, message, true);
    else reporter.report(message);
    begun = true;
  };
}

export function registerCompletion(connection: Connection, context: FeatureContext): void {
  connection.onCompletion(
    guarded('Completion', context.log, [] as CompletionItem[], async (params: CompletionParams, token: CancellationToken, workDone?: WorkDoneProgressReporter) => {
      const path = freshPath(context, params.textDocument.uri);
      if (!context.state.index.hasFile(path)) return [];
      const offline = completionsAt(context.state.index, path, params.position).map(toCompletionItem);
      const service = await context.live.live();
      try {
        const live = await trackLive(context, 'Listing tags for completion', () => service.completionsAt(path, params.position, { signal: signalFor(token), onProgress: progressOf(workDone) }));
        if (token.isCancellationRequested) return [];
        return [...offline, ...(live ?? []).map(toLiveCompletionItem)];
      } finally {
        workDone?.done();
      }
    }),
  );
}
