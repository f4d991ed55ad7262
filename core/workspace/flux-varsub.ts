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
const VARIABLE_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

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
const SUBSTRING_OPERATOR = /^([_a-zA-Z][_a-zA-Z0-9]*):(-?\d+)(?::(-?\d+))?$/;
const TRIM_OPERATOR = /^([_a-zA-Z][_a-zA-Z0-9]*)(##|#|%%|%)([\s\S]*)$/;
const REPLACE_OPERATOR = /^([_a-zA-Z][_a-zA-Z0-9]*)\/(\/|#|%)?([\s\S]*)$/;
const LEADING_NAME = /^#?([_a-zA-Z][_a-zA-Z0-9]*)/;

function applyCase(value: string, op: string): string {
  if (op === '^^') return value.toUpperCase();
  if (op === ',,') return value.toLowerCase();
  if (op === '^') return value.charAt(0).toUpperCase() + value.slice(1);
  return value.charAt(0).toLowerCase() + value.slice(1);
}

/** envsubst's substring: a negative position counts from the end, a negative length stops that far before it. */
function substring(value: string, posText: string, lengthText: string | undefined): string {
  let pos = Number(posText);
  if (pos < 0) pos = Math.max(0, value.length + pos);
  if (lengthText === undefined) return pos < value.length ? value.slice(pos) : '';
  const length = Number(lengthText);
  if (length < 0) {
    const end = value.length + length;
    return end < pos ? '' : value.slice(pos, end);
  }
  return value.slice(pos, pos + length);
}

/** A shell glob (`*` any run, `?` one character, `[…]` a class, `\x` literal) as an anchored regular expression. */
function globRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\' && i + 1 < glob.length) out += glob[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) out += '\\[';
      else {
        out += `[${glob
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** envsubst's trims: drop the shortest or longest prefix matching the glob (suffixes work on the reversed text). */
function trim(value: string, op: string, pattern: string): string {
  const reverse = (t: string): string => [...t].reverse().join('');
  const fromEnd = op.startsWith('%');
  const text = fromEnd ? reverse(value) : value;
  const re = globRegExp(fromEnd ? reverse(pattern) : pattern);
  let cut = -1;
  for (let end = text.length; end > 0; end--) {
    if (!re.test(text.slice(0, end))) continue;
    cut = end;
    if (op.length === 2) break;
  }
  const trimmed = cut > 0 ? text.slice(cut) : text;
  return fromEnd ? reverse(trimmed) : trimmed;
}

/** envsubst's replacements take the pattern literally (`\/` for a slash): first, all, prefix or suffix. */
function replace(value: string, mode: string | undefined, rest: string): string {
  let split = -1;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '\\') i++;
    else if (rest[i] === '/') {
      split = i;
      break;
    }
  }
  const unescape = (t: string): string => t.replace(/\\(.)/g, '$1');
  const pattern = unescape(split < 0 ? rest : rest.slice(0, split));
  const replacement = split < 0 ? '' : unescape(rest.slice(split + 1));
  if (mode === '/') return pattern === '' ? value : value.split(pattern).join(replacement);
  if (mode === '#') return value.startsWith(pattern) ? replacement + value.slice(pattern.length) : value;
  if (mode === '%') return value.endsWith(pattern) ? value.slice(0, value.length - pattern.length) + replacement : value;
  return pattern === '' ? value : value.replace(pattern, () => replacement);
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
  const sub = SUBSTRING_OPERATOR.exec(body);
  if (sub) {
    const found = lookup(sub[1]);
    return { name: sub[1], value: found && substring(found.value, sub[2], sub[3]), from: found?.from };
  }
  const trimmed = TRIM_OPERATOR.exec(body);
  if (trimmed) {
    const found = lookup(trimmed[1]);
    return { name: trimmed[1], value: found && trim(found.value, trimmed[2], trimmed[3]), from: found?.from };
  }
  const replaced = REPLACE_OPERATOR.exec(body);
  if (replaced) {
    const found = lookup(replaced[1]);
    return { name: replaced[1], value: found && replace(found.value, replaced[2], replaced[3]), from: found?.from };
  }
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
