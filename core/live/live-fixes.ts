// Builds the quick-fix edits of the live diagnostics as plain text edits: update a tag, widen a range,
// pin a digest, remove an ignored ref field. Works on the file text and model ranges; decides nothing about when.
import type { Fix } from '../diagnostic';
import type { Located, OCIRepositoryModel } from '../manifests/object-types';
import type { Position, Range, TextEdit } from '../text-range';
import type { FluxVersion } from '../versions/flux-version';

function lineOf(text: string, line: number): string {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return '';
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
}

function charAt(text: string, position: Position): string {
  return lineOf(text, position.line).charAt(position.character);
}

/** A YAML scalar for `value`, keeping the quote style of the node it replaces; quotes what YAML would misread. */
export function yamlScalar(value: string, previousQuote: string | undefined): string {
  if (previousQuote === "'") return `'${value.replace(/'/g, "''")}'`;
  if (
    previousQuote === '"' ||
    !/^[A-Za-z0-9_~^][A-Za-z0-9._+:~^-]*$/.test(value) ||
    /^[-+]?(\d[\d_]*\.?[\d_]*|\.\d+)([eE][-+]?\d+)?$/.test(value) ||
    /^0[xo]/i.test(value) ||
    /^(true|false|null|yes|no|on|off)$/i.test(value)
  ) {
    return JSON.stringify(value);
  }
  return value;
}

export function replaceValueEdit(text: string, located: Located<string>, value: string): TextEdit {
  const quote = charAt(text, located.range.start);
  return { range: located.range, newText: yamlScalar(value, quote === '"' || quote === "'" ? quote : undefined) };
}

export function updateTagFix(text: string, tag: Located<string>, newest: string): Fix {
  return { title: `Update the tag to ${newest}`, isPreferred: true, edits: [replaceValueEdit(text, tag, newest)] };
}

/** A range that keeps the current minor line (when known) and reaches the newest version's major. */
export function widenedRange(current: FluxVersion | undefined, newest: FluxVersion): string {
  const lower = current && current.major <= newest.major ? `${current.major}.${current.minor}.0` : `${newest.major}.0.0`;
  return `>=${lower} <${newest.major + 1n}.0.0`;
}

export function widenRangeFix(text: string, semver: Located<string>, range: string, newest: string): Fix {
  return { title: `Widen the range to ${range} (includes ${newest})`, edits: [replaceValueEdit(text, semver, range)] };
}

function endOfLine(text: string, line: number): Position {
  return { line, character: lineOf(text, line).length };
}

/** Sets `spec.ref.digest` (replacing it, or adding it under `ref`, or adding a `ref` after `url`). */
export function pinDigestFix(text: string, model: OCIRepositoryModel, digest: string): Fix | undefined {
  const title = `Pin to the resolved digest ${digest.slice(0, 19)}…`;
  const ref = model.ref;
  if (ref?.digest) return { title, edits: [replaceValueEdit(text, ref.digest, digest)] };
  const fields = [ref?.tag, ref?.semver, ref?.semverFilter].filter((f): f is Located<string> => f !== undefined);
  if (ref && fields.length > 0) {
    const keyStart = fields[0]!.keyRange?.start ?? fields[0]!.range.start;
    const indent = ' '.repeat(keyStart.character);
    const lastLine = Math.max(...fields.map((f) => f.range.end.line));
    return { title, edits: [{ range: { start: endOfLine(text, lastLine), end: endOfLine(text, lastLine) }, newText: `\n${indent}digest: ${digest}` }] };
  }
  if (!ref && model.url?.keyRange) {
    const indent = ' '.repeat(model.url.keyRange.start.character);
    const at = endOfLine(text, model.url.range.end.line);
    return { title, edits: [{ range: { start: at, end: at }, newText: `\n${indent}ref:\n${indent}  digest: ${digest}` }] };
  }
  return undefined;
}

/** Deletes a `key: value` line (from the key's line start to the next line's start). */
export function removeFieldFix(text: string, field: Located<string>, label: string): Fix | undefined {
  const start = field.keyRange?.start;
  if (!start) return undefined;
  if (lineOf(text, start.line).slice(0, start.character).trim() !== '') return undefined;
  const endLine = field.range.end.line;
  const range: Range = { start: { line: start.line, character: 0 }, end: { line: endLine + 1, character: 0 } };
  return { title: `Remove the ignored ${label}`, edits: [{ range, newText: '' }] };
}
