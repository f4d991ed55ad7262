// Flux's postBuild substitution over a whole object: every string (keys included) goes through the varsub rules;
// returns the new object and every expression met with its value and source. Never mutates its input.
import { substituteVariables, type SubstitutionUse, type VariableLookup } from './flux-varsub';
import type { JsonObject, JsonValue } from './json-patches';

export interface JsonSubstitution {
  value: JsonObject;
  uses: SubstitutionUse[];
}

export function substituteJson(obj: JsonObject, lookup: VariableLookup): JsonSubstitution {
  const uses: SubstitutionUse[] = [];
  const walk = (v: JsonValue): JsonValue => {
    if (typeof v === 'string') {
      if (!v.includes('${')) return v;
      const r = substituteVariables(v, lookup);
      uses.push(...r.uses);
      return r.text;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(v)) out[key.includes('${') ? substituteVariables(key, lookup).text : key] = walk(child);
    return out;
  };
  return { value: walk(obj) as JsonObject, uses };
}
