// textDocument/codeAction: quick fixes from the `fixes` the core attaches to its diagnostics, each carrying
// the diagnostic it fixes. Must not invent fixes: only the core's edits are offered.
import { CodeActionKind, type CodeAction, type Connection, type Range } from 'vscode-languageserver/node';
import { analyzePath, toLspDiagnostic } from './diagnostics';
import { freshPath, guarded, type FeatureContext } from './feature-context';

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** True when the ranges overlap or touch (an empty cursor range at a diagnostic's edge counts). */
export function rangesTouch(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** Whether a code action request (cursor/selection plus the client's diagnostics) concerns a diagnostic. */
export function requestConcerns(diagnostic: { code: string; range: Range }, requested: Range, contextDiagnostics: Array<{ code?: unknown; range: Range }>): boolean {
  if (rangesTouch(diagnostic.range, requested)) return true;
  if (contextDiagnostics.some((d) => d.code === diagnostic.code && rangesTouch(d.range, diagnostic.range))) return true;
  const cursor = requested.start.line === requested.end.line && requested.start.character === requested.end.character;
  return cursor && requested.start.line >= diagnostic.range.start.line && requested.start.line <= diagnostic.range.end.line;
}

export function registerCodeActions(connection: Connection, context: FeatureContext): void {
  connection.onCodeAction(
    guarded('Code actions', context.log, [] as CodeAction[], (params) => {
      const only = params.context.only;
      if (only && !only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`) || kind === '')) return [];
      const uri = params.textDocument.uri;
      const path = freshPath(context, uri);
      const actions: CodeAction[] = [];
      for (const diagnostic of analyzePath(context.state, path, context.log)) {
        if (!diagnostic.fixes?.length || !requestConcerns(diagnostic, params.range, params.context.diagnostics)) continue;
        const lspDiagnostic = toLspDiagnostic(diagnostic);
        for (const fix of diagnostic.fixes) {
          actions.push({
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [lspDiagnostic],
            isPreferred: fix.isPreferred ?? diagnostic.fixes.length === 1,
            edit: { changes: { [uri]: fix.edits.map((edit) => ({ range: edit.range, newText: edit.newText })) } },
          });
        }
      }
      return actions;
    }),
  );
}
