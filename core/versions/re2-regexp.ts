// Owns every regular expression that comes from outside (semverFilter, chart schema patterns, CLI filters):
// compiled and matched by RE2JS, a linear-time port of RE2, so syntax and matching are Go's. Knows no Flux rules.
import { RE2JS } from 're2js';

/** A compiled Go RE2 pattern; `test` is unanchored like Go's `MatchString` and runs in linear time. */
export interface Re2Pattern {
  readonly source: string;
  test(text: string): boolean;
}

const ERROR_PREFIX = 'error parsing regexp: ';

/**
 * What Go's message means for a pattern written for a backtracking engine (PCRE, JavaScript); each test runs
 * on Go's message followed by the pattern, so a construct is named whichever of the two shows it.
 */
const HINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\(\?[=!]/, 'look-ahead is not supported by RE2'],
  [/\(\?<[=!]/, 'look-behind is not supported by RE2'],
  [/\(\?>/, 'atomic groups are not supported by RE2'],
  [/\(\?#/, 'comments are not supported by RE2'],
  [/\(\?P=|\\[1-9]|\\k</, 'back-references are not supported by RE2'],
  [/nested repetition operator: `[*+?}][*+]/, 'possessive or nested quantifiers are not supported by RE2; wrap the inner one in a group'],
];

function describe(error: unknown, pattern: string): string {
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.startsWith(ERROR_PREFIX) ? raw.slice(ERROR_PREFIX.length) : raw;
  const hint = HINTS.find(([test]) => test.test(`${message}\n${pattern}`))?.[1];
  return hint ? `${message} (${hint}).` : `${message}.`;
}

/** The one place a pattern is compiled: the RE2JS engine, or the `checkRe2Syntax` sentence saying what is wrong. */
export function compileRe2Engine(pattern: string): { ok: true; re: RE2JS } | { ok: false; error: string; cause: unknown } {
  try {
    return { ok: true, re: RE2JS.compile(pattern) };
  } catch (e) {
    return { ok: false, error: describe(e, pattern), cause: e };
  }
}

/** undefined when `pattern` is valid Go RE2 syntax; otherwise one sentence saying what is wrong. */
export function checkRe2Syntax(pattern: string): string | undefined {
  const compiled = compileRe2Engine(pattern);
  return compiled.ok ? undefined : compiled.error;
}

/** The compiled pattern; throws an Error whose message is the `checkRe2Syntax` sentence when it is not valid RE2. */
export function compileRe2(pattern: string): Re2Pattern {
  const compiled = compileRe2Engine(pattern);
  if (!compiled.ok) throw new Error(compiled.error, { cause: compiled.cause });
  const re = compiled.re;
  return { source: pattern, test: (text: string) => re.test(text) };
}
