// Test helper: applies LSP-shaped text edits to a text (last edit first), as an editor would.
import { LineMap, type TextEdit } from '../../../core/text-range';

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const map = new LineMap(text);
  const sorted = [...edits].sort((a, b) => map.offsetAt(b.range.start) - map.offsetAt(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, map.offsetAt(e.range.start)) + e.newText + out.slice(map.offsetAt(e.range.end));
  return out;
}
