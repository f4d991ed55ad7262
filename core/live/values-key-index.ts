// Flattens a chart's values.yaml into every key path it declares (maps descended, lists kept whole) with each key's
// kind, default and comment, so two chart versions can be compared key by key. Reads parsed YAML; no registry, no text out.
import type { Document } from 'yaml';
import { keysAt, type ValueKeyInfo } from './chart-values';

export interface IndexedKey extends ValueKeyInfo {
  path: string[];
  /** The scalar default as a plain value (undefined for maps and lists). */
  scalar?: string | number | boolean | null;
}

/** Key paths → keys; a path is looked up by `pathKey(path)`. */
export type ValuesKeyIndex = Map<string, IndexedKey>;

const MAX_DEPTH = 32;
const MAX_KEYS = 50_000;

export const pathKey = (path: readonly string[]): string => path.join('\u0000');

/** `a.b.c`, with keys that contain a dot or space quoted: `annotations."app.io/name"`. */
export function displayPath(path: readonly string[]): string {
  return path.map((p) => (/^[A-Za-z0-9_-]+$/.test(p) ? p : JSON.stringify(p))).join('.');
}

function scalarOf(info: ValueKeyInfo): string | number | boolean | null | undefined {
  if (info.kind !== 'scalar') return undefined;
  try {
    const value = JSON.parse(info.defaultText) as unknown;
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Every key values.yaml declares, parents before children; empty when there is no values.yaml. */
export function indexValuesKeys(values: Document.Parsed | undefined): ValuesKeyIndex {
  const index: ValuesKeyIndex = new Map();
  if (!values) return index;
  const walk = (path: string[]): void => {
    if (path.length > MAX_DEPTH) return;
    for (const info of keysAt(values, path)) {
      if (index.size >= MAX_KEYS) return;
      const keyPath = [...path, info.key];
      const scalar = scalarOf(info);
      index.set(pathKey(keyPath), { ...info, path: keyPath, ...(scalar !== undefined ? { scalar } : {}) });
      if (info.kind === 'map') walk(keyPath);
    }
  };
  walk([]);
  return index;
}
