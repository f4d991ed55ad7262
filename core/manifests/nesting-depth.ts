// Estimates how deeply a YAML text nests (block indentation levels plus open flow brackets) in one linear
// pass, so a document too deep for the recursive `yaml` parser is never handed to it. Never parses.

/**
 * Deeper documents are not parsed. `yaml` composes recursively and overflows the stack beyond ~900 flow
 * or ~1,800 block levels (less when called from deep inside a server); Kubernetes objects nest a few
 * dozen levels, so this leaves a wide margin on both sides and keeps every recursive walk in the core safe.
 */
export const MAX_NESTING_DEPTH = 256;

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

/** The offset after a quoted scalar opened at `i` (its closing quote on the same line), or `end`. */
function skipQuoted(text: string, i: number, end: number): number {
  const quote = text.charCodeAt(i);
  for (let k = i + 1; k < end; k++) {
    const c = text.charCodeAt(k);
    if (quote === 34 /* " */ && c === 92 /* \ */) k++;
    else if (c === quote) {
      if (quote === 39 /* ' */ && text.charCodeAt(k + 1) === 39) k++;
      else return k + 1;
    }
  }
  return end;
}

/**
 * True when the text nests deeper than `limit` levels. An estimate erring towards "deeper": block levels
 * are counted from indentation (compact `- - x` items count one level each), flow levels from the
 * brackets that open a flow collection (quoted text and comments skipped).
 */
export function exceedsNestingDepth(text: string, limit: number = MAX_NESTING_DEPTH): boolean {
  const blockColumns: number[] = [];
  let flow = 0;
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let i = pos;
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (flow === 0 && i < end && text.charCodeAt(i) !== 35 /* # */) {
      const column = i - pos;
      while (blockColumns.length && blockColumns[blockColumns.length - 1] >= column) blockColumns.pop();
      blockColumns.push(column);
      // `- - - x` and `? - x`: every compact indicator opens one more level on the same line.
      while ((text.charCodeAt(i) === 45 /* - */ || text.charCodeAt(i) === 63) /* ? */ && isSpace(text.charCodeAt(i + 1))) {
        i += 2;
        while (i < end && isSpace(text.charCodeAt(i))) i++;
        blockColumns.push(i - pos);
      }
      if (blockColumns.length > limit) return true;
    }
    let previous = 32;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 35 && isSpace(previous)) break;
      if ((c === 34 || c === 39) && (flow > 0 || isSpace(previous) || previous === 58)) {
        i = skipQuoted(text, i, end) - 1;
        previous = c;
        continue;
      }
      // Outside flow collections a bracket opens one only where a value starts (`a: [`, `- {`), not in `x[0]`.
      const opensHere = flow > 0 || isSpace(previous) || previous === 58 /* : */ || previous === 45; /* - */
      if ((c === 91 /* [ */ || c === 123) /* { */ && opensHere) {
        if (++flow + blockColumns.length > limit) return true;
      } else if ((c === 93 /* ] */ || c === 125) /* } */ && flow > 0) {
        flow--;
      }
      previous = c;
    }
    pos = end + 1;
  }
  return false;
}
