// Adapter to the versions engine's offline syntax checks (Masterminds ranges, Go RE2 regexps), so the
// manifest rules depend on one small seam. No parsing of its own beyond a stop-gap RE2 check.
import { parseConstraint } from '../versions/masterminds-constraint';

/** The parse error of a Flux semver range, or undefined when Flux accepts it. */
export function semverRangeError(range: string): string | undefined {
  const result = parseConstraint(range);
  return result.ok ? undefined : result.error;
}

/** The syntax error of a Go RE2 regexp, or undefined when Go accepts it. */
export function re2SyntaxError(pattern: string): string | undefined {
  if (/\(\?<?[=!]/.test(pattern)) return 'Go regular expressions (RE2) have no lookahead or lookbehind.';
  if (/\\[1-9]/.test(pattern)) return 'Go regular expressions (RE2) have no backreferences.';
  try {
    new RegExp(pattern, 'u');
    return undefined;
  } catch (e) {
    try {
      new RegExp(pattern);
      return undefined;
    } catch {
      return e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : 'invalid regular expression';
    }
  }
}
