// Structural validation of a YAML node against a generated CRD schema node: types, enums, required,
// patterns, bounds and unknown fields, each with the exact range. Flux-specific rules live elsewhere.
import type { Node, Pair } from 'yaml';
import type { FluxDiagnostic } from '../diagnostic';
import type { LineMap, Range } from '../text-range';
import type { DiagnosticCode } from './diagnostic-codes';
import { closestMatch } from './edit-distance';
import type { SchemaNode } from './schema-node';
import { isAlias, isMap, isPlaceholderValue, isScalar, isSeq, isTemplatePlaceholderNode, keyText, rangeOfNode } from './yaml-ast';
import { compileRe2, type Re2Pattern } from '../versions/re2-regexp';

/** A diagnostic with the dotted path it concerns, so rules can take over specific paths. */
export interface PathDiagnostic {
  path: string;
  diagnostic: FluxDiagnostic;
}

export interface SchemaCheckOptions {
  lineMap: LineMap;
  /** Skip "required" checks (Kustomize patches are partial objects). */
  skipRequired?: boolean;
}

const DURATION_PATTERNS = new Set(['^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$', '^([0-9]+(\\.[0-9]+)?(ms|s|m))+$']);
const YAML11_BOOLEANS = new Set(['yes', 'no', 'on', 'off', 'y', 'n', 'Yes', 'No', 'On', 'Off', 'YES', 'NO', 'ON', 'OFF', 'True', 'False', 'TRUE', 'FALSE']);
const regexCache = new Map<string, Re2Pattern | null>();

/** CRD patterns are checked by the API server with Go's RE2, so they are matched by the same engine here. */
function compilePattern(pattern: string): Re2Pattern | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = compileRe2(pattern);
    } catch {
      re = null;
    }
    regexCache.set(pattern, re);
  }
  return re;
}

function describeType(schema: SchemaNode): string {
  if (schema.intOrString) return 'an integer or a string';
  switch (schema.type) {
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'string':
      return 'a string';
    case 'integer':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    default:
      return 'a value';
  }
}

function describeNode(node: Node): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string') return 'a string';
    if (typeof v === 'number' || typeof v === 'bigint') return 'a number';
    if (typeof v === 'boolean') return 'a boolean';
  }
  return 'a value';
}

export function joinPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

class SchemaChecker {
  readonly out: PathDiagnostic[] = [];
  constructor(private readonly opts: SchemaCheckOptions) {}

  private add(path: string, code: DiagnosticCode, severity: FluxDiagnostic['severity'], message: string, range: Range): void {
    this.out.push({ path, diagnostic: { severity, code, message, range } });
  }

  check(node: Node | null | undefined, schema: SchemaNode, path: string, ownerRange: Range): void {
    if (!node || isAlias(node)) return;
    if (isScalar(node) && (node.value === null || node.value === undefined)) return;
    // `${VAR}` and `{{ template }}` values are known only after substitution or rendering.
    if (isScalar(node) && typeof node.value === 'string' && isPlaceholderValue(node.value)) return;
    if (isTemplatePlaceholderNode(node)) return;
    if (schema.preserveUnknown && !schema.properties) return;
    const range = rangeOfNode(node, this.opts.lineMap);
    const type = schema.type;
    if (schema.intOrString) {
      if (!isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'number')) {
        this.add(path, 'field-type', 'error', `${path} must be ${describeType(schema)}, not ${describeNode(node)}.`, range);
      }
      return;
    }
    if (type === 'object' || (!type && schema.properties)) {
      if (!isMap(node)) {
        this.add(path, 'field-type', 'error', `${path} must be a mapping, not ${describeNode(node)}.`, range);
        return;
      }
      this.checkMap(node, schema, path, ownerRange);
      return;
    }
    if (type === 'array') {
      if (!isSeq(node)) {
        this.add(path, 'field-type', 'error', `${path} must be a list, not ${describeNode(node)}.`, range);
        return;
      }
      this.checkCount(node.items.length, schema, path, range);
      if (schema.items) {
        node.items.forEach((item, i) => this.check(item as Node, schema.items as SchemaNode, `${path}[${i}]`, range));
      }
      return;
    }
    if (!type) return;
    if (!isScalar(node)) {
      this.add(path, 'field-type', 'error', `${path} must be ${describeType(schema)}, not ${describeNode(node)}.`, range);
      return;
    }
    this.checkScalar(node.value, schema, path, range);
  }

  private checkMap(node: import('yaml').YAMLMap, schema: SchemaNode, path: string, ownerRange: Range): void {
    const props = schema.properties ?? {};
    const present = new Set<string>();
    for (const item of node.items) {
      const pair = item as Pair;
      const key = keyText(pair);
      if (key === undefined) continue;
      present.add(key);
      const keyNode = pair.key as Node;
      const keyRange = rangeOfNode(keyNode, this.opts.lineMap);
      const childPath = joinPath(path, key);
      const sub = props[key] ?? schema.additionalProperties;
      if (sub) {
        this.check(pair.value as Node | null, sub, childPath, keyRange);
      } else if (!schema.preserveUnknown) {
        if (isPlaceholderValue(key)) continue;
        const suggestion = closestMatch(key, Object.keys(props));
        const known = Object.keys(props);
        const hint = suggestion ? ` Did you mean '${suggestion}'?` : known.length && known.length <= 8 ? ` Known fields: ${known.join(', ')}.` : '';
        this.add(childPath, 'field-unknown', 'warning', `Unknown field '${key}' in ${path || 'the object'}.${hint}`, keyRange);
      }
    }
    if (!this.opts.skipRequired) {
      for (const req of schema.required ?? []) {
        if (!present.has(req)) {
          this.add(joinPath(path, req), 'field-required', 'error', `${path} is missing the required field '${req}'.`, ownerRange);
        }
      }
    }
  }

  private checkCount(count: number, schema: SchemaNode, path: string, range: Range): void {
    if (schema.minItems !== undefined && count < schema.minItems) {
      this.add(path, 'field-bounds', 'error', `${path} needs at least ${schema.minItems} item(s).`, range);
    }
    if (schema.maxItems !== undefined && count > schema.maxItems) {
      this.add(path, 'field-bounds', 'error', `${path} allows at most ${schema.maxItems} item(s).`, range);
    }
  }

  private checkScalar(value: unknown, schema: SchemaNode, path: string, range: Range): void {
    const type = schema.type;
    if (type === 'boolean') {
      if (typeof value === 'boolean' || (typeof value === 'string' && YAML11_BOOLEANS.has(value))) return;
      this.add(path, 'field-type', 'error', `${path} must be true or false, not ${typeof value === 'string' ? 'a string' : 'a number'}.`, range);
      return;
    }
    if (type === 'integer' || type === 'number') {
      if (typeof value !== 'number' || (type === 'integer' && !Number.isInteger(value))) {
        this.add(path, 'field-type', 'error', `${path} must be ${describeType(schema)}${typeof value === 'string' ? ' (remove the quotes)' : ''}.`, range);
        return;
      }
      if (schema.minimum !== undefined && value < schema.minimum) this.add(path, 'field-bounds', 'error', `${path} must be at least ${schema.minimum}.`, range);
      if (schema.maximum !== undefined && value > schema.maximum) this.add(path, 'field-bounds', 'error', `${path} must be at most ${schema.maximum}.`, range);
      this.checkEnum(value, schema, path, range);
      return;
    }
    if (type === 'string') {
      if (typeof value !== 'string') {
        this.add(path, 'field-type', 'error', `${path} must be a string; quote the value so YAML does not read it as a ${typeof value}.`, range);
        return;
      }
      if (schema.enum && !this.checkEnum(value, schema, path, range)) return;
      if (schema.minLength !== undefined && value.length < schema.minLength) this.add(path, 'field-bounds', 'error', `${path} must not be shorter than ${schema.minLength} character(s).`, range);
      if (schema.maxLength !== undefined && value.length > schema.maxLength) this.add(path, 'field-bounds', 'error', `${path} must not be longer than ${schema.maxLength} characters.`, range);
      if (schema.pattern) {
        const re = compilePattern(schema.pattern);
        if (re && !re.test(value)) {
          if (DURATION_PATTERNS.has(schema.pattern)) {
            const units = schema.pattern.includes('|h') ? 'ms, s, m or h' : 'ms, s or m';
            this.add(path, 'duration-invalid', 'error', `${path} '${value}' is not a Go duration: use numbers with the units ${units}, e.g. 30s, 5m${units.includes('h') ? ' or 1h30m' : ''}.`, range);
          } else {
            this.add(path, 'field-pattern', 'error', `${path} '${value}' does not match the pattern ${schema.pattern}.`, range);
          }
        }
      }
    }
  }

  private checkEnum(value: string | number, schema: SchemaNode, path: string, range: Range): boolean {
    if (!schema.enum || schema.enum.includes(value)) return true;
    const options = schema.enum.map(String);
    const suggestion = typeof value === 'string' ? closestMatch(value, options) : undefined;
    this.add(path, 'field-enum', 'error', `${path} must be one of ${options.join(', ')}.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`, range);
    return false;
  }
}

/** Validates `node` (the value at `path`) against `schema`; ownerRange is where "missing field" errors go. */
export function checkAgainstSchema(node: Node | null | undefined, schema: SchemaNode, path: string, ownerRange: Range, opts: SchemaCheckOptions): PathDiagnostic[] {
  const checker = new SchemaChecker(opts);
  checker.check(node, schema, path, ownerRange);
  return checker.out;
}

/** The schema node at a dotted path (array indices and `[]` step into items). */
export function schemaAtPath(root: SchemaNode, path: readonly string[]): SchemaNode | undefined {
  let current: SchemaNode | undefined = root;
  for (const segment of path) {
    if (!current) return undefined;
    if (segment === '[]') {
      current = current.items;
      continue;
    }
    current = current.properties?.[segment] ?? current.additionalProperties;
  }
  return current;
}
