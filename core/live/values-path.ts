// Finds where the cursor is inside a HelmRelease's `spec.values`: the values key path (e.g. `image.tag`) for
// hover, or the mapping being typed into for completion. Reads text and the parsed document; no chart knowledge.
import { locateAt } from '../manifests/ast-locate';
import { completionContext } from '../manifests/completion-context';
import type { Position, Range } from '../text-range';
import type { IndexedDocument } from '../workspace/workspace-index';

export interface ValuesKeyContext {
  /** Path of the mapping whose keys are being typed, relative to spec.values. */
  path: string[];
  prefix: string;
  /** Keys already present next to the cursor. */
  siblings: Set<string>;
}

/** The completion context when the cursor types a key somewhere under spec.values. */
export function valuesKeyContext(text: string, position: Position): ValuesKeyContext | undefined {
  const lines = text.split(/\r?\n/);
  const ctx = completionContext(lines, position.line, position.character);
  if (!ctx || ctx.type !== 'key' || ctx.path[0] !== 'spec' || ctx.path[1] !== 'values') return undefined;
  return { path: ctx.path.slice(2), prefix: ctx.prefix, siblings: ctx.siblings };
}

/** The values key path under the cursor (on a key or its scalar value) and the range of that node. */
export function valuesPathAt(doc: IndexedDocument, position: Position): { path: string[]; range: Range } | undefined {
  const parsed = doc.result.parsed;
  if (!parsed) return undefined;
  const offset = parsed.lineMap.offsetAt({ line: position.line - doc.startLine, character: position.character });
  const location = locateAt(parsed.doc.contents as Parameters<typeof locateAt>[0], offset);
  if (!location || location.path[0] !== 'spec' || location.path[1] !== 'values' || location.path.length < 3) return undefined;
  const r = location.node.range;
  const rel = r ? parsed.lineMap.rangeOf(r[0], r[1]) : { start: position, end: position };
  const range = { start: { line: rel.start.line + doc.startLine, character: rel.start.character }, end: { line: rel.end.line + doc.startLine, character: rel.end.character } };
  return { path: location.path.slice(2), range };
}
