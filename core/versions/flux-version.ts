// Owns what Flux treats as a version: fluxcd/pkg/version ParseVersion on top of Masterminds v3
// NewVersion (lenient, uint64 parts), and Masterminds' ordering. Must not know about ranges or registries.

/** A parsed version, as Masterminds/semver v3 holds it. Parts are uint64, so they are bigints here. */
export interface FluxVersion {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  /** Prerelease without the leading `-`; empty when there is none. */
  readonly prerelease: string;
  /** Build metadata without the leading `+`; empty when there is none. Ignored by comparison. */
  readonly build: string;
  /** The exact text that was parsed. */
  readonly original: string;
}

const UINT64_MAX = (1n << 64n) - 1n;

// Masterminds `looseSemVerRegex`, used by NewVersion while CoerceNewVersion is true (the default).
const LOOSE_VERSION = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
const DIGITS = /^[0-9]+$/;
const IDENTIFIER = /^[0-9A-Za-z-]+$/;

function parseUint64(digits: string): bigint | undefined {
  const value = BigInt(digits);
  return value > UINT64_MAX ? undefined : value;
}

function isValidPrerelease(pre: string): boolean {
  for (const part of pre.split('.')) {
    if (part === '') return false;
    if (DIGITS.test(part)) {
      if (part.length > 1 && part[0] === '0') return false;
    } else if (!IDENTIFIER.test(part)) {
      return false;
    }
  }
  return true;
}

function isValidBuild(build: string): boolean {
  return build.split('.').every((part) => part !== '' && IDENTIFIER.test(part));
}

/**
 * Masterminds v3 `NewVersion` (coercing mode): optional lowercase `v`, 1–3 numeric parts, leading
 * zeros allowed, prerelease and build checked. Returns undefined where Go returns an error.
 */
export function parseMastermindsVersion(text: string): FluxVersion | undefined {
  return parsePlainVersion(text) ?? parseMastermindsVersionByRegexp(text);
}

/** Small parts as shared bigints, so the common tag allocates none. */
const SMALL_PARTS = Array.from({ length: 1024 }, (_, i) => BigInt(i));
/** major/minor/patch as plain numbers (scanPlainVersion's output). */
export interface PlainParts {
  major: number;
  minor: number;
  patch: number;
}

// A plain object rather than a typed array: cold code (a CLI run) reads and writes its fields several times faster.
const scanned: PlainParts = { major: 0, minor: 0, patch: 0 };

function asBigint(value: number): bigint {
  return value < SMALL_PARTS.length ? SMALL_PARTS[value]! : BigInt(value);
}

/**
 * The common shape, `[v]N.N.N` with no prerelease or build and parts of at most 15 digits, scanned without the regexp
 * (a 10,000-tag listing is parsed on every `flux-oci tags` run) into `parts`. False means "not that shape": use the regexp.
 */
export function scanPlainVersion(text: string, parts: PlainParts): boolean {
  const length = text.length;
  let i = length > 0 && text.charCodeAt(0) === 118 /* v */ ? 1 : 0;
  for (let part = 0; part < 3; part++) {
    const start = i;
    let value = 0;
    for (; i < length; i++) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      value = value * 10 + c;
    }
    if (i === start || i - start > 15) return false;
    if (part === 0) parts.major = value;
    else if (part === 1) parts.minor = value;
    else parts.patch = value;
    if (part < 2) {
      if (text.charCodeAt(i) !== 46 /* . */) return false;
      i++;
    }
  }
  return i === length;
}

function parsePlainVersion(text: string): FluxVersion | undefined {
  if (!scanPlainVersion(text, scanned)) return undefined;
  return { major: asBigint(scanned.major), minor: asBigint(scanned.minor), patch: asBigint(scanned.patch), prerelease: '', build: '', original: text };
}

/** Masterminds NewVersion through its own regexp (every shape). */
export function parseMastermindsVersionByRegexp(text: string): FluxVersion | undefined {
  const m = LOOSE_VERSION.exec(text);
  if (!m) return undefined;
  const major = parseUint64(m[1]!);
  const minor = m[2] ? parseUint64(m[2].slice(1)) : 0n;
  const patch = m[3] ? parseUint64(m[3].slice(1)) : 0n;
  if (major === undefined || minor === undefined || patch === undefined) return undefined;
  const prerelease = m[5] ?? '';
  const build = m[8] ?? '';
  if (prerelease !== '' && !isValidPrerelease(prerelease)) return undefined;
  if (build !== '' && !isValidBuild(build)) return undefined;
  return { major, minor, patch, prerelease, build, original: text };
}

/**
 * fluxcd/pkg/version `ParseVersion`: the text must split into three parts on `.` (two dots
 * anywhere), then parse with Masterminds `NewVersion`. Tags that fail are skipped by Flux.
 */
export function parseFluxTagVersion(tag: string): FluxVersion | undefined {
  const firstDot = tag.indexOf('.');
  if (firstDot < 0 || tag.indexOf('.', firstDot + 1) < 0) return undefined;
  return parseMastermindsVersion(tag);
}

/** Masterminds `comparePrePart`: numeric identifiers (uint64) sort below alphanumeric ones. */
function comparePrereleasePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return -1;
  if (o === '') return 1;
  const sNumber = DIGITS.test(s) ? parseUint64(s) : undefined;
  const oNumber = DIGITS.test(o) ? parseUint64(o) : undefined;
  if (sNumber === undefined && oNumber === undefined) return s > o ? 1 : -1;
  if (oNumber === undefined) return -1;
  if (sNumber === undefined) return 1;
  return sNumber > oNumber ? 1 : sNumber < oNumber ? -1 : 0;
}

/** Masterminds `comparePrerelease` over dot-separated identifiers; a shorter list sorts first. */
export function comparePrereleases(a: string, b: string): number {
  const aParts = a.split('.');
  const bParts = b.split('.');
  const length = Math.max(aParts.length, bParts.length);
  for (let i = 0; i < length; i++) {
    const d = comparePrereleasePart(aParts[i] ?? '', bParts[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

/** Masterminds `Version.Compare`: -1, 0 or 1; build metadata is ignored; a prerelease sorts below its release. */
export function compareVersions(a: FluxVersion, b: FluxVersion): number {
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.minor !== b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch !== b.patch) return a.patch < b.patch ? -1 : 1;
  if (a.prerelease === '' && b.prerelease === '') return 0;
  if (a.prerelease === '') return 1;
  if (b.prerelease === '') return -1;
  return comparePrereleases(a.prerelease, b.prerelease);
}

/** Canonical text like Masterminds `Version.String()`: no `v`, no leading zeros. */
export function formatVersion(v: FluxVersion): string {
  let text = `${v.major}.${v.minor}.${v.patch}`;
  if (v.prerelease) text += `-${v.prerelease}`;
  if (v.build) text += `+${v.build}`;
  return text;
}
