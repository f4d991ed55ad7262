// textDocument/codeAction: quick fixes from the `fixes` the core attaches to its offline and live diagnostics, each
// carrying the diagnostic it fixes, plus the live service's position actions (pin to digest). Must not invent fixes.
import { CodeActionKind, type CancellationToken, type CodeAction, type CodeActionParams, type Connection, type Range } from 'vscode-languageserver/node';
import { analyzePath, toLspDiagnostic } from './diagnostics';
import { freshPath, guarded, trackLive, type FeatureContext } from './feature-context';
import { signalFor } from './request-errors';

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
    guarded('Code actions', context.log, [] as CodeAction[], async (params: CodeActionParams, token: CancellationToken) => {
      const only = params.context.only;
      const wants = (kind: string) => !only || only.some((k) => k === kind || kind.startsWith(`${k}.`) || k === '');
      if (!wants(CodeActionKind.QuickFix) && !wants(CodeActionKind.RefactorRewrite)) return [];
      const uri = params.textDocument.uri;
      const path = freshPath(context, uri);
      const actions: CodeAction[] = [];
      const diagnostics = wants(CodeActionKind.QuickFix) ? [...analyzePath(context.state, path, context.log), ...(context.state.index.hasFile(path) ? context.publisher.liveFor(path) : [])] : [];
      for (const diagnostic of diagnostics) {
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
      if (wants(CodeActionKind.RefactorRewrite) && context.state.index.hasFile(path)) {
        const service = await context.live.live();
        const fixes = await trackLive(context, 'Resolving for code actions', () => service.actionsAt(path, params.range.start, { signal: signalFor(token) }));
        for (const fix of fixes) {
          actions.push({ title: fix.title, kind: CodeActionKind.RefactorRewrite, edit: { changes: { [uri]: fix.edits.map((edit) => ({ range: edit.range, newText: edit.newText })) } } });
        }
      }
      return actions;
    }),
  );
}
