// Owns which tag an ImagePolicy selects, rule for rule as image-reflector-controller does: exclusionList (ImageRepository),
// the database's descending order, filterTags (pattern then extract), then semver / alphabetical / numerical. Never lists tags.
import { compareVersions, type FluxVersion, parseFluxTagVersion } from './flux-version';
import { parseGoFloat } from './go-float';
import { parseConstraint } from './masterminds-constraint';
import { compileRe2Pattern, expandTemplate } from './re2-pattern';

/** The ImageRepository default: cosign signature tags never reach a policy. */
export const DEFAULT_EXCLUSION_LIST: readonly string[] = ['^.*\\.sig$'];

export type ImagePolicyChoice = { kind: 'semver'; range: string } | { kind: 'alphabetical'; order?: string } | { kind: 'numerical'; order?: string };

export interface ImagePolicyInput {
  /** The tags the ImageRepository stored (after its exclusionList), in any order. */
  tags: readonly string[];
  filterTags?: { pattern: string; extract?: string };
  policy: ImagePolicyChoice;
}

export type ImagePolicyErrorCode = 'invalid-policy' | 'invalid-pattern' | 'no-tags' | 'no-match' | 'invalid-number';

export interface ImagePolicyCandidate {
  /** The tag as listed (what Flux writes). */
  tag: string;
  /** What the policy compared: the extracted text when `extract` is set, else the tag. */
  compared: string;
}

export interface ImagePolicySelection {
  /** The tag Flux records in status.latestRef.tag. */
  tag?: string;
  /** What the policy compared for the chosen tag. */
  compared?: string;
  error?: { code: ImagePolicyErrorCode; message: string };
  /** Tags the policy orders (after filterTags), best first: the newest candidates. */
  ranked: ImagePolicyCandidate[];
  /** How many stored tags filterTags.pattern dropped. */
  filteredOut: number;
  /** Other candidates that tie with the chosen one; with filterTags Flux's pick among them follows Go's map order. */
  ambiguousWith?: string[];
}

const isSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdfff;

/**
 * Go `strings.Compare`: byte order of the UTF-8 encodings. UTF-16 unit order agrees with it except where a surrogate
 * (an astral character, 4 UTF-8 bytes) meets a unit of U+E000–U+FFFF: there the astral character sorts last.
 */
export function compareGoStrings(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (isSurrogate(x) !== isSurrogate(y) && Math.max(x, y) >= 0xe000) return isSurrogate(x) ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** ImageRepository scan: drops tags matching any exclusion pattern (the default when the list is empty or unset). */
export function applyExclusionList(tags: readonly string[], exclusionList: readonly string[] | undefined): { tags: string[]; excluded: string[] } | { error: string } {
  const patterns = exclusionList && exclusionList.length ? exclusionList : DEFAULT_EXCLUSION_LIST;
  const compiled = [];
  for (const p of patterns) {
    const c = compileRe2Pattern(p);
    if (!c.ok) return { error: `failed to compile regex ${p}: ${c.error}` };
    compiled.push(c.pattern);
  }
  const kept: string[] = [];
  const excluded: string[] = [];
  for (const tag of tags) (compiled.some((re) => re.find(tag) !== undefined) ? excluded : kept).push(tag);
  return { tags: kept, excluded };
}

type Policer = {
  /** Go `Latest` over `versions` in iteration order. */
  latest(versions: readonly string[]): { ok: true; value: string } | { ok: false; code: ImagePolicyErrorCode; message: string };
  /** Best-first comparison, for ranking and ties (0 = the policy cannot tell them apart). */
  compare(a: string, b: string): number;
  /** Whether the policy could pick `v` at all (semver: parses and is in range). */
  eligible(v: string): boolean;
};

function normalizeOrder(order: string | undefined): 'ASC' | 'DESC' | undefined {
  const upper = (order ?? '').toUpperCase();
  return upper === '' || upper === 'ASC' ? 'ASC' : upper === 'DESC' ? 'DESC' : undefined;
}

const EMPTY = { ok: false as const, code: 'no-match' as const, message: 'version list argument cannot be empty' };

function semverPolicer(range: string): Policer | string {
  const parsed = parseConstraint(range);
  if (!parsed.ok) return parsed.error;
  const constraint = parsed.constraint;
  const parsedVersions = new Map<string, FluxVersion | undefined>();
  const parse = (v: string): FluxVersion | undefined => {
    if (!parsedVersions.has(v)) parsedVersions.set(v, parseFluxTagVersion(v));
    return parsedVersions.get(v);
  };
  const inRange = (v: string): FluxVersion | undefined => {
    const version = parse(v);
    return version && constraint.check(version) ? version : undefined;
  };
  return {
    latest(versions) {
      if (!versions.length) return EMPTY;
      let best: FluxVersion | undefined;
      for (const v of versions) {
        const version = inRange(v);
        if (version && (!best || compareVersions(version, best) > 0)) best = version;
      }
      return best ? { ok: true, value: best.original } : { ok: false, code: 'no-match', message: 'unable to determine latest version from provided list' };
    },
    compare(a, b) {
      return compareVersions(parse(b)!, parse(a)!);
    },
    eligible: (v) => inRange(v) !== undefined,
  };
}

function alphabeticalPolicer(order: 'ASC' | 'DESC'): Policer {
  const compare = (a: string, b: string): number => (order === 'ASC' ? compareGoStrings(b, a) : compareGoStrings(a, b));
  return {
    latest(versions) {
      if (!versions.length) return EMPTY;
      return { ok: true, value: [...versions].sort(compare)[0]! };
    },
    compare,
    eligible: () => true,
  };
}

function numericalPolicer(order: 'ASC' | 'DESC'): Policer {
  const numbers = new Map<string, number | undefined>();
  const parse = (v: string): number | undefined => {
    if (!numbers.has(v)) numbers.set(v, parseGoFloat(v));
    return numbers.get(v);
  };
  return {
    latest(versions) {
      if (!versions.length) return EMPTY;
      let latest = '';
      let previous = 0;
      for (let i = 0; i < versions.length; i++) {
        const value = parse(versions[i]!);
        if (value === undefined) return { ok: false, code: 'invalid-number', message: `failed to parse invalid numeric value '${versions[i]}'` };
        // Go: skip when strictly worse; an equal (or NaN) value replaces the previous one.
        if (i > 0 && ((order === 'ASC' && value < previous) || (order === 'DESC' && value > previous))) continue;
        latest = versions[i]!;
        previous = value;
      }
      return { ok: true, value: latest };
    },
    compare(a, b) {
      const x = parse(a) ?? Number.NaN;
      const y = parse(b) ?? Number.NaN;
      if (x === y || (Number.isNaN(x) && Number.isNaN(y))) return 0;
      if (Number.isNaN(x)) return 1;
      if (Number.isNaN(y)) return -1;
      return order === 'ASC' ? y - x : x - y;
    },
    eligible: (v) => parse(v) !== undefined,
  };
}

function policerFor(choice: ImagePolicyChoice): Policer | string {
  if (choice.kind === 'semver') return semverPolicer(choice.range);
  const order = normalizeOrder(choice.order);
  if (!order) return `invalid order argument provided: '${(choice.order ?? '').toUpperCase()}', must be one of: ASC, DESC`;
  return choice.kind === 'alphabetical' ? alphabeticalPolicer(order) : numericalPolicer(order);
}

const RANKED_COUNT = 5;

/** The tag an ImagePolicy selects from an ImageRepository's stored tags, with the best candidates and any tie. */
export function selectImagePolicyTag(input: ImagePolicyInput): ImagePolicySelection {
  const out: ImagePolicySelection = { ranked: [], filteredOut: 0 };
  const policer = policerFor(input.policy);
  if (typeof policer === 'string') return { ...out, error: { code: 'invalid-policy', message: `invalid policy: ${policer}` } };
  // The reflector's database holds the tags sorted in descending string order: that is the order policies iterate.
  const stored = [...input.tags].sort((a, b) => compareGoStrings(b, a));
  if (!stored.length) return { ...out, error: { code: 'no-tags', message: 'no tags in database' } };
  // compared text → original tag; with filterTags a Go map (a later tag with the same extraction wins).
  const originals = new Map<string, string>();
  const filter = input.filterTags;
  if (filter) {
    const compiled = compileRe2Pattern(filter.pattern);
    if (!compiled.ok) return { ...out, error: { code: 'invalid-pattern', message: `failed to filter tags: invalid regular expression pattern '${filter.pattern}': ${compiled.error}` } };
    for (const tag of stored) {
      const match = compiled.pattern.find(tag);
      if (!match) {
        out.filteredOut++;
        continue;
      }
      originals.set(filter.extract ? expandTemplate(compiled.pattern, filter.extract, match) : tag, tag);
    }
  } else for (const tag of stored) originals.set(tag, tag);
  const versions = filter ? [...originals.keys()] : stored;
  out.ranked = versions
    .filter((v) => policer.eligible(v))
    .sort((a, b) => policer.compare(a, b))
    .slice(0, RANKED_COUNT)
    .map((v) => ({ tag: originals.get(v)!, compared: v }));
  const latest = policer.latest(versions);
  if (!latest.ok) return { ...out, error: { code: latest.code, message: latest.message } };
  out.compared = latest.value;
  out.tag = originals.get(latest.value) ?? latest.value;
  // Only filterTags makes the iteration order a Go map's (random); the database order is fixed.
  if (filter) {
    const ties = versions.filter((v) => v !== latest.value && policer.eligible(v) && policer.compare(v, latest.value) === 0).map((v) => originals.get(v)!);
    if (ties.length) out.ambiguousWith = ties;
  }
  return out;
}
