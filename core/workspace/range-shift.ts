// Moves document-relative ranges to file positions by adding a line offset (documents start at a line
// boundary, so characters never change). Pure data copying; never mutates its input.
import type { LineMap, Position, Range } from '../text-range';

function isPosition(v: unknown): v is Position {
  return typeof v === 'object' && v !== null && typeof (v as Position).line === 'number' && typeof (v as Position).character === 'number';
}

export function shiftRange(range: Range, lines: number): Range {
  if (lines === 0) return range;
  return { start: { line: range.start.line + lines, character: range.start.character }, end: { line: range.end.line + lines, character: range.end.character } };
}

/** A copy of `value` with every Position inside moved down by `lines`. */
export function shiftDeep<T>(value: T, lines: number): T {
  if (lines === 0) return value;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    if (isPosition(v)) return { line: v.line + lines, character: v.character };
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) out[k] = walk(child);
    return out;
  };
  return walk(value) as T;
}

/** Moves a file position into document-relative coordinates. */
export function unshiftPosition(position: Position, lines: number): Position {
  return { line: position.line - lines, character: position.character };
}

/** A view of a document's line map whose positions are file positions (`lines` below the document's). */
export function placedLineMap(lineMap: LineMap, lines: number): LineMap {
  if (lines === 0) return lineMap;
  const placed = Object.create(lineMap) as LineMap;
  placed.positionAt = (offset: number): Position => {
    const p = lineMap.positionAt(offset);
    return { line: p.line + lines, character: p.character };
  };
  return placed;
}
