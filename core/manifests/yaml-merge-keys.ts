// Gives a parsed document kubectl's view of YAML 1.1 merge keys (`<<: *defaults`, `<<: [*a, *b]`) and
// reports aliases with no anchor before them. Rewrites maps in place, bounded; other aliases stay aliases.
import { isAlias, isMap, isPair, isScalar, isSeq, YAMLParseError, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

/** A merged document may be walked at most this many nodes (sharing makes exponential "merge bombs" possible). */
const MAX_MERGED_NODES = 100_000;

export interface MergeOutcome {
  /** True when merge keys would expand the document past the bound; it is then left as parsed. */
  tooLarge: boolean;
}

const MERGE_KEY = '<<';

function isMergePair(pair: Pair): boolean {
  const key = pair.key;
  return isScalar(key) && key.value === MERGE_KEY && (key.type === 'PLAIN' || key.type === undefined);
}

function keyOf(pair: Pair): unknown {
  return isScalar(pair.key) ? pair.key.value : pair.key;
}

class MergeResolver {
  /** Anchors seen so far in document order (a later anchor of the same name replaces an earlier one). */
  private readonly anchors = new Map<string, Node>();
  /** Maps whose items were replaced, with their items as parsed (to undo when the result is too large). */
  readonly rewritten: Array<{ map: YAMLMap; items: Pair[] }> = [];

  constructor(private readonly doc: Document.Parsed) {}

  private error(node: { range?: [number, number, number] | null }, message: string): void {
    const r = node.range ?? [0, 0, 0];
    this.doc.errors.push(new YAMLParseError([r[0], Math.max(r[1], r[0] + 1)], 'BAD_ALIAS', message));
  }

  visit(node: unknown): void {
    if (isAlias(node)) {
      if (!this.anchors.has(node.source)) this.error(node, `Unknown anchor '${node.source}': the alias *${node.source} needs an anchor &${node.source} defined before it.`);
      return;
    }
    if (isMap(node)) {
      let merges = false;
      for (const item of node.items) {
        this.visit(item.key);
        this.visit(item.value);
        if (isPair(item) && isMergePair(item)) merges = true;
      }
      if (merges) this.merge(node);
    } else if (isSeq(node)) {
      for (const item of node.items) this.visit(item);
    }
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor) this.anchors.set(anchor, node as Node);
  }

  /** The mapping a merge source names (an alias to a mapping, or an inline mapping), or undefined after an error. */
  private sourceMap(source: unknown): YAMLMap | undefined {
    const target = isAlias(source) ? this.anchors.get(source.source) : source;
    if (isMap(target)) return target;
    // An unknown alias was reported already by visit().
    if (!isAlias(source) || target) this.error(source as Node, 'A merge key (<<) takes a mapping, an alias of a mapping or a list of them.');
    return undefined;
  }

  /** Replaces the map's `<<` pairs by the pairs they bring in: own keys win, then earlier sources over later ones. */
  private merge(map: YAMLMap): void {
    const own = new Set<unknown>();
    for (const item of map.items) if (!isMergePair(item as Pair)) own.add(keyOf(item as Pair));
    const items: Pair[] = [];
    for (const item of map.items as Pair[]) {
      if (!isMergePair(item)) {
        items.push(item);
        continue;
      }
      const value = item.value;
      const sources = isSeq(value) && !isAlias(value) ? value.items : [value];
      for (const source of sources) {
        const from = this.sourceMap(source);
        for (const inherited of (from?.items ?? []) as Pair[]) {
          const key = keyOf(inherited);
          if (own.has(key)) continue;
          own.add(key);
          items.push(inherited);
        }
      }
    }
    this.rewritten.push({ map, items: map.items as Pair[] });
    map.items = items;
  }
}

/** Nodes a full walk of `node` would visit, counting shared nodes once per path; stops counting past `limit`. */
function walkSize(node: unknown, limit: number, memo: Map<unknown, number>): number {
  if (!node || typeof node !== 'object') return 0;
  const known = memo.get(node);
  if (known !== undefined) return known;
  let size = 1;
  if (isMap(node)) {
    for (const item of node.items) {
      size += walkSize(item.key, limit, memo) + walkSize(item.value, limit, memo);
      if (size > limit) break;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      size += walkSize(item, limit, memo);
      if (size > limit) break;
    }
  }
  memo.set(node, size);
  return size;
}

/**
 * Resolves merge keys in `doc` (in place) and adds an error for every alias without an earlier anchor.
 * Cheap for texts without `<<` or `*`: nothing to do then.
 */
export function resolveMergeKeys(doc: Document.Parsed, text: string): MergeOutcome {
  if (!text.includes('*') && !text.includes(MERGE_KEY)) return { tooLarge: false };
  const resolver = new MergeResolver(doc);
  resolver.visit(doc.contents);
  if (resolver.rewritten.length === 0) return { tooLarge: false };
  if (walkSize(doc.contents, MAX_MERGED_NODES, new Map()) <= MAX_MERGED_NODES) return { tooLarge: false };
  for (let i = resolver.rewritten.length - 1; i >= 0; i--) resolver.rewritten[i].map.items = resolver.rewritten[i].items;
  return { tooLarge: true };
}
