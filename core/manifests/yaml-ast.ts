// Small read-only helpers over the `yaml` AST: find pairs by key, read scalars, turn node offsets into
// ranges. They never resolve aliases (so alias bombs stay cheap) and never call toJS on user input.
import * as yaml from 'yaml';
import type { Node, Pair, YAMLMap } from 'yaml';

/**
 * The node guards, bound once: bundled, `yaml` is a CommonJS module whose exports esbuild reaches through
 * a getter on every call, ~10% of a large file's validation when called from these hot helpers.
 */
export const { isAlias, isMap, isScalar, isSeq } = yaml;
import type { LineMap, Range } from '../text-range';

export type AstNode = Node;

export function rangeOfNode(node: { range?: [number, number, number] | null }, lineMap: LineMap): Range {
  const r = node.range;
  if (!r) return lineMap.rangeOf(0, 0);
  return lineMap.rangeOf(r[0], r[1]);
}

/** The offset where a node's own content ends (a block map's range also covers trailing blank lines and comments). */
export function contentEnd(node: Node): number {
  if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) {
    const last = node.items[node.items.length - 1] as unknown;
    if (isMap(node)) {
      const pair = last as Pair;
      const v = pair.value as Node | null;
      if (v && typeof v === 'object' && 'range' in v && v.range) return contentEnd(v);
      const k = pair.key as Node | null;
      if (k && typeof k === 'object' && 'range' in k && k.range) return k.range[1];
    } else if (last && typeof last === 'object' && 'range' in (last as Node) && (last as Node).range) {
      return contentEnd(last as Node);
    }
  }
  return node.range ? node.range[1] : 0;
}

export function keyText(pair: Pair): string | undefined {
  const k = pair.key;
  if (isScalar(k)) {
    const v = k.value;
    return typeof v === 'string' ? v : v === null ? undefined : String(v);
  }
  return undefined;
}

export function asMap(node: unknown): YAMLMap | undefined {
  return isMap(node) ? node : undefined;
}

export function findPair(map: YAMLMap | undefined, key: string): Pair | undefined {
  if (!map) return undefined;
  for (const item of map.items) {
    if (keyText(item as Pair) === key) return item as Pair;
  }
  return undefined;
}

export function getNode(map: YAMLMap | undefined, key: string): Node | undefined {
  const v = findPair(map, key)?.value;
  return v && typeof v === 'object' && 'range' in (v as object) ? (v as Node) : undefined;
}

export function getMap(map: YAMLMap | undefined, key: string): YAMLMap | undefined {
  return asMap(findPair(map, key)?.value);
}

/** Follows a dotted path of mapping keys. */
export function getPath(map: YAMLMap | undefined, ...keys: string[]): Node | undefined {
  let current: Node | undefined = map;
  for (const key of keys) {
    current = getNode(asMap(current), key);
    if (!current) return undefined;
  }
  return current;
}

/** A scalar's value as a string (numbers and booleans stringified); undefined for non-scalars and null. */
export function scalarString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}

export function stringAt(map: YAMLMap | undefined, key: string): string | undefined {
  return scalarString(findPair(map, key)?.value);
}

/** A `${VAR}` postBuild substitution: its value is unknown until Flux substitutes it, so it is accepted. */
export function hasSubstitution(value: string): boolean {
  return value.includes('${');
}

/** A Go/Helm template expression (`{{ .Values.x }}`): text until something renders it. */
function hasTemplateExpression(value: string): boolean {
  return value.includes('{{');
}

/** A value known only once Flux substitutes or a template renders it: accepted by every offline check. */
export function isPlaceholderValue(value: string): boolean {
  return hasSubstitution(value) || hasTemplateExpression(value);
}

/** An unquoted `{{ .Values.x }}` reads as a flow mapping whose one key is a flow mapping: a placeholder, not data. */
export function isTemplatePlaceholderNode(node: unknown): boolean {
  if (!isMap(node) || !node.flow || node.items.length !== 1) return false;
  const pair = node.items[0] as Pair;
  const value = pair.value as Node | null;
  return isMap(pair.key) && pair.key.flow === true && (value === null || (isScalar(value) && value.value === null));
}

export function isAliasNode(node: unknown): boolean {
  return isAlias(node);
}
