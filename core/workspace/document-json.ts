// The plain JSON of an analysed YAML document, computed once per analysis and shared by the build model.
// Aliases are bounded (an alias bomb yields no JSON rather than a hang); never throws.
import type { DocumentResult } from '../manifests/document-analyzer';
import { isJsonObject, type JsonObject } from './json-patches';

const cache = new WeakMap<DocumentResult, JsonObject | null>();

/** The document's root mapping as JSON, or undefined (not a mapping, syntax errors, too many aliases). */
export function documentJson(result: DocumentResult): JsonObject | undefined {
  const hit = cache.get(result);
  if (hit !== undefined) return hit ?? undefined;
  let value: JsonObject | null = null;
  const doc = result.parsed?.doc;
  if (doc && doc.errors.length === 0) {
    try {
      const js = doc.toJS({ maxAliasCount: 100 }) as unknown;
      if (isJsonObject(js)) value = js;
    } catch {
      value = null;
    }
  }
  cache.set(result, value);
  return value ?? undefined;
}

/** A string field of a JSON object by dotted keys. */
export function stringAtPath(value: unknown, ...keys: string[]): string | undefined {
  let current: unknown = value;
  for (const key of keys) {
    if (!isJsonObject(current)) return undefined;
    current = current[key];
  }
  return typeof current === 'string' ? current : typeof current === 'number' || typeof current === 'boolean' ? String(current) : undefined;
}

/** An object field of a JSON object by dotted keys. */
export function objectAtPath(value: unknown, ...keys: string[]): JsonObject | undefined {
  let current: unknown = value;
  for (const key of keys) {
    if (!isJsonObject(current)) return undefined;
    current = current[key];
  }
  return isJsonObject(current) ? current : undefined;
}
