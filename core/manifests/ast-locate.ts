// Finds what sits at an offset of a parsed YAML document: the key path (list items as `[]`) and whether
// the offset is on a key or a value. Read-only; does not follow aliases.
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { keyText } from './yaml-ast';

export interface AstLocation {
  /** Keys from the root, `[]` for list items. */
  path: string[];
  on: 'key' | 'value';
  /** The key or scalar value node under the offset. */
  node: Node;
}

function within(node: Node | null | undefined, offset: number): boolean {
  return !!node?.range && offset >= node.range[0] && offset <= node.range[1];
}

export function locateAt(root: Node | null, offset: number): AstLocation | undefined {
  const path: string[] = [];
  let current: Node | null = root;
  for (let depth = 0; current && depth < 100; depth++) {
    if (isMap(current)) {
      let next: Node | null = null;
      for (const item of current.items) {
        const pair = item as Pair;
        const key = pair.key as Node | null;
        const text = keyText(pair);
        if (text === undefined) continue;
        if (within(key, offset)) return { path: [...path, text], on: 'key', node: key as Node };
        const value = pair.value as Node | null;
        if (within(value, offset)) {
          path.push(text);
          if (isScalar(value)) return { path, on: 'value', node: value };
          next = value;
          break;
        }
      }
      current = next;
    } else if (isSeq(current)) {
      let next: Node | null = null;
      for (const item of current.items) {
        if (within(item as Node, offset)) {
          path.push('[]');
          if (isScalar(item)) return { path, on: 'value', node: item };
          next = item as Node;
          break;
        }
      }
      current = next;
    } else {
      return undefined;
    }
  }
  return undefined;
}
