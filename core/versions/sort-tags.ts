// Owns the display order of a repository's tags: versions newest first (Masterminds precedence), then the rest.
// Must not filter by range or talk to a registry.
import { compareVersions, parseMastermindsVersion, scanPlainVersion, type FluxVersion, type PlainParts } from './flux-version';
import { parseListedTag } from './helm-tags';

interface Entry {
  tag: string;
  index: number;
  /** major/minor/patch as plain numbers when all are safe integers (NaN otherwise): a fast path that avoids bigints. */
  major: number;
  minor: number;
  patch: number;
  /** Whether the version has a prerelease (equal numbers then need Masterminds' prerelease order). */
  pre: boolean;
  /** The parsed version; left out for plain `N.N.N` tags until a comparison needs it. */
  version: FluxVersion | undefined;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const parts: PlainParts = { major: 0, minor: 0, patch: 0 };

/** The tag's entry, or undefined when Flux would not read it as a version. */
function entryOf(tag: string, index: number, helmChart: boolean): Entry | undefined {
  if (scanPlainVersion(tag, parts)) return { tag, index, major: parts.major, minor: parts.minor, patch: parts.patch, pre: false, version: undefined };
  const version = parseListedTag(tag, helmChart);
  if (!version) return undefined;
  const safe = version.major <= SAFE && version.minor <= SAFE && version.patch <= SAFE;
  return {
    tag,
    index,
    major: safe ? Number(version.major) : NaN,
    minor: safe ? Number(version.minor) : NaN,
    patch: safe ? Number(version.patch) : NaN,
    pre: version.prerelease !== '',
    version,
  };
}

function versionOf(entry: Entry): FluxVersion {
  return (entry.version ??= parseMastermindsVersion(entry.tag)!);
}

/** Highest version first; equal versions keep listing order. */
function newestFirst(a: Entry, b: Entry): number {
  // NaN (a part past 2^53) is the only value not equal to itself: such versions compare as bigints below.
  if (a.major === a.major && b.major === b.major) {
    const d = b.major - a.major || b.minor - a.minor || b.patch - a.patch;
    if (d !== 0) return d;
    if (!a.pre && !b.pre) return a.index - b.index;
  }
  return compareVersions(versionOf(b), versionOf(a)) || a.index - b.index;
}

/**
 * Semver tags (as Flux's ParseVersion sees them) by version, highest first, equal versions in listing
 * order; then every other tag in the registry's listing order. Listing order is kept for non-versions
 * because registries list tags lexically and carry no dates, so any other order would be invented.
 * Each tag is parsed once, so 100,000 tags sort in well under a second.
 */
export function sortTagsNewestFirst(tags: string[], helmChart = false): string[] {
  const versions: Entry[] = [];
  const others: string[] = [];
  for (let index = 0; index < tags.length; index++) {
    const tag = tags[index]!;
    const entry = entryOf(tag, index, helmChart);
    if (entry) versions.push(entry);
    else others.push(tag);
  }
  versions.sort(newestFirst);
  const sorted = new Array<string>(versions.length + others.length);
  for (let i = 0; i < versions.length; i++) sorted[i] = versions[i]!.tag;
  for (let i = 0; i < others.length; i++) sorted[versions.length + i] = others[i]!;
  return sorted;
}
