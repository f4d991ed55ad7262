// textDocument/hover: asks the core (via engine/hover-engine) and returns markdown with the hovered range.
// Must not compute hover content itself.
import type { Connection, Hover } from 'vscode-languageserver/node';
import { hoverFromCore } from './engine/hover-engine';
import { freshPath, guarded, type FeatureContext } from './feature-context';

export function registerHover(connection: Connection, context: FeatureContext): void {
  connection.onHover(
    guarded('Hover', context.log, null, (params): Hover | null => {
      const path = freshPath(context, params.textDocument.uri);
      if (!context.state.index.hasFile(path)) return null;
      const hover = hoverFromCore(context.state.index, path, params.position);
      if (!hover || hover.markdown.trim() === '') return null;
      return { contents: { kind: 'markdown', value: hover.markdown }, ...(hover.range ? { range: hover.range } : {}) };
    }),
  );
}
