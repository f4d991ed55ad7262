// Flux's postBuild substitution (fluxcd/pkg envsubst, a drone/envsubst fork): `${VAR}`, defaults, case and
// length operators, `$${VAR}` escapes; `$VAR` without braces is left alone. Pure string work, no YAML.

/** A variable's value and where it came from (`substitute`, `ConfigMap cluster-vars`, ...). */
export interface VariableValue {
  value: string;
  from: string;
}

/** Looks a variable up; undefined when the Kustomization does not define it. */
export type VariableLookup = (name: string) => VariableValue | undefined;

/** One `${…}` the substitution met: its name and what it became. */
export interface SubstitutionUse {
  name: string;
  /** The whole expression as written, e.g. `${APP_VERSION:=1.0.0}`. */
  expression: string;
  /** Offset of the expression in the input. */
  offset: number;
  /** The value it became; undefined when unknown (no value, no default, or an operator not evaluated here). */
  value?: string;
  /** Where the value came from: the variable's source, or 'default'. */
  from?: string;
}

export interface SubstitutionResult {
  text: string;
  uses: SubstitutionUse[];
  /** True when some expression had no value and no default (Flux substitutes an empty string, or fails in strict mode). */
  hasUnresolved: boolean;
}

/** Flux's rule for variable names (kustomize_varsub.go varsubRegex). */
export const VARIABLE_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

/** Finds the `}` closing an expression that starts after `${`, allowing nested `${…}` in defaults. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

const DEFAULT_OPERATOR = /^([_a-zA-Z][_a-zA-Z0-9]*)(:?[-=])([\s\S]*)$/;
const CASE_OPERATOR = /^([_a-zA-Z][_a-zA-Z0-9]*)(\^\^|\^|,,|,)$/;
const LENGTH_OPERATOR = /^#([_a-zA-Z][_a-zA-Z0-9]*)$/;
const SUBSTRING_OPERATOR = /^([_a-zA-Z][_a-zA-Z0-9]*):(\d+)(?::(\d+))?$/;
const LEADING_NAME = /^#?([_a-zA-Z][_a-zA-Z0-9]*)/;

function applyCase(value: string, op: string): string {
  if (op === '^^') return value.toUpperCase();
  if (op === ',,') return value.toLowerCase();
  if (op === '^') return value.charAt(0).toUpperCase() + value.slice(1);
  return value.charAt(0).toLowerCase() + value.slice(1);
}

/** Evaluates one expression body (between `${` and `}`); value undefined when it cannot be known here. */
function evaluate(body: string, lookup: VariableLookup, uses: SubstitutionUse[]): { name: string; value?: string; from?: string } {
  if (VARIABLE_NAME.test(body)) {
    const found = lookup(body);
    return { name: body, value: found?.value, from: found?.from };
  }
  const withDefault = DEFAULT_OPERATOR.exec(body);
  if (withDefault) {
    const [, name, op, fallback] = withDefault;
    const found = lookup(name);
    const useDefault = found === undefined || (op.startsWith(':') && found.value === '');
    if (!useDefault) return { name, value: found.value, from: found.from };
    const inner = substituteVariables(fallback, lookup);
    uses.push(...inner.uses);
    return { name, value: inner.hasUnresolved ? undefined : inner.text, from: 'default' };
  }
  const caseOp = CASE_OPERATOR.exec(body);
  if (caseOp) {
    const found = lookup(caseOp[1]);
    return { name: caseOp[1], value: found && applyCase(found.value, caseOp[2]), from: found?.from };
  }
  const length = LENGTH_OPERATOR.exec(body);
  if (length) {
    const found = lookup(length[1]);
    return { name: length[1], value: found && String([...found.value].length), from: found?.from };
  }
  const substring = SUBSTRING_OPERATOR.exec(body);
  if (substring) {
    const found = lookup(substring[1]);
    const start = Number(substring[2]);
    const value = found && (substring[3] !== undefined ? found.value.substr(start, Number(substring[3])) : found.value.slice(start));
    return { name: substring[1], value, from: found?.from };
  }
  // Pattern operators (# % / …) are not evaluated here: the value stays unknown.
  return { name: LEADING_NAME.exec(body)?.[1] ?? body };
}

/**
 * Substitutes every `${…}` of `text` as Flux does after the kustomize build. Unknown values are kept as written
 * (so callers can tell them apart) and flagged in `uses`; `$${` is an escape for a literal `${`.
 */
export function substituteVariables(text: string, lookup: VariableLookup): SubstitutionResult {
  if (!text.includes('${')) return { text, uses: [], hasUnresolved: false };
  const uses: SubstitutionUse[] = [];
  let out = '';
  let hasUnresolved = false;
  let i = 0;
  while (i < text.length) {
    const next = text.indexOf('${', i);
    if (next < 0) {
      out += text.slice(i);
      break;
    }
    if (next > 0 && text[next - 1] === '$') {
      // `$${X}` is the escape for a literal `${X}`: drop one `$` and copy the expression untouched.
      const end = closingBrace(text, next + 2);
      const stop = end < 0 ? text.length : end + 1;
      out += text.slice(i, next - 1) + text.slice(next, stop);
      i = stop;
      continue;
    }
    const end = closingBrace(text, next + 2);
    if (end < 0) {
      out += text.slice(i);
      break;
    }
    const body = text.slice(next + 2, end);
    const expression = text.slice(next, end + 1);
    const evaluated = evaluate(body, lookup, uses);
    uses.push({ name: evaluated.name, expression, offset: next, ...(evaluated.value !== undefined ? { value: evaluated.value, from: evaluated.from } : {}) });
    if (evaluated.value === undefined) hasUnresolved = true;
    out += text.slice(i, next) + (evaluated.value ?? expression);
    i = end + 1;
  }
  return { text: out, uses, hasUnresolved };
}

/** Whether a string holds a `${…}` Flux would substitute (escaped `$${…}` does not count). */
export function hasVariable(text: string): boolean {
  let at = text.indexOf('${');
  while (at >= 0) {
    if (at === 0 || text[at - 1] !== '$') return true;
    at = text.indexOf('${', at + 2);
  }
  return false;
}
