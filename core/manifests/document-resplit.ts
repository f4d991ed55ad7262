// Re-splits an edited YAML file into documents by keeping the unchanged documents at both ends (compared
// as whole strings, in place) and splitting only the changed middle. Pure text work; no parsing, no Flux.
import { chunkClosesAtNextMarker, isDocumentStart, splitYamlDocuments, type DocumentChunk } from './yaml-documents';

/** A document chunk with its character offset in the file. */
export interface PlacedChunk extends DocumentChunk {
  offset: number;
}

/** How a new text's chunks relate to the old ones: old[0..prefix) and the last `suffix` old chunks are unchanged. */
export interface Resplit {
  prefix: number;
  suffix: number;
  /** The new chunks between them, with file offsets and lines. */
  middle: PlacedChunk[];
  /** Added to the startLine / offset of every kept suffix chunk. */
  lineDelta: number;
  charDelta: number;
  /** Character offset in the new text where the changed region starts. */
  changedFrom: number;
}

function countNewlines(text: string, from = 0, to = text.length): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

const BLOCK = 2048;

/** Length of the common start of two texts (whole blocks compared natively, then characters). */
export function commonPrefixLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let i = 0;
  while (i + BLOCK <= limit && a.slice(i, i + BLOCK) === b.slice(i, i + BLOCK)) i += BLOCK;
  while (i < limit && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Length of the common end of two texts, at most `max`. */
export function commonSuffixLength(a: string, b: string, max: number): number {
  let i = 0;
  while (i + BLOCK <= max && a.slice(a.length - i - BLOCK, a.length - i) === b.slice(b.length - i - BLOCK, b.length - i)) i += BLOCK;
  while (i < max && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

/** The chunks of a whole text, with offsets (chunks are contiguous and cover the text). */
export function placeChunks(chunks: readonly DocumentChunk[], baseOffset = 0, baseLine = 0): PlacedChunk[] {
  let offset = baseOffset;
  return chunks.map((c) => {
    const placed = { text: c.text, startLine: c.startLine + baseLine, offset };
    offset += c.text.length;
    return placed;
  });
}

/** Read access to the old chunks without copying them (the index keeps them in its own arrays). */
export interface ChunkTable {
  readonly length: number;
  textAt(i: number): string;
  offsetAt(i: number): number;
  lineAt(i: number): number;
}

export function chunkTableOf(chunks: readonly PlacedChunk[]): ChunkTable {
  return { length: chunks.length, textAt: (i) => chunks[i].text, offsetAt: (i) => chunks[i].offset, lineAt: (i) => chunks[i].startLine };
}

/** The first index in [lo, hi) whose offset is >= `offset` (offsets increase). */
function firstAtOrAfter(old: ChunkTable, offset: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (old.offsetAt(mid) >= offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Splits `newText` reusing the chunks of `oldText`. The result equals a full `splitYamlDocuments(newText)`:
 * a kept chunk has the same text and the same marker boundaries on both sides. Cost: the changed region,
 * plus a native comparison of the texts and a binary search; unchanged chunks are never visited.
 */
export function resplitYamlDocuments(oldText: string, oldChunks: readonly PlacedChunk[] | ChunkTable, newText: string): Resplit {
  const old = Array.isArray(oldChunks) ? chunkTableOf(oldChunks) : (oldChunks as ChunkTable);
  const n = old.length;
  const same = commonPrefixLength(oldText, newText);
  const sameTail = commonSuffixLength(oldText, newText, Math.min(oldText.length, newText.length) - same);
  const endOf = (i: number): number => (i + 1 < n ? old.offsetAt(i + 1) : oldText.length);
  // Chunks ending inside the common start are unchanged; only the last one's boundary needs a look.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (endOf(mid) > same) hi = mid;
    else lo = mid + 1;
  }
  let prefix = lo;
  while (prefix > 0) {
    const end = endOf(prefix - 1);
    const boundaryHolds = end === newText.length || (newText.charCodeAt(end - 1) === 10 && isDocumentStart(newText, end) && (prefix > 1 || chunkClosesAtNextMarker(old.textAt(0))));
    if (old.textAt(prefix - 1).length > 0 && boundaryHolds) break;
    prefix--;
  }
  const prefixEnd = prefix > 0 ? endOf(prefix - 1) : 0;
  const charDelta = newText.length - oldText.length;
  // Chunks starting inside the common end (and after the kept start) are unchanged too.
  let first = Math.max(prefix, firstAtOrAfter(old, oldText.length - sameTail, 0, n), firstAtOrAfter(old, prefixEnd - charDelta, 0, n));
  while (first < n) {
    const start = old.offsetAt(first) + charDelta;
    if (isDocumentStart(old.textAt(first), 0) && (start === 0 || newText.charCodeAt(start - 1) === 10)) break;
    first++;
  }
  const suffix = n - first;
  const suffixStart = suffix > 0 ? old.offsetAt(first) + charDelta : newText.length;
  const lineAtPrefixEnd = prefix === 0 ? 0 : prefix < n ? old.lineAt(prefix) : old.lineAt(n - 1) + countNewlines(old.textAt(n - 1));
  const middleText = newText.slice(prefixEnd, suffixStart);
  const middle = middleText.length ? placeChunks(splitYamlDocuments(middleText), prefixEnd, lineAtPrefixEnd) : [];
  const last = middle[middle.length - 1];
  if (prefix + middle.length + suffix === 0 || (suffix > 0 && last && prefix === 0 && middle.length === 1 && !chunkClosesAtNextMarker(last.text))) {
    // A leading comment-only chunk joins the first kept document: give that one up and split again.
    return resplitWithout(newText);
  }
  const lineDelta = suffix > 0 ? lineAtPrefixEnd + countNewlines(middleText) - old.lineAt(first) : 0;
  return { prefix, suffix, middle, lineDelta, charDelta, changedFrom: prefixEnd };
}

/** The full split expressed as a Resplit that keeps nothing. */
function resplitWithout(newText: string): Resplit {
  return { prefix: 0, suffix: 0, middle: placeChunks(splitYamlDocuments(newText)), lineDelta: 0, charDelta: 0, changedFrom: 0 };
}
