// textDocument/hover: the core's offline field docs and `${VAR}` values (postBuild), then (merged below them) its live
// answer — resolved tag, digest, source freshness — from the LiveService. Honours cancellation; computes no content itself.
import type { CancellationToken, Connection, Hover } from 'vscode-languageserver/node';
import type { HoverParams } from 'vscode-languageserver/node';
import { hoverAt } from '../../core/manifests/hover';
import { variableHoverAt } from '../../core/workspace/variable-values';
import { previewUpgradeLink } from '../../core/live/upgrade-render';
import { freshPath, guarded, trackLive, type FeatureContext } from './feature-context';
import { signalFor } from './request-errors';
import { redactCredentials } from '../../shared/redaction';

export function registerHover(connection: Connection, context: FeatureContext): void {
  connection.onHover(
    guarded('Hover', context.log, null, async (params: HoverParams, token: CancellationToken): Promise<Hover | null> => {
      const path = freshPath(context, params.textDocument.uri);
      if (!context.state.index.hasFile(path)) return null;
      const offline = hoverAt(context.state.index, path, params.position);
      const variable = variableHoverAt(context.state.index, path, params.position);
      const service = await context.live.live();
      const live = await trackLive(context, 'Resolving for hover', () => service.hoverAt(path, params.position, { signal: signalFor(token) }));
      if (token.isCancellationRequested) return null;
      const upgrade = live?.upgradeTo ? previewUpgradeLink(params.textDocument.uri, params.position, live.upgradeTo) : undefined;
      // Live text carries registry answers: it passes the one credential redaction.
      const parts = [variable?.markdown.trim(), offline?.markdown.trim(), live ? `${redactCredentials(live.markdown.trim())}${upgrade ? `\n\n${upgrade}` : ''}` : undefined].filter(
        (p): p is string => !!p,
      );
      if (parts.length === 0) return null;
      const range = live?.range ?? variable?.range ?? offline?.range;
      return { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') }, ...(range ? { range } : {}) };
    }),
  );
}
