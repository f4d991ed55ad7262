// textDocument/inlayHint: the tag and short digest Flux resolves each ref to, shown after the ref, from the LiveService.
// Honours cancellation; untrusted or offline workspaces get no hints (the core decides).
import { InlayHintKind, type CancellationToken, type Connection, type InlayHint, type InlayHintParams } from 'vscode-languageserver/node';
import { freshPath, guarded, trackLive, type FeatureContext } from './feature-context';
import { signalFor } from './request-errors';

export function registerInlayHints(connection: Connection, context: FeatureContext): void {
  connection.languages.inlayHint.on(
    guarded('Inlay hints', context.log, [] as InlayHint[], async (params: InlayHintParams, token: CancellationToken) => {
      const path = freshPath(context, params.textDocument.uri);
      if (!context.state.index.hasFile(path)) return [];
      const service = await context.live.live();
      const hints = await trackLive(context, 'Resolving refs', () => service.inlayHints(path, params.range, { signal: signalFor(token) }));
      if (token.isCancellationRequested) return [];
      return hints.map((hint) => ({
        position: hint.position,
        label: hint.label,
        kind: InlayHintKind.Type,
        paddingLeft: !hint.label.startsWith(' '),
        ...(hint.tooltip ? { tooltip: hint.tooltip } : {}),
      }));
    }),
  );
}
