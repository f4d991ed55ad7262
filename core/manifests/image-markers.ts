// Finds image-automation setter markers (`# {"$imagepolicy": "<namespace>:<name>[:tag|:name|:digest]"}`) in the text of
// one YAML document, as image-automation-controller reads them: the field on the marker's line, the policy it names. No lookups.
import type { FluxDiagnostic } from '../diagnostic';
import type { Range } from '../text-range';
import type { DocumentResult } from './document-analyzer';
import type { ObjectReference } from './object-types';

/** What a marker writes: the whole image reference (no suffix), or its tag, name or digest. */
export type MarkerPart = 'image' | 'tag' | 'name' | 'digest';

export interface ImageMarker {
  namespace: string;
  name: string;
  part: MarkerPart;
  /** The setter text as written, e.g. `flux-system:podinfo:tag`. */
  setter: string;
  /** The field's current value, unquoted. */
  value: string;
  /** Range of the value without its quotes (what a rewrite replaces); document-relative until placed. */
  valueRange: Range;
  /** Whether the value is quoted (its closing quote follows valueRange). */
  quoted: boolean;
  /** Range of the setter string inside the comment. */
  markerRange: Range;
}

const TOKEN = '$imagepolicy';
const MARKER_LIKE = /\{\s*["']?\$imagepolicy/;
const SETTER = /^([^:\s]+):([^:\s]+)(?::(tag|name|digest))?$/;

/** Offset where the line's comment starts (`#` at the start or after whitespace, outside quotes), or -1. */
function commentStart(line: string): number {
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote === '"') {
      if (ch === '\\') i++;
      else if (ch === '"') quote = undefined;
    } else if (quote === "'") {
      if (ch === "'") quote = undefined;
    } else if (ch === '"' || ch === "'") {
      // A quote opens a scalar only where a value may start (after `: `, `- ` or at the line's content start).
      const before = line.slice(0, i).trimEnd();
      if (before === '' || before.endsWith(':') || before.endsWith('-') || before.endsWith('[') || before.endsWith(',')) quote = ch;
    } else if (ch === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) return i;
  }
  return -1;
}

/** The scalar value on the line before the comment: `key: value`, `- value` or `- key: value`. */
function valueBefore(content: string): { text: string; start: number; quoted: boolean } | undefined {
  const trimmed = content.trimEnd();
  let start = trimmed.length - trimmed.trimStart().length;
  while (trimmed.startsWith('- ', start) || trimmed === '-') start += 2;
  while (trimmed[start] === ' ') start++;
  const rest = trimmed.slice(start);
  // A key: a quoted key or plain text up to the first `: `.
  const keyMatch = /^(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s"'#][^#]*?)[ \t]*:(?:[ \t]+|$)/.exec(rest);
  const valueStart = keyMatch ? start + keyMatch[0].length : start;
  const raw = trimmed.slice(valueStart);
  if (raw === '' || raw === '|' || raw === '>' || raw.startsWith('{') || raw.startsWith('[') || raw.startsWith('&') || raw.startsWith('*')) return undefined;
  const quoted = (raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2) || (raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2);
  if (quoted) return { text: raw.slice(1, -1), start: valueStart + 1, quoted: true };
  return { text: raw, start: valueStart, quoted: false };
}

/** The `$imagepolicy` value of a comment body, or why Flux would not read it. */
function readComment(body: string): { setter: string; offset: number } | { problem: string } {
  if (!body.includes(`"${TOKEN}"`)) {
    return { problem: `Write the key as "${TOKEN}" in double quotes: image-automation-controller only reads files where the quoted key appears, and parses the comment as a JSON object.` };
  }
  // kyaml's fieldmeta reads the comment with Go's json.Unmarshal into map[string]string: strict JSON, string values only.
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { problem: `The marker comment must be only a JSON object such as {"${TOKEN}": "flux-system:podinfo"}; this one is not valid JSON, so Flux ignores it.` };
  }
  const values = parsed as Record<string, unknown>;
  const setter = values[TOKEN];
  if (typeof setter !== 'string') return { problem: `The value of "${TOKEN}" must be a string "<namespace>:<name>" (optionally ending in :tag, :name or :digest).` };
  if (Object.values(values).some((v) => typeof v !== 'string'))
    return { problem: 'Every value in the marker object must be a string (Flux reads it as a map of strings), or Flux ignores the marker.' };
  const at = body.indexOf(setter, body.indexOf(`"${TOKEN}"`) + TOKEN.length + 2);
  return { setter, offset: at >= 0 ? at : body.indexOf(TOKEN) };
}

function lineRange(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

export interface MarkerScan {
  markers: ImageMarker[];
  diagnostics: FluxDiagnostic[];
}

/** Every marker of a document's text (document-relative ranges) and an error for each malformed one. */
export function scanImageMarkers(text: string): MarkerScan {
  const out: MarkerScan = { markers: [], diagnostics: [] };
  if (!text.includes(TOKEN)) return out;
  const lines = text.split('\n');
  lines.forEach((rawLine, lineNo) => {
    if (!rawLine.includes(TOKEN)) return;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const hash = commentStart(line);
    // Prose that merely mentions the token is not a marker; an object naming it is one (well-formed or not).
    if (hash < 0 || !MARKER_LIKE.test(line.slice(hash))) return;
    // Go trims every leading `#` (so `## {...}` is read too), then JSON allows the whitespace.
    const afterHashes = hash + (/^#+/.exec(line.slice(hash))?.[0].length ?? 1);
    const bodyStart = afterHashes + (line.slice(afterHashes).length - line.slice(afterHashes).trimStart().length);
    const body = line.slice(bodyStart).trimEnd();
    const commentRange = lineRange(lineNo, hash, line.trimEnd().length);
    const malformed = (message: string, range = commentRange): void => {
      out.diagnostics.push({ severity: 'error', code: 'image-marker-malformed', message, range });
    };
    const read = readComment(body);
    if ('problem' in read) return malformed(read.problem);
    const markerRange = lineRange(lineNo, bodyStart + read.offset, bodyStart + read.offset + read.setter.length);
    const m = SETTER.exec(read.setter);
    if (!m) {
      const hint = read.setter.includes('/') ? ' Separate namespace and name with a colon, not a slash.' : !read.setter.includes(':') ? ' It needs the namespace: "<namespace>:<name>".' : '';
      return malformed(`"${read.setter}" names no image policy setter: Flux defines "<namespace>:<name>" and the same with ":tag", ":name" or ":digest".${hint}`, markerRange);
    }
    const value = valueBefore(line.slice(0, hash));
    // A `{{ … }}` placeholder is a template's text, not a scalar Flux could set: nothing to read or report.
    if (!value && line.slice(0, hash).includes('{{')) return;
    if (!value) return malformed('A marker must sit at the end of the line holding the scalar value it sets (e.g. `image: ghcr.io/org/app:1.0.0 # {...}`).', commentRange);
    out.markers.push({
      namespace: m[1]!,
      name: m[2]!,
      part: (m[3] as MarkerPart | undefined) ?? 'image',
      setter: read.setter,
      value: value.text,
      valueRange: lineRange(lineNo, value.start, value.start + value.text.length),
      quoted: value.quoted,
      markerRange,
    });
  });
  return out;
}

const MARKERS = new WeakMap<DocumentResult, ImageMarker[]>();

/** Adds a document's markers to its analysis: malformed-marker errors and an ImagePolicy reference per marker. */
export function withImageMarkers(result: DocumentResult): DocumentResult {
  // Most documents hold no marker: decide that from the text, before anything asks for the (re-parsed) tree.
  if (!result.text.includes(TOKEN)) return result;
  // A Helm/Go template is not YAML until rendered: the controller cannot read it, and neither do we.
  if (result.text.includes('{{') && result.parsed?.doc.errors.length) return result;
  const scan = scanImageMarkers(result.text);
  if (!scan.markers.length && !scan.diagnostics.length) return result;
  MARKERS.set(result, scan.markers);
  result.diagnostics.push(...scan.diagnostics);
  for (const marker of scan.markers) {
    const reference: ObjectReference = { kind: 'ImagePolicy', name: marker.name, namespace: marker.namespace, field: `$imagepolicy marker "${marker.setter}"`, range: marker.markerRange };
    result.references.push(reference);
  }
  return result;
}

/** The markers `withImageMarkers` found in a document (document-relative ranges). */
export function imageMarkersOf(result: DocumentResult): readonly ImageMarker[] {
  return MARKERS.get(result) ?? [];
}
