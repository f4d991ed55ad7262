// Owns which tag Flux's OCIRepository would pull for a `spec.ref` and a tag listing (source-controller getTagBySemver),
// with a per-tag explanation. Must not fetch tags or digests (the caller owns the registry).
import { compareVersions, formatVersion, type FluxVersion } from './flux-version';
import { parseListedTag } from './helm-tags';
import { parseConstraint } from './masterminds-constraint';
import { compileRe2, type Re2Pattern } from './re2-regexp';

export interface OciRefInput {
  tag?: string;
  semver?: string;
  semverFilter?: string;
  digest?: string;
}

export interface ResolveRefInput {
  /** Every tag of the repository, in the registry's listing order. */
  tags: string[];
  ref: OciRefInput;
  /** True when the artifact is a Helm chart: tags map `_` to `+` before parsing. */
  helmChart: boolean;
}

export type CandidateStatus = 'chosen' | 'filtered' | 'not-semver' | 'outside-range' | 'prerelease' | 'lower';

export interface TagCandidate {
  tag: string;
  /** Canonical version text (no `v`, no leading zeros) when Flux parses the tag as a version. */
  version?: string;
  status: CandidateStatus;
}

export interface ResolutionError {
  code: 'invalid-range' | 'invalid-filter' | 'no-match';
  message: string;
}

export interface ResolutionResult {
  kind: 'digest' | 'semver' | 'tag' | 'latest';
  /** The tag Flux pulls, exactly as listed (semver), as written (tag), or `latest`. */
  tag?: string;
  /** Only when `ref.digest` is set; the digest of a chosen tag is the caller's to fetch. */
  digest?: string;
  /** For `semver` only: every listed tag with why it was or was not chosen, in listing order. */
  candidates: TagCandidate[];
  error?: ResolutionError;
  /** Other tags with a version equal to the chosen one; Flux's pick among them depends on listing order. */
  ambiguousWith?: string[];
}

const NEAREST_TAG_COUNT = 5;

/** `spec.ref` precedence: digest > semver > tag > `latest`. */
export function resolveRef(input: ResolveRefInput): ResolutionResult {
  const { ref } = input;
  if (ref.digest) return { kind: 'digest', digest: ref.digest, candidates: [] };
  if (ref.semver) return resolveSemver(input.tags, ref.semver, ref.semverFilter, input.helmChart);
  if (ref.tag) return { kind: 'tag', tag: ref.tag, candidates: [] };
  return { kind: 'latest', tag: 'latest', candidates: [] };
}

interface Parsed {
  tag: string;
  version: FluxVersion | undefined;
  filtered: boolean;
}

function highestTags(parsed: Parsed[], count: number): string[] {
  return parsed
    .filter((p): p is Parsed & { version: FluxVersion } => p.version !== undefined)
    .sort((a, b) => compareVersions(b.version, a.version))
    .slice(0, count)
    .map((p) => p.tag);
}

function noMatchMessage(range: string, parsed: Parsed[], filter: string | undefined): string {
  let message = `no match found for semver: ${range}`;
  const kept = parsed.filter((p) => !p.filtered);
  if (filter && kept.length === 0 && parsed.length > 0) {
    return `${message}; semverFilter ${JSON.stringify(filter)} matches none of the ${parsed.length} tags`;
  }
  const nearest = highestTags(kept, NEAREST_TAG_COUNT);
  if (nearest.length > 0) message += `; the highest version tags are ${nearest.join(', ')}`;
  else message += parsed.length > 0 ? '; none of the tags is a version Flux can parse (it needs three dot-separated parts)' : '; the repository has no tags';
  return message;
}

function resolveSemver(tags: string[], range: string, filter: string | undefined, helmChart: boolean): ResolutionResult {
  let filterRegExp: Re2Pattern | undefined;
  if (filter) {
    try {
      filterRegExp = compileRe2(filter);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      return { kind: 'semver', candidates: [], error: { code: 'invalid-filter', message: `semverFilter is not a valid Go regular expression: ${reason}` } };
    }
  }
  const parsedRange = parseConstraint(range);
  if (!parsedRange.ok) {
    return { kind: 'semver', candidates: [], error: { code: 'invalid-range', message: `semver '${range}' parse error: ${parsedRange.error}` } };
  }
  const constraint = parsedRange.constraint;
  const parsed: Parsed[] = tags.map((tag) => ({
    tag,
    version: parseListedTag(tag, helmChart),
    filtered: filterRegExp !== undefined && !filterRegExp.test(tag),
  }));

  const candidates: TagCandidate[] = [];
  let best: { index: number; version: FluxVersion } | undefined;
  parsed.forEach((p, index) => {
    const version = p.version ? formatVersion(p.version) : undefined;
    if (p.filtered) return candidates.push({ tag: p.tag, version, status: 'filtered' });
    if (!p.version) return candidates.push({ tag: p.tag, status: 'not-semver' });
    if (!constraint.check(p.version)) {
      const status = p.version.prerelease !== '' && !constraint.mentionsPrerelease ? 'prerelease' : 'outside-range';
      return candidates.push({ tag: p.tag, version, status });
    }
    candidates.push({ tag: p.tag, version, status: 'lower' });
    // Strictly greater only: among equal versions the first listed wins (Go's insertion sort for ≤12 matches).
    if (!best || compareVersions(p.version, best.version) > 0) best = { index, version: p.version };
  });

  if (!best) {
    return { kind: 'semver', candidates, error: { code: 'no-match', message: noMatchMessage(range, parsed, filter) } };
  }
  const chosen = best;
  candidates[chosen.index]!.status = 'chosen';
  const ambiguousWith = candidates.filter((c, i) => i !== chosen.index && c.status === 'lower' && compareVersions(parsed[i]!.version!, chosen.version) === 0).map((c) => c.tag);
  const result: ResolutionResult = { kind: 'semver', tag: tags[chosen.index], candidates };
  if (ambiguousWith.length > 0) result.ambiguousWith = ambiguousWith;
  return result;
}
