// Owns the Masterminds/semver v3 (>= 3.4.0) constraint grammar and checks, ported rule by rule:
// hyphen rewrite, `||` split, comma-or-space AND, wildcard "dirty" bases, per-AND-group prereleases. Must not use node-semver ranges.
import { compareVersions, comparePrereleases, parseMastermindsVersion, type FluxVersion } from './flux-version';

/** A parsed semver range that answers exactly as Masterminds `Constraints.Check` does. */
export interface Constraint {
  check(v: FluxVersion): boolean;
  /** The range text as the user wrote it. */
  readonly source: string;
  /** Whether any `||` branch mentions a prerelease (such a branch admits prereleases). */
  readonly mentionsPrerelease: boolean;
}

export type ParseConstraintResult = { ok: true; constraint: Constraint } | { ok: false; error: string };

type Operator = '' | '=' | '!=' | '>' | '<' | '>=' | '=>' | '<=' | '=<' | '~' | '~>' | '^';

interface Comparator {
  readonly operator: Operator;
  readonly base: FluxVersion;
  /** The version text as written after the operator, e.g. `4.x`. */
  readonly written: string;
  readonly dirty: boolean;
  readonly minorDirty: boolean;
  readonly patchDirty: boolean;
}

// Go's RE2 `\s` is ASCII only: [\t\n\f\r ].
const S = '[\\t\\n\\f\\r ]';
// Masterminds `cvRegex`; note that `|` really is inside the character classes, as in the Go source.
const CV = 'v?([0-9|xX*]+)(\\.[0-9|xX*]+)?(\\.[0-9|xX*]+)?' + '(-([0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*))?' + '(\\+([0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*))?';
// Masterminds `ops`, in the same alternation order (Go's leftmost-first matches JS backtracking here).
const OPS = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^';

const CONSTRAINT = new RegExp(`^${S}*(${OPS})${S}*(${CV})${S}*$`);
const CONSTRAINT_RANGE = new RegExp(`${S}*(${CV})${S}+-${S}+(${CV})${S}*`, 'g');
const FIND_CONSTRAINT = new RegExp(`(${OPS})${S}*(${CV})`, 'g');
// Masterminds `validConstraintRegex` is `^(\s*(ops)\s*(cv)\s*)((?:\s+|,\s*)(ops)\s*(cv)\s*)*$`. Because `ops` may be
// empty, whitespace can be split several ways, which backtracks exponentially in JS. This form accepts exactly
// the same strings (separator `\s+` or `\s*,\s*`, then an optional non-empty operator) with one way to match.
const NON_EMPTY_OPS = '!=|>=|=>|<=|=<|~>|=|>|<|~|\\^';
const COMPARATOR = `(?:(?:${NON_EMPTY_OPS})${S}*)?(?:${CV})`;
const VALID_CONSTRAINT = new RegExp(`^${S}*${COMPARATOR}(?:(?:${S}+|${S}*,${S}*)${COMPARATOR})*${S}*$`);

/** Ranges longer than this are refused instead of risking slow regular-expression backtracking. */
const MAX_RANGE_LENGTH = 1024;

function isWildcard(part: string): boolean {
  return part === 'x' || part === 'X' || part === '*';
}

/** Masterminds `rewriteRange`: `A - B` becomes `>= A, <= B ` (first textual occurrence of each match). */
function rewriteHyphenRanges(range: string): string {
  let out = range;
  for (const m of range.matchAll(CONSTRAINT_RANGE)) {
    out = out.replace(m[0], () => `>= ${m[1]}, <= ${m[11]} `);
  }
  return out;
}

/** Masterminds `parseConstraint` for one comparator such as `>=1.2`, `~1.x` or `!=4.x-0`. */
function parseComparator(text: string): Comparator | string {
  const m = CONSTRAINT.exec(text);
  if (!m) return `improper constraint: ${JSON.stringify(text)}`;
  const operator = m[1] as Operator;
  const written = m[2]!;
  const major = m[3]!;
  const minorPart = m[4] ?? '';
  const patchPart = m[5] ?? '';
  const prereleasePart = m[6] ?? '';
  let versionText = written;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isWildcard(major)) {
    versionText = `0.0.0${prereleasePart}`;
    dirty = true;
  } else if (minorPart === '' || isWildcard(minorPart.slice(1))) {
    versionText = `${major}.0.0${prereleasePart}`;
    dirty = true;
    minorDirty = true;
  } else if (patchPart === '' || isWildcard(patchPart.slice(1))) {
    versionText = `${major}${minorPart}.0${prereleasePart}`;
    dirty = true;
    patchDirty = true;
  }
  const base = parseMastermindsVersion(versionText);
  if (!base) return `constraint parser error: ${JSON.stringify(written)} is not a valid version`;
  return { operator, base, written, dirty, minorDirty, patchDirty };
}

function checkTilde(v: FluxVersion, c: Comparator): boolean {
  if (compareVersions(v, c.base) < 0) return false;
  // ~0.0.0 (also `*`, `x`) accepts everything at or above 0.0.0.
  if (c.base.major === 0n && c.base.minor === 0n && c.base.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.base.major) return false;
  if (v.minor !== c.base.minor && !c.minorDirty) return false;
  return true;
}

function checkCaret(v: FluxVersion, c: Comparator): boolean {
  if (compareVersions(v, c.base) < 0) return false;
  if (c.base.major > 0n || c.minorDirty) return v.major === c.base.major;
  if (c.base.major === 0n && v.major > 0n) return false;
  if (c.base.minor > 0n || c.patchDirty) return v.minor === c.base.minor;
  if (c.base.minor === 0n && v.minor > 0n) return false;
  return c.base.patch === v.patch;
}

function checkNotEqual(v: FluxVersion, c: Comparator): boolean {
  if (c.dirty) {
    if (c.base.major !== v.major) return true;
    if (c.base.minor !== v.minor && !c.minorDirty) return true;
    if (c.minorDirty) return false;
    if (c.base.patch !== v.patch && !c.patchDirty) return true;
    if (c.patchDirty) {
      if (v.prerelease !== '' || c.base.prerelease !== '') {
        return comparePrereleases(v.prerelease, c.base.prerelease) !== 0;
      }
      return false;
    }
  }
  return compareVersions(v, c.base) !== 0;
}

function checkGreaterThan(v: FluxVersion, c: Comparator): boolean {
  if (!c.dirty) return compareVersions(v, c.base) > 0;
  if (v.major > c.base.major) return true;
  if (v.major < c.base.major) return false;
  if (c.minorDirty) return false;
  if (c.patchDirty) return v.minor > c.base.minor;
  return compareVersions(v, c.base) > 0;
}

function checkLessThanOrEqual(v: FluxVersion, c: Comparator): boolean {
  if (!c.dirty) return compareVersions(v, c.base) <= 0;
  if (v.major > c.base.major) return false;
  if (v.major === c.base.major && v.minor > c.base.minor && !c.minorDirty) return false;
  return true;
}

/** One comparator against one version; `includePrerelease` is decided per AND group. */
function checkComparator(v: FluxVersion, c: Comparator, includePrerelease: boolean): boolean {
  if (v.prerelease !== '' && !includePrerelease) return false;
  switch (c.operator) {
    case '':
    case '=':
      return c.dirty ? checkTilde(v, c) : compareVersions(v, c.base) === 0;
    case '!=':
      return checkNotEqual(v, c);
    case '>':
      return checkGreaterThan(v, c);
    case '<':
      return compareVersions(v, c.base) < 0;
    case '>=':
    case '=>':
      return compareVersions(v, c.base) >= 0;
    case '<=':
    case '=<':
      return checkLessThanOrEqual(v, c);
    case '~':
    case '~>':
      return checkTilde(v, c);
    case '^':
      return checkCaret(v, c);
  }
}

interface AndGroup {
  readonly comparators: Comparator[];
  readonly includesPrerelease: boolean;
}

class MastermindsConstraint implements Constraint {
  readonly mentionsPrerelease: boolean;
  constructor(
    readonly source: string,
    private readonly groups: AndGroup[],
  ) {
    this.mentionsPrerelease = groups.some((g) => g.includesPrerelease);
  }

  check(v: FluxVersion): boolean {
    return this.groups.some((g) => g.comparators.every((c) => checkComparator(v, c, g.includesPrerelease)));
  }
}

/**
 * Masterminds v3 `NewConstraint`. The error text follows the Go library (`improper constraint: "…"`)
 * so users can search for it.
 */
export function parseConstraint(range: string): ParseConstraintResult {
  if (range.length > MAX_RANGE_LENGTH) {
    return { ok: false, error: `The semver range is longer than ${MAX_RANGE_LENGTH} characters.` };
  }
  const rewritten = rewriteHyphenRanges(range);
  const groups: AndGroup[] = [];
  for (const branch of rewritten.split('||')) {
    if (!VALID_CONSTRAINT.test(branch)) return { ok: false, error: `improper constraint: ${JSON.stringify(branch)}` };
    const pieces = [...branch.matchAll(FIND_CONSTRAINT)].map((m) => m[0]);
    if (pieces.length === 0) pieces.push(branch);
    const comparators: Comparator[] = [];
    for (const piece of pieces) {
      const parsed = parseComparator(piece);
      if (typeof parsed === 'string') return { ok: false, error: parsed };
      comparators.push(parsed);
    }
    groups.push({ comparators, includesPrerelease: comparators.some((c) => c.base.prerelease !== '') });
  }
  return { ok: true, constraint: new MastermindsConstraint(range, groups) };
}
