// Owns the display order of a repository's tags: versions newest first (Masterminds precedence), then the rest.
// Must not filter by range or talk to a registry.
import { compareVersions, type FluxVersion } from './flux-version';
import { parseListedTag } from './helm-tags';

interface Entry {
  tag: string;
  version: FluxVersion;
  index: number;
  /** major/minor/patch as plain numbers when all are safe integers: a fast path that avoids bigint compares. */
  key: [number, number, number] | undefined;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function numericKey(v: FluxVersion): [number, number, number] | undefined {
  return v.major <= SAFE && v.minor <= SAFE && v.patch <= SAFE ? [Number(v.major), Number(v.minor), Number(v.patch)] : undefined;
}

function compareEntries(a: Entry, b: Entry): number {
  if (a.key && b.key) {
    const d = a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2];
    if (d !== 0) return d;
    if (a.version.prerelease === '' && b.version.prerelease === '') return 0;
  }
  return compareVersions(a.version, b.version);
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
  tags.forEach((tag, index) => {
    const version = parseListedTag(tag, helmChart);
    if (version) versions.push({ tag, version, index, key: numericKey(version) });
    else others.push(tag);
  });
  versions.sort((a, b) => compareEntries(b, a) || a.index - b.index);
  return [...versions.map((v) => v.tag), ...others];
}
