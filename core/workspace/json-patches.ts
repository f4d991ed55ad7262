// Applies patches to plain JSON objects as kustomize does to custom resources: strategic merge on a CRD is a
// JSON merge patch (RFC 7386), and RFC 6902 operations. Returns new values; never mutates its inputs.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7386: objects merge key by key, null deletes, anything else (arrays included) replaces. */
export function mergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return patch;
  const out: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    // `$patch: delete|replace` directives of strategic merge have no meaning in a JSON merge: skip them.
    if (key === '$patch' || key.startsWith('$setElementOrder/') || key === '$retainKeys' || key === '$deleteFromPrimitiveList') continue;
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

export interface JsonPatchOperation {
  op: string;
  path: string;
  value?: JsonValue;
  from?: string;
}

function pointerTokens(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function clone(value: JsonValue): JsonValue {
  return value === null || typeof value !== 'object' ? value : (JSON.parse(JSON.stringify(value)) as JsonValue);
}

function getAt(doc: JsonValue, tokens: readonly string[]): JsonValue | undefined {
  let current: JsonValue | undefined = doc;
  for (const token of tokens) {
    if (Array.isArray(current)) current = current[Number(token)];
    else if (isJsonObject(current)) current = Object.prototype.hasOwnProperty.call(current, token) ? current[token] : undefined;
    else return undefined;
  }
  return current;
}

/** Sets, inserts or removes at the parent of the last token; false when the path does not exist. */
function editAt(doc: JsonValue, tokens: readonly string[], edit: { kind: 'add' | 'replace' | 'remove'; value?: JsonValue }): boolean {
  const parent = getAt(doc, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) return false;
    if (edit.kind === 'add') parent.splice(index, 0, edit.value!);
    else if (index >= parent.length) return false;
    else if (edit.kind === 'replace') parent[index] = edit.value!;
    else parent.splice(index, 1);
    return true;
  }
  if (!isJsonObject(parent)) return false;
  if (edit.kind !== 'add' && !Object.prototype.hasOwnProperty.call(parent, last)) return false;
  if (edit.kind === 'remove') delete parent[last];
  else parent[last] = edit.value!;
  return true;
}

/** RFC 6902 on a copy of `doc`. An operation that cannot apply stops the patch: kustomize fails the build then. */
export function applyJsonPatch(doc: JsonValue, operations: readonly JsonPatchOperation[]): { ok: true; value: JsonValue } | { ok: false; message: string } {
  let out = clone(doc);
  for (const op of operations) {
    const tokens = pointerTokens(op.path);
    if (!tokens) return { ok: false, message: `"${op.path}" is not a JSON pointer` };
    if (tokens.length === 0) {
      if (op.op === 'add' || op.op === 'replace') out = clone(op.value ?? null);
      continue;
    }
    let ok = true;
    switch (op.op) {
      case 'add':
      case 'replace':
        ok = editAt(out, tokens, { kind: op.op, value: clone(op.value ?? null) });
        break;
      case 'remove':
        ok = editAt(out, tokens, { kind: 'remove' });
        break;
      case 'copy':
      case 'move': {
        const fromTokens = op.from === undefined ? undefined : pointerTokens(op.from);
        const value = fromTokens && getAt(out, fromTokens);
        ok = value !== undefined && (op.op === 'copy' || editAt(out, fromTokens!, { kind: 'remove' })) && editAt(out, tokens, { kind: 'add', value: clone(value) });
        break;
      }
      case 'test':
        ok = JSON.stringify(getAt(out, tokens)) === JSON.stringify(op.value);
        break;
      default:
        return { ok: false, message: `unknown operation "${op.op}"` };
    }
    if (!ok) return { ok: false, message: `${op.op} ${op.path} does not apply` };
  }
  return { ok: true, value: out };
}
