// Splits a YAML file into documents on `---` lines and parses each one on its own (fast block parser,
// else the `yaml` library), so edits re-parse only the documents they touch. No Flux knowledge here.
import { Document, parseDocument } from 'yaml';
import { LineMap } from '../text-range';
import { parseBlockYaml } from './fast-block-yaml';
import { exceedsNestingDepth } from './nesting-depth';
import { resolveMergeKeys } from './yaml-merge-keys';

export interface DocumentChunk {
  /** The document's text, from its `---` line (if any) up to the next document's `---` line. */
  text: string;
  /** 0-based line of the chunk's first line in the file. */
  startLine: number;
}

export interface ParsedDocument {
  text: string;
  doc: Document.Parsed;
  lineMap: LineMap;
  /** Set when the document was not parsed (too deeply nested) or its merge keys were left unresolved (too large). */
  tooComplex?: 'nesting' | 'merges';
}

/** Documents bigger than this are not parsed (a bounded-time guard for huge generated files). */
export const MAX_DOCUMENT_CHARS = 2_000_000;

/** Options that keep hostile input bounded: no alias expansion, no custom tags executed. */
const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true, maxAliasCount: 100, keepSourceTokens: false } as const;

/** True when a `---` document-start marker begins at `lineStart` (which must be a line start). */
export function isDocumentStart(text: string, lineStart: number): boolean {
  if (text.charCodeAt(lineStart) !== 45 || text.charCodeAt(lineStart + 1) !== 45 || text.charCodeAt(lineStart + 2) !== 45) return false;
  const next = text.charCodeAt(lineStart + 3);
  return Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13;
}

/** True when the line holds YAML content (not blank, a comment, a directive or a `...` end marker). */
function isContentLine(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13) continue;
    if (c === 35 /* # */) return false;
    if (i === start && c === 37 /* % */) return false;
    if (i === start && text.startsWith('...', i)) return false;
    return true;
  }
  return false;
}

/**
 * Splits on document-start lines. A `---` always starts a document in YAML (even inside a block
 * scalar), so this matches the parser; leading comment/directive-only lines join the next document.
 */
export function splitYamlDocuments(text: string): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  let chunkStart = 0;
  let chunkStartLine = 0;
  let chunkHasContent = false;
  let chunkHasMarker = false;
  let line = 0;
  let pos = 0;
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    if (isDocumentStart(text, pos)) {
      if (chunkHasContent || chunkHasMarker) {
        chunks.push({ text: text.slice(chunkStart, pos), startLine: chunkStartLine });
        chunkStart = pos;
        chunkStartLine = line;
        chunkHasContent = false;
      }
      chunkHasMarker = true;
      // Content after the marker on the same line (`--- !tag` or `--- {a: 1}`) counts as content.
      if (isContentLine(text, pos + 3, end)) chunkHasContent = true;
    } else if (!chunkHasContent && isContentLine(text, pos, end)) {
      chunkHasContent = true;
    }
    if (nl < 0) break;
    pos = nl + 1;
    line++;
  }
  if (chunkStart < text.length || chunks.length === 0) {
    chunks.push({ text: text.slice(chunkStart), startLine: chunkStartLine });
  }
  return chunks;
}

/**
 * True when a chunk, split on its own, would also end at the next `---` inside a larger text: it starts
 * with a marker or holds content (a comment-only chunk without a marker joins the following document).
 */
export function chunkClosesAtNextMarker(chunkText: string): boolean {
  if (isDocumentStart(chunkText, 0)) return true;
  let pos = 0;
  while (pos < chunkText.length) {
    const nl = chunkText.indexOf('\n', pos);
    const end = nl < 0 ? chunkText.length : nl;
    if (isContentLine(chunkText, pos, end)) return true;
    pos = end + 1;
  }
  return false;
}

/** `yaml`'s composer is recursive: a stack overflow it caught is an error of the document, never a syntax error. */
function overflowedStack(doc: Document.Parsed): boolean {
  return doc.errors.some((e) => e.message.includes('Maximum call stack size exceeded'));
}

/** An empty parsed document standing in for one that was not parsed. */
function unparsedDocument(): Document.Parsed {
  return new Document(null, PARSE_OPTIONS) as unknown as Document.Parsed;
}

/**
 * Parses one document: plain block YAML (most manifests) takes the fast path, everything else the full
 * `yaml` parser unless it nests too deeply for it. Merge keys are then resolved as kubectl does.
 */
export function parseChunk(text: string): ParsedDocument {
  let doc = parseBlockYaml(text, PARSE_OPTIONS);
  if (!doc) {
    if (exceedsNestingDepth(text)) return { text, doc: unparsedDocument(), lineMap: new LineMap(text), tooComplex: 'nesting' };
    doc = parseDocument(text, PARSE_OPTIONS);
    if (overflowedStack(doc)) return { text, doc: unparsedDocument(), lineMap: new LineMap(text), tooComplex: 'nesting' };
  }
  const parsed: ParsedDocument = { text, doc, lineMap: new LineMap(text) };
  if (resolveMergeKeys(doc, text).tooLarge) parsed.tooComplex = 'merges';
  return parsed;
}
