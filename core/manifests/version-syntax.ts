// Adapter to the versions engine's offline syntax checks (Masterminds ranges, Go RE2 regexps), so the
// manifest rules depend on one small seam. No parsing of its own.
import { parseConstraint } from '../versions/masterminds-constraint';
import { checkRe2Syntax } from '../versions/re2-regexp';

/** The parse error of a Flux semver range, or undefined when Flux accepts it. */
export function semverRangeError(range: string): string | undefined {
  const result = parseConstraint(range);
  return result.ok ? undefined : result.error;
}

/** The syntax error of a Go RE2 regexp, or undefined when Go accepts it. */
export function re2SyntaxError(pattern: string): string | undefined {
  return checkRe2Syntax(pattern);
}
