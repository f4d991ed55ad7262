// A fast parser for the plain block YAML most manifests are written in (block maps and lists, plain and
// simple quoted scalars), building the very nodes and ranges `yaml` builds; anything else is declined.
import type { Document, DocumentOptions, ParseOptions, Scalar, SchemaOptions, YAMLMap, YAMLSeq } from 'yaml';
import { makeDocument, makeMap, makePair, makeScalar, makeSeq } from './yaml-node-factory';

/**
 * Why this exists: `yaml`'s general parser costs ~0.3 ms per small document, most of a 2,000-document
 * file's validation. This one reads only the common subset and returns `undefined` for anything it does
 * not fully understand (comments other than column-0 ones ending the document, leading blank lines,
 * flow collections, block scalars, anchors, tags, escapes, multi-line scalars, floats, tabs, CRLF, a BOM,
 * duplicate keys, errors...), so the caller falls back to `yaml`.
 * The tests compare its output with `yaml`'s, node by node and range by range.
 */

interface Line {
  /** Offset of the first non-space character. */
  start: number;
  /** Offset of the line's end (its '\n' or the end of text). */
  end: number;
  /** Offset after the '\n' (or the end of text). */
  next: number;
  indent: number;
  /** One or more blank lines come before this line. */
  blankBefore: boolean;
}

/** Thrown (and caught in this module only) when the text leaves the supported subset. */
class Declined {}
const DECLINED = new Declined();

const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_RE = /^[-+]?[0-9]+$/;
/** Plain scalars `yaml` resolves to something other than an int, bool, null or string (floats, hex, octal, inf, nan). */
const OTHER_NUMBER_RE = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/;

const MAX_DEPTH = 200;

/** Characters that cannot start a plain scalar (some may when followed by a non-space; those are declined too). */
const INDICATORS = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);

function resolvePlain(source: string): string | number | boolean | null {
  const c = source.charCodeAt(0);
  // Most scalars start with a letter that no null, boolean or number can start with.
  const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  if (letter && c !== 110 && c !== 116 && c !== 102 && c !== 78 && c !== 84 && c !== 70) return source;
  if (NULL_RE.test(source)) return null;
  if (BOOL_RE.test(source)) return source[0] === 't' || source[0] === 'T';
  if (INT_RE.test(source)) return parseInt(source, 10);
  if (OTHER_NUMBER_RE.test(source)) throw DECLINED;
  return source;
}

class BlockParser {
  private readonly lines: Line[] = [];
  private i = 0;
  /** Blocks currently open (a bound on recursion for hostile input; `yaml` handles deeper nesting). */
  private depth = 0;

  constructor(
    private readonly text: string,
    firstLineStart: number,
  ) {
    let pos = firstLineStart;
    let blankBefore = false;
    while (pos < text.length) {
      const nl = text.indexOf('\n', pos);
      const end = nl < 0 ? text.length : nl;
      let start = pos;
      while (start < end && text.charCodeAt(start) === 32) start++;
      const next = nl < 0 ? end : nl + 1;
      if (start === end) {
        // A blank line marks the next node (`spaceBefore`); blank lines before any content are declined.
        if (this.lines.length === 0) throw DECLINED;
        blankBefore = true;
        pos = next;
        continue;
      }
      // Comments other than the document's last lines, directives and markers are not handled here.
      const c = text[start];
      if (c === '#' && start === pos && this.lines.length > 0 && !blankBefore) {
        this.readTrailingComment(pos);
        return;
      }
      if (c === '#' || c === '%' || (start === pos && (text.startsWith('---', pos) || text.startsWith('...', pos)))) throw DECLINED;
      this.lines.push({ start, end, next, indent: start - pos, blankBefore });
      blankBefore = false;
      pos = next;
    }
    this.trailingBlank = blankBefore;
  }

  /** Blank lines end the document (`yaml` counts them in the document's range). */
  trailingBlank = false;

  /** Column-0 comment lines ending the document (`yaml` makes them the document's comment), or undefined. */
  trailingComment: string | undefined;

  /** Reads the comment lines from `pos` to the end; anything else after them is declined. */
  private readTrailingComment(pos: number): void {
    const text = this.text;
    const lines: string[] = [];
    while (pos < text.length) {
      const nl = text.indexOf('\n', pos);
      const end = nl < 0 ? text.length : nl;
      if (text.charCodeAt(pos) !== 35 /* # */ || text.charCodeAt(end - 1) === 32) throw DECLINED;
      lines.push(text.slice(pos + 1, end) || ' ');
      pos = end + 1;
    }
    this.trailingComment = lines.join('\n');
  }

  parseRoot(): YAMLMap {
    const first = this.lines[0];
    if (!first || first.indent !== 0 || this.isSeqItem(first.start, first.end)) throw DECLINED;
    const map = this.parseMap(0, first.start);
    if (this.i !== this.lines.length) throw DECLINED;
    return map;
  }

  private isSeqItem(start: number, end: number): boolean {
    if (this.text.charCodeAt(start) !== 45 /* - */) return false;
    if (start + 1 === end) throw DECLINED; // `-` alone: a nested block item
    return this.text.charCodeAt(start + 1) === 32;
  }

  /** The offset of the `:` ending a plain key on [start, end), or -1 when the content is not `key: ...`. */
  private keyColon(start: number, end: number): number {
    const text = this.text;
    const c = text[start];
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, start + 1);
      if (close >= 0 && close < end && text.charCodeAt(close + 1) === 58 /* : */) throw DECLINED; // quoted key
      return -1;
    }
    for (let k = start; k < end - 1; k++) {
      if (text.charCodeAt(k) === 58 && text.charCodeAt(k + 1) === 32) return k;
    }
    return text.charCodeAt(end - 1) === 58 ? end - 1 : -1;
  }

  /**
   * A block map whose first key starts at `firstStart` on line `this.i`, its keys at column `column`.
   * A blank line before a key marks the key; before the first key, the map (unless `firstMarked` elsewhere).
   */
  private parseMap(column: number, firstStart: number, firstMarked = false): YAMLMap {
    const text = this.text;
    if (++this.depth > MAX_DEPTH) throw DECLINED;
    const map = makeMap();
    // Duplicate keys are `yaml` errors: declined. A list is cheapest for the usual few keys, a set for many.
    const keys: string[] = [];
    let manyKeys: Set<string> | undefined;
    let start = firstStart;
    let mapStart = -1;
    let mapEnd = 0;
    for (;;) {
      const line = this.lines[this.i];
      const colon = this.keyColon(start, line.end);
      if (colon <= start) throw DECLINED;
      const keySource = text.slice(start, colon);
      if (INDICATORS.has(keySource[0]) || keySource.endsWith(' ') || keySource.includes(' #')) throw DECLINED;
      const keyValue = resolvePlain(keySource);
      if (typeof keyValue !== 'string') throw DECLINED;
      if (manyKeys) {
        if (manyKeys.has(keyValue)) throw DECLINED;
        manyKeys.add(keyValue);
      } else {
        if (keys.includes(keyValue)) throw DECLINED;
        keys.push(keyValue);
        if (keys.length > 32) manyKeys = new Set(keys);
      }
      const key = makeScalar(keyValue, keySource, 'PLAIN', [start, colon, colon]);
      if (line.blankBefore) {
        if (mapStart >= 0) key.spaceBefore = true;
        else if (!firstMarked) map.spaceBefore = true;
      }
      if (mapStart < 0) mapStart = start;
      let value: Scalar | YAMLMap | YAMLSeq;
      if (colon + 1 === line.end) {
        this.i++;
        const nextLine = this.lines[this.i];
        if (nextLine && nextLine.indent > column) {
          value = this.parseBlock(nextLine.indent, nextLine.start);
        } else if (nextLine && nextLine.indent === column && this.isSeqItem(nextLine.start, nextLine.end)) {
          value = this.parseSeq(column);
        } else {
          // An empty value ending the document or followed by a blank line: `yaml` ranges and marks differ there.
          if (!nextLine || nextLine.blankBefore) throw DECLINED;
          value = makeScalar(null, '', 'PLAIN', [colon + 1, colon + 1, colon + 1]);
        }
      } else {
        let p = colon + 2;
        while (p < line.end && text.charCodeAt(p) === 32) p++;
        if (p === line.end) throw DECLINED; // `key:` followed by spaces only
        value = this.parseScalar(p, line);
        this.i++;
        const nextLine = this.lines[this.i];
        if (nextLine && nextLine.indent > column) throw DECLINED; // a continuation line or bad indentation
      }
      map.items.push(makePair(key, value));
      mapEnd = (value.range as [number, number, number])[2];
      const nextLine = this.lines[this.i];
      if (!nextLine || nextLine.indent !== column) break;
      if (this.isSeqItem(nextLine.start, nextLine.end)) break;
      start = nextLine.start;
    }
    const nextLine = this.lines[this.i];
    if (nextLine && nextLine.indent > column) throw DECLINED;
    map.range = [mapStart, mapEnd, mapEnd];
    this.depth--;
    return map;
  }

  /** A block map or list starting on line `this.i` at `start`, with its items at `column`. */
  private parseBlock(column: number, start: number): YAMLMap | YAMLSeq {
    const line = this.lines[this.i];
    if (this.isSeqItem(start, line.end)) return this.parseSeq(column);
    return this.parseMap(column, start);
  }

  private parseSeq(column: number): YAMLSeq {
    const text = this.text;
    if (++this.depth > MAX_DEPTH) throw DECLINED;
    const seq = makeSeq();
    const seqStart = this.lines[this.i].start;
    let seqEnd = 0;
    for (;;) {
      const line = this.lines[this.i];
      let p = line.start + 2;
      while (p < line.end && text.charCodeAt(p) === 32) p++;
      if (p === line.end) throw DECLINED;
      let item: Scalar | YAMLMap;
      const firstItem = seq.items.length === 0;
      if (firstItem && line.blankBefore) seq.spaceBefore = true;
      if (this.isSeqItem(p, line.end)) throw DECLINED; // `- - x`
      if (this.keyColon(p, line.end) > 0) {
        item = this.parseMap(p - (line.start - line.indent), p, firstItem);
      } else {
        item = this.parseScalar(p, line);
        if (line.blankBefore && !firstItem) item.spaceBefore = true;
        this.i++;
        const nextLine = this.lines[this.i];
        if (nextLine && nextLine.indent > column) throw DECLINED;
      }
      seq.items.push(item);
      seqEnd = (item.range as [number, number, number])[2];
      const nextLine = this.lines[this.i];
      if (!nextLine || nextLine.indent !== column || !this.isSeqItem(nextLine.start, nextLine.end)) break;
    }
    const nextLine = this.lines[this.i];
    if (nextLine && nextLine.indent > column) throw DECLINED;
    seq.range = [seqStart, seqEnd, seqEnd];
    this.depth--;
    return seq;
  }

  /** A one-line scalar from `p` to the end of `line`. */
  private parseScalar(p: number, line: Line): Scalar {
    const text = this.text;
    const c = text[p];
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, p + 1);
      if (close < 0 || close >= line.end) throw DECLINED;
      const inner = text.slice(p + 1, close);
      if ((c === '"' && inner.includes('\\')) || (c === "'" && text.charCodeAt(close + 1) === 39)) throw DECLINED;
      for (let k = close + 1; k < line.end; k++) if (text.charCodeAt(k) !== 32) throw DECLINED;
      return makeScalar(inner, inner, c === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE', [p, close + 1, line.next]);
    }
    // `-` may start a plain scalar when a non-space follows (`-4`); other indicators are declined.
    if (INDICATORS.has(c) && !(c === '-' && p + 1 < line.end && text.charCodeAt(p + 1) !== 32)) throw DECLINED;
    let valueEnd = line.end;
    while (text.charCodeAt(valueEnd - 1) === 32) valueEnd--;
    const source = text.slice(p, valueEnd);
    if (source.includes(': ') || source.includes(' #') || source.endsWith(':')) throw DECLINED;
    return makeScalar(resolvePlain(source), source, 'PLAIN', [p, valueEnd, line.next]);
  }
}

/**
 * Parses `text` (one document, optionally opened by a `---` line) when it is plain block YAML with a
 * mapping at its root; `undefined` means "not sure": parse it with `yaml` instead.
 */
export function parseBlockYaml(text: string, options: ParseOptions & DocumentOptions & SchemaOptions): Document.Parsed | undefined {
  if (text.includes('\t') || text.includes('\r') || text.includes('\uFEFF')) return undefined;
  let first = 0;
  const marker = text.startsWith('---') && (text.length === 3 || text.charCodeAt(3) === 10);
  if (marker) first = text.length === 3 ? 3 : 4;
  try {
    const parser = new BlockParser(text, first);
    const root = parser.parseRoot();
    const end = (root.range as [number, number, number])[2];
    const comment = parser.trailingComment;
    const tail = comment !== undefined || parser.trailingBlank ? text.length : end;
    return makeDocument(options, root, [0, end, tail], marker, comment ?? null);
  } catch (e) {
    if (e instanceof Declined) return undefined;
    throw e;
  }
}
