// A small JSON Schema (draft-07 subset charts use) validator over YAML values that keep their source ranges:
// type, properties, required, enum, const, additionalProperties, items, min/max, lengths, pattern, oneOf/anyOf/allOf, local $ref.
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { LineMap, Range } from '../text-range';

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

type Schema = Record<string, unknown> | boolean;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

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

function matchesType(node: ValueNode, type: string): boolean {
  const actual = typeOf(node);
  return actual === type || (type === 'number' && actual === 'integer');
}

function plain(node: ValueNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(plain);
  return Object.fromEntries(node.entries.map((e) => [e.key, plain(e.value)]));
}

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

export class SchemaValidator {
  private readonly patterns = new Map<string, RegExp | null>();

  constructor(private readonly root: Schema) {}

  validate(node: ValueNode): SchemaIssue[] {
    const issues: SchemaIssue[] = [];
    this.check(this.root, node, '', issues, 0);
    return issues;
  }

  private resolve(schema: Schema, depth: number): Schema {
    let current = schema;
    for (let i = 0; i < 16 && isRecord(current) && typeof current.$ref === 'string'; i++) {
      const ref = current.$ref as string;
      if (!ref.startsWith('#')) return true;
      let target: unknown = this.root;
      for (const part of ref.slice(1).split('/').filter(Boolean)) {
        target = isRecord(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
      }
      current = isRecord(target) || typeof target === 'boolean' ? (target as Schema) : true;
    }
    void depth;
    return current;
  }

  private regex(pattern: string): RegExp | null {
    if (!this.patterns.has(pattern)) {
      try {
        this.patterns.set(pattern, new RegExp(pattern, 'u'));
      } catch {
        this.patterns.set(pattern, null);
      }
    }
    return this.patterns.get(pattern)!;
  }

  private check(schemaIn: Schema, node: ValueNode, path: string, issues: SchemaIssue[], depth: number): void {
    if (depth > 64) return;
    const schema = this.resolve(schemaIn, depth);
    const label = path || 'values';
    const report = (message: string, range = node.range): void => void issues.push({ message: `${label}: ${message}`, range, path: label });
    if (schema === true) return;
    if (schema === false) return report('no value is allowed here.');
    const types = typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type.filter((t): t is string => typeof t === 'string') : [];
    if (types.length && !types.some((t) => matchesType(node, t))) return report(`expected ${types.join(' or ')}, got ${typeOf(node)}.`);
    if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(plain(node)))) {
      report(`must be one of ${schema.enum.map(show).join(', ')}.`);
    }
    if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(plain(node))) report(`must be ${show(schema.const)}.`);
    if (node.kind === 'scalar') this.checkScalar(schema, node, report);
    if (node.kind === 'map') this.checkMap(schema, node, path, issues, depth, report);
    if (node.kind === 'seq') {
      if (typeof schema.minItems === 'number' && node.items.length < schema.minItems) report(`needs at least ${schema.minItems} items.`);
      if (typeof schema.maxItems === 'number' && node.items.length > schema.maxItems) report(`allows at most ${schema.maxItems} items.`);
      const items = schema.items;
      node.items.forEach((item, i) => {
        const itemSchema = Array.isArray(items) ? (items[i] as Schema | undefined) : (items as Schema | undefined);
        if (itemSchema !== undefined) this.check(itemSchema, item, `${label}[${i}]`, issues, depth + 1);
      });
    }
    if (Array.isArray(schema.allOf)) for (const s of schema.allOf) this.check(s as Schema, node, path, issues, depth + 1);
    for (const keyword of ['anyOf', 'oneOf'] as const) {
      const options = schema[keyword];
      if (!Array.isArray(options) || options.length === 0) continue;
      const passing = options.filter((s) => {
        const sub: SchemaIssue[] = [];
        this.check(s as Schema, node, path, sub, depth + 1);
        return sub.length === 0;
      }).length;
      if (passing === 0) report(`matches none of the ${options.length} allowed shapes (${keyword}).`);
      else if (keyword === 'oneOf' && passing > 1) report(`matches ${passing} of the oneOf shapes; exactly one is allowed.`);
    }
  }

  private checkScalar(schema: Record<string, unknown>, node: Extract<ValueNode, { kind: 'scalar' }>, report: (m: string) => void): void {
    const v = node.value;
    if (typeof v === 'number') {
      if (typeof schema.minimum === 'number' && v < schema.minimum) report(`must be at least ${schema.minimum}.`);
      if (typeof schema.maximum === 'number' && v > schema.maximum) report(`must be at most ${schema.maximum}.`);
      if (typeof schema.exclusiveMinimum === 'number' && v <= schema.exclusiveMinimum) report(`must be greater than ${schema.exclusiveMinimum}.`);
      if (typeof schema.exclusiveMaximum === 'number' && v >= schema.exclusiveMaximum) report(`must be less than ${schema.exclusiveMaximum}.`);
    }
    if (typeof v === 'string') {
      const length = [...v].length;
      if (typeof schema.minLength === 'number' && length < schema.minLength) report(`must be at least ${schema.minLength} characters long.`);
      if (typeof schema.maxLength === 'number' && length > schema.maxLength) report(`must be at most ${schema.maxLength} characters long.`);
      if (typeof schema.pattern === 'string') {
        const re = this.regex(schema.pattern);
        if (re && !re.test(v)) report(`must match the pattern ${schema.pattern}.`);
      }
    }
  }

  private checkMap(schema: Record<string, unknown>, node: Extract<ValueNode, { kind: 'map' }>, path: string, issues: SchemaIssue[], depth: number, report: (m: string, r?: Range) => void): void {
    const properties = isRecord(schema.properties) ? schema.properties : {};
    const present = new Set(node.entries.map((e) => e.key));
    if (Array.isArray(schema.required)) {
      for (const key of schema.required) if (typeof key === 'string' && !present.has(key)) report(`the key "${key}" is required.`);
    }
    const patternProps = isRecord(schema.patternProperties) ? Object.entries(schema.patternProperties) : [];
    for (const entry of node.entries) {
      const childPath = path ? `${path}.${entry.key}` : entry.key;
      const own = properties[entry.key] as Schema | undefined;
      const byPattern = patternProps.filter(([p]) => this.regex(p)?.test(entry.key)).map(([, s]) => s as Schema);
      if (own !== undefined) this.check(own, entry.value, childPath, issues, depth + 1);
      for (const s of byPattern) this.check(s, entry.value, childPath, issues, depth + 1);
      if (own === undefined && byPattern.length === 0) {
        const extra = schema.additionalProperties;
        if (extra === false) report(`the key "${entry.key}" is not allowed here.`, entry.keyRange);
        else if (isRecord(extra)) this.check(extra, entry.value, childPath, issues, depth + 1);
      }
    }
  }
}

export function validateValues(schema: unknown, node: ValueNode): SchemaIssue[] {
  if (!isRecord(schema) && typeof schema !== 'boolean') return [];
  return new SchemaValidator(schema).validate(node);
}
