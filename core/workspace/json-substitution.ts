// Flux's postBuild substitution over a whole object: every string (keys included) goes through the varsub rules;
// returns the new object and every expression met with its value and source. Never mutates its input.
import { substituteVariables, type SubstitutionUse, type VariableLookup } from './flux-varsub';
import type { JsonObject, JsonValue } from './json-patches';

export interface JsonSubstitution {
  value: JsonObject;
  uses: SubstitutionUse[];
}

/** Strings kustomize writes as plain YAML scalars (no quotes): only those can change type after substitution. */
const PLAIN_SAFE = /^[^\s'"#&*!|>%@`{}[\],?:-][^#]*$/;
const INTEGER = /^[-+]?(0|[1-9][0-9]*)$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/**
 * Flux substitutes in the YAML text kustomize printed, then parses it again: a whole value such as `${REPLICAS}`
 * (printed plain) becomes the number, boolean or null its value spells. Quoted strings never reached that state.
 */
function retype(original: string, substituted: string): JsonValue {
  if (!PLAIN_SAFE.test(original) || original.includes(': ')) return substituted;
  if (substituted === 'true' || substituted === 'false') return substituted === 'true';
  if (substituted === 'null' || substituted === '~') return null;
  if (INTEGER.test(substituted) && Number.isSafeInteger(Number(substituted))) return Number(substituted);
  if (FLOAT.test(substituted) && substituted.includes('.')) return Number(substituted);
  return substituted;
}

export function substituteJson(obj: JsonObject, lookup: VariableLookup): JsonSubstitution {
  const uses: SubstitutionUse[] = [];
  const walk = (v: JsonValue): JsonValue => {
    if (typeof v === 'string') {
      if (!v.includes('${')) return v;
      const r = substituteVariables(v, lookup);
      uses.push(...r.uses);
      return r.hasUnresolved ? r.text : retype(v, r.text);
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(v)) out[key.includes('${') ? substituteVariables(key, lookup).text : key] = walk(child);
    return out;
  };
  return { value: walk(obj) as JsonObject, uses };
}
