// textDocument/inlayHint: each `${VAR}`'s postBuild value (offline, from the core), and the tag and short digest Flux
// resolves each ref to from the LiveService (none when untrusted or offline: the core decides). Honours cancellation.
import { InlayHintKind, type CancellationToken, type Connection, type InlayHint, type InlayHintParams } from 'vscode-languageserver/node';
import { variableHint, variableOccurrences } from '../../core/workspace/variable-values';
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
      // A live hint after a ref already says what its variables became: the offline one there would repeat it.
      const taken = new Set(hints.map((h) => `${h.position.line}:${h.position.character}`));
      const variables = variableOccurrences(context.state.index, path, params.range)
        .map(variableHint)
        .filter((h) => !taken.has(`${h.position.line}:${h.position.character}`));
      return [...variables, ...hints].map((hint) => ({
        position: hint.position,
        label: hint.label,
        kind: InlayHintKind.Type,
        paddingLeft: !hint.label.startsWith(' '),
        ...(hint.tooltip ? { tooltip: hint.tooltip } : {}),
      }));
    }),
  );
}
