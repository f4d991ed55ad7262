// Owns the character sets of Go's RE2 syntax (Perl `\d\s\w`, POSIX `[:alpha:]`, case folding) as code-point
// ranges, and how to write them as JavaScript `u`-mode RegExp text. Must not parse patterns.

/** Inclusive code-point ranges, sorted and non-overlapping after `normalizeRanges`. */
export type CodeRange = readonly [number, number];

export const MAX_CODE_POINT = 0x10ffff;

/** Go's Perl classes are ASCII only (regexp/syntax perl_groups.go). */
export const PERL_CLASSES: Record<string, CodeRange[]> = {
  d: [[0x30, 0x39]],
  s: [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]],
  w: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
};

/** Go's POSIX classes (regexp/syntax perl_groups.go `posixGroup`). */
export const POSIX_CLASSES: Record<string, CodeRange[]> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

/** Go's Unicode general categories (`unicode.Categories`); any other `\p{Name}` is a script. */
export const UNICODE_CATEGORIES = new Set([
  'C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn',
  'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So',
  'Z', 'Zl', 'Zp', 'Zs',
]);

export function normalizeRanges(ranges: readonly CodeRange[]): CodeRange[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export function complementRanges(ranges: readonly CodeRange[]): CodeRange[] {
  const out: CodeRange[] = [];
  let next = 0;
  for (const [lo, hi] of normalizeRanges(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

/** Simple case variants of one code point (what Go's `(?i)` folds together, close enough for filters). */
export function caseVariants(cp: number): number[] {
  const ch = String.fromCodePoint(cp);
  const variants = new Set<number>([cp]);
  for (const v of [ch.toLowerCase(), ch.toUpperCase()]) {
    const first = v.codePointAt(0);
    if (first !== undefined && String.fromCodePoint(first) === v) variants.add(first);
  }
  // Go folds these orbits too: k/K/KELVIN SIGN, s/S/LONG S.
  if (cp === 0x6b || cp === 0x4b || cp === 0x212a) [0x6b, 0x4b, 0x212a].forEach((c) => variants.add(c));
  if (cp === 0x73 || cp === 0x53 || cp === 0x17f) [0x73, 0x53, 0x17f].forEach((c) => variants.add(c));
  return [...variants];
}

/** Adds case variants to ranges; large non-ASCII ranges are kept as they are (documented limit). */
export function foldRanges(ranges: readonly CodeRange[]): CodeRange[] {
  const extra: CodeRange[] = [];
  for (const [lo, hi] of ranges) {
    const end = hi - lo > 5000 ? Math.min(hi, 0x7f) : hi;
    for (let cp = lo; cp <= end; cp++) for (const v of caseVariants(cp)) if (v !== cp) extra.push([v, v]);
  }
  return normalizeRanges([...ranges, ...extra]);
}

/** One code point as JS `u`-mode RegExp text, safe both inside and outside a class. */
export function codePointText(cp: number): string {
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) {
    return String.fromCodePoint(cp);
  }
  return `\\u{${cp.toString(16)}}`;
}

/** Class body text (without brackets) for ranges. */
export function rangesText(ranges: readonly CodeRange[]): string {
  return ranges.map(([lo, hi]) => (lo === hi ? codePointText(lo) : `${codePointText(lo)}-${codePointText(hi)}`)).join('');
}
