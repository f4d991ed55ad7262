// Works out, from the raw text around the cursor, which mapping the cursor is in (its key path) and
// whether a key or a value is being typed. Text-based on purpose: it must work on half-typed YAML.

export type CompletionContext = { type: 'key'; path: string[]; prefix: string; siblings: Set<string> } | { type: 'value'; path: string[]; key: string; prefix: string };

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

interface LineShape {
  indent: number;
  isItem: boolean;
  /** Column where the line's key (or item content) starts. */
  keyCol: number;
  key?: string;
}

function shape(line: string): LineShape {
  const indent = indentOf(line);
  const m = /^(\s*)(-\s+)?(?:(["']?)([^\s:#'"][^:#'"]*?)\3\s*:(?:\s|$))?/.exec(line);
  const dash = m?.[2] ?? '';
  return { indent, isItem: dash.length > 0, keyCol: indent + dash.length, key: m?.[4] };
}

function isSkippable(line: string): boolean {
  const t = line.trim();
  return t === '' || t.startsWith('#');
}

/** The key path of the mapping a line at column `col` of row `row` belongs to. */
export function parentPath(lines: readonly string[], row: number, col: number): string[] {
  const path: string[] = [];
  let current = col;
  for (let r = row - 1; r >= 0 && current > 0; r--) {
    const line = lines[r];
    if (isSkippable(line)) continue;
    if (/^(---|\.\.\.)(\s|$)/.test(line)) break;
    const s = shape(line);
    if (s.key !== undefined && s.keyCol < current) {
      path.unshift(s.key);
      current = s.keyCol;
    }
    if (s.isItem && s.indent < current) {
      path.unshift('[]');
      current = s.indent;
    }
  }
  return path;
}

function siblingKeys(lines: readonly string[], row: number, col: number): Set<string> {
  const keys = new Set<string>();
  for (const step of [-1, 1]) {
    for (let r = row + step; r >= 0 && r < lines.length; r += step) {
      const line = lines[r];
      if (isSkippable(line)) continue;
      if (/^(---|\.\.\.)(\s|$)/.test(line)) break;
      const s = shape(line);
      if (s.keyCol < col) {
        if (s.isItem && s.keyCol === col && s.key) keys.add(s.key);
        break;
      }
      if (s.keyCol === col && s.key) keys.add(s.key);
    }
  }
  return keys;
}

export function completionContext(lines: readonly string[], row: number, character: number): CompletionContext | undefined {
  const line = lines[row] ?? '';
  const before = line.slice(0, character);
  const valueMatch = /^(\s*)(-\s+)?(["']?)([^\s:#'"][^:#'"]*?)\3\s*:\s+(\S*)$/.exec(before);
  if (valueMatch) {
    const parent = parentPath(lines, row, valueMatch[1].length + (valueMatch[2] ? 0 : 0));
    if (valueMatch[2]) parent.push('[]');
    return { type: 'value', path: [...parent, valueMatch[4]], key: valueMatch[4], prefix: valueMatch[5] };
  }
  const keyMatch = /^(\s*)(-\s+)?([\w.-]*)$/.exec(before);
  if (!keyMatch) return undefined;
  const col = keyMatch[1].length + (keyMatch[2]?.length ?? 0);
  const path = parentPath(lines, row, keyMatch[2] ? keyMatch[1].length : col);
  if (keyMatch[2]) path.push('[]');
  return { type: 'key', path, prefix: keyMatch[3], siblings: keyMatch[2] ? new Set() : siblingKeys(lines, row, col) };
}
