// Checks chart values (YAML with source ranges) against the chart's values.schema.json as Helm does, through the
// Ajv compiler in values-schema-compiler.ts, and maps each failure to a path, a range and one sentence.
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { ErrorObject } from 'ajv';
import type { LineMap, Range } from '../text-range';
import { compileValuesSchema } from './values-schema-compiler';

export type ValueNode =
  | { kind: 'map'; range: Range; entries: Array<{ key: string; keyRange: Range; value: ValueNode }> }
  | { kind: 'seq'; range: Range; items: ValueNode[] }
  | { kind: 'scalar'; range: Range; value: string | number | boolean | null };

export interface SchemaIssue {
  message: string;
  range: Range;
  /** Dotted path of the value, e.g. `image.tag` or `ports[0]`. */
  path: string;
}

function rangeOf(node: { range?: [number, number, number] | null } | null | undefined, lineMap: LineMap, lineOffset: number, fallback: Range): Range {
  if (!node?.range) return fallback;
  const r = lineMap.rangeOf(node.range[0], node.range[1]);
  return { start: { line: r.start.line + lineOffset, character: r.start.character }, end: { line: r.end.line + lineOffset, character: r.end.character } };
}

/** Converts a YAML AST node into a ValueNode with file ranges (document lineMap plus the document's first line). */
export function toValueNode(node: unknown, lineMap: LineMap, lineOffset = 0, fallback: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, depth = 0): ValueNode {
  const range = rangeOf(node as Node, lineMap, lineOffset, fallback);
  if (depth > 64) return { kind: 'scalar', range, value: null };
  if (isMap(node)) {
    const entries: Array<{ key: string; keyRange: Range; value: ValueNode }> = [];
    for (const item of node.items as Pair[]) {
      const key = isScalar(item.key) ? String(item.key.value) : undefined;
      if (key === undefined) continue;
      const keyRange = rangeOf(item.key as Node, lineMap, lineOffset, range);
      entries.push({ key, keyRange, value: toValueNode(item.value, lineMap, lineOffset, keyRange, depth + 1) });
    }
    return { kind: 'map', range, entries };
  }
  if (isSeq(node)) return { kind: 'seq', range, items: node.items.map((i) => toValueNode(i, lineMap, lineOffset, range, depth + 1)) };
  if (isScalar(node)) {
    const v = node.value;
    const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : typeof v === 'bigint' ? Number(v) : null;
    return { kind: 'scalar', range, value };
  }
  return { kind: 'scalar', range, value: null };
}

function typeOf(node: ValueNode): string {
  if (node.kind === 'map') return 'object';
  if (node.kind === 'seq') return 'array';
  const v = node.value;
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function plain(node: ValueNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(plain);
  return Object.fromEntries(node.entries.map((e) => [e.key, plain(e.value)]));
}

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

/** The node at a JSON pointer and its dotted label (`image.tag`, `ports[0]`); undefined when it is not there. */
function locate(root: ValueNode, pointer: string): { node: ValueNode; label: string } | undefined {
  let node = root;
  let label = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node.kind === 'seq') {
      const item = node.items[Number(part)];
      if (!item) return undefined;
      node = item;
      label = `${label}[${part}]`;
    } else if (node.kind === 'map') {
      const entry = node.entries.find((e) => e.key === part);
      if (!entry) return undefined;
      node = entry.value;
      label = label ? `${label}.${part}` : part;
    } else {
      return undefined;
    }
  }
  return { node, label: label || 'values' };
}

const COMPARISONS: Record<string, string> = { '>=': 'at least', '<=': 'at most', '>': 'greater than', '<': 'less than' };

/** One sentence for an Ajv error, in the words the Problems panel has always used. */
function sentence(error: ErrorObject, node: ValueNode): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return `expected ${String(p.type).split(',').join(' or ')}, got ${typeOf(node)}.`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map(show).join(', ')}.`;
    case 'const':
      return `must be ${show(p.allowedValue)}.`;
    case 'required':
      return `the key "${String(p.missingProperty)}" is required.`;
    case 'additionalProperties':
      return `the key "${String(p.additionalProperty)}" is not allowed here.`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${COMPARISONS[String(p.comparison)] ?? 'within'} ${String(p.limit)}.`;
    case 'minLength':
      return `must be at least ${String(p.limit)} characters long.`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters long.`;
    case 'pattern':
      return `must match the pattern ${String(p.pattern)}.`;
    case 'minItems':
      return `needs at least ${String(p.limit)} items.`;
    case 'maxItems':
      return `allows at most ${String(p.limit)} items.`;
    case 'false schema':
      return 'no value is allowed here.';
    case 'anyOf':
    case 'oneOf': {
      const shapes = Array.isArray(error.schema) ? error.schema.length : 0;
      const passing = Array.isArray(p.passingSchemas) ? p.passingSchemas.length : 0;
      return passing > 1 ? `matches ${passing} of the oneOf shapes; exactly one is allowed.` : `matches none of the ${shapes} allowed shapes (${error.keyword}).`;
    }
    default:
      return `${(error.message ?? 'is not valid').replace(/[.]$/, '')}.`;
  }
}

/** Drops the per-branch failures of an anyOf/oneOf that failed as a whole: its own sentence says it. */
function withoutBranchDetails(errors: ErrorObject[]): ErrorObject[] {
  const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => `${e.schemaPath}/`);
  if (combinators.length === 0) return errors;
  return errors.filter((e) => !combinators.some((prefix) => e.schemaPath.startsWith(prefix)));
}

/** The values' failures against `schema` (a chart's values.schema.json); [] when the schema cannot be used. */
export function validateValues(schema: unknown, node: ValueNode): SchemaIssue[] {
  const validate = compileValuesSchema(schema);
  if (!validate) return [];
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  for (const error of withoutBranchDetails(validate(plain(node)))) {
    const at = locate(node, error.instancePath);
    if (!at) continue;
    let range = at.node.range;
    if (error.keyword === 'additionalProperties' && at.node.kind === 'map') {
      const key = String((error.params as Record<string, unknown>).additionalProperty);
      range = at.node.entries.find((e) => e.key === key)?.keyRange ?? range;
    }
    const message = `${at.label}: ${sentence(error, at.node)}`;
    if (seen.has(message)) continue;
    seen.add(message);
    issues.push({ message, range, path: at.label });
  }
  return issues;
}
