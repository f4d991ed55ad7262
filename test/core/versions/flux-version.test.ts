// Tests Flux's tag-version parsing and Masterminds ordering against fluxcd/pkg and Masterminds test tables.
// Expected values come from those sources and SEMVER.md, never from this code's output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVersions, formatVersion, parseFluxTagVersion, parseMastermindsVersion, parseMastermindsVersionByRegexp, scanPlainVersion } from '../../../core/versions/flux-version';
import { COMPARE_CASES, NEW_VERSION_CASES } from './fixtures/masterminds-tables';

test('Masterminds TestNewVersion (loose, the default) table', () => {
  assert.ok(NEW_VERSION_CASES.length > 40);
  for (const [text, isError] of NEW_VERSION_CASES) {
    assert.equal(parseMastermindsVersion(text) === undefined, isError, text);
  }
});

test('Masterminds TestCompare table', () => {
  for (const [a, b, expected] of COMPARE_CASES) {
    const va = parseMastermindsVersion(a);
    const vb = parseMastermindsVersion(b);
    assert.ok(va && vb, `${a} ${b}`);
    assert.equal(compareVersions(va, vb), expected, `${a} vs ${b}`);
  }
});

// fluxcd/pkg version/version_test.go TestParseVersion.
const FLUX_PARSE_VERSION: ReadonlyArray<readonly [string, boolean]> = [
  ['v1.2.3', false],
  ['v2025.07.03', false],
  ['v1.0', true],
  ['v1', true],
  ['v1.2.beta', true],
  ['v1.2-5', true],
  ['v1.2-beta5', true],
  ['\nv1.2', true],
  ['v1.2.0-x.Y.0+metadata', false],
  ['v1.2.0-x.Y.0+metadata-width-hypen', false],
  ['v1.2.3-rc1-with-hypen', false],
  ['v1.2.3.4', true],
];

test('fluxcd/pkg TestParseVersion table', () => {
  for (const [tag, isError] of FLUX_PARSE_VERSION) assert.equal(parseFluxTagVersion(tag) === undefined, isError, JSON.stringify(tag));
});

test('SEMVER.md accepted tags and their canonical versions', () => {
  const accepted: ReadonlyArray<readonly [string, string]> = [
    ['1.2.3', '1.2.3'],
    ['v1.2.3', '1.2.3'],
    ['01.2.3', '1.2.3'],
    ['v2025.02.03', '2025.2.3'],
    ['1.2.3-rc.1', '1.2.3-rc.1'],
    ['1.2-rc.1', '1.2.0-rc.1'],
    ['1.2.3+build.5', '1.2.3+build.5'],
  ];
  for (const [tag, canonical] of accepted) {
    const v = parseFluxTagVersion(tag);
    assert.ok(v, tag);
    assert.equal(formatVersion(v), canonical);
    assert.equal(v.original, tag);
  }
});

test('SEMVER.md skipped tags', () => {
  for (const tag of ['1.2', 'v1.2', '1', '2.0', '1.2.3.4', 'V1.2.3', '=1.2.3', '1.2.3beta', '1.2.3-01', 'latest', 'main', 'sha-abc123']) {
    assert.equal(parseFluxTagVersion(tag), undefined, tag);
  }
});

test('parts are uint64: 2^64-1 parses, 2^64 does not, and big parts compare numerically', () => {
  const max = parseFluxTagVersion('18446744073709551615.0.0');
  assert.ok(max);
  assert.equal(max.major, 18446744073709551615n);
  assert.equal(parseFluxTagVersion('18446744073709551616.0.0'), undefined);
  const a = parseFluxTagVersion('9007199254740993.0.0');
  const b = parseFluxTagVersion('9007199254740992.0.0');
  assert.ok(a && b);
  assert.equal(compareVersions(a, b), 1);
});

test('build metadata is ignored by comparison; prerelease identifiers follow semver precedence', () => {
  const v = (s: string) => parseFluxTagVersion(s)!;
  assert.equal(compareVersions(v('1.0.0+a'), v('1.0.0+b')), 0);
  assert.equal(compareVersions(v('1.0.0-alpha'), v('1.0.0-alpha.1')), -1);
  assert.equal(compareVersions(v('1.0.0-alpha.1'), v('1.0.0-alpha.beta')), -1);
  assert.equal(compareVersions(v('1.0.0-beta.2'), v('1.0.0-beta.11')), -1);
  assert.equal(compareVersions(v('1.0.0-rc.1'), v('1.0.0')), -1);
});

test('the plain-tag scanner agrees with the Masterminds regexp wherever it answers, and leaves every other shape to it', () => {
  // Every string over a small alphabet up to 6 characters, plus long and edge-case parts.
  const alphabet = ['0', '1', '9', '.', 'v', 'V', '-', '+', 'a', ' '];
  const inputs = [''];
  for (let length = 1; length <= 6; length++) {
    const previous = inputs.filter((s) => s.length === length - 1);
    for (const p of previous) for (const c of alphabet) inputs.push(p + c);
  }
  inputs.push('999999999999999.0.0', '9999999999999999.0.0', '18446744073709551615.1.1', '1.2.3\n', '１.2.3', '1.2.3.4', 'v01.002.0003');
  const parts = { major: 0, minor: 0, patch: 0 };
  let scanned = 0;
  for (const text of inputs) {
    const expected = parseMastermindsVersionByRegexp(text);
    if (scanPlainVersion(text, parts)) {
      scanned++;
      assert.ok(expected, `scanned ${JSON.stringify(text)}, which Masterminds refuses`);
      assert.deepEqual([BigInt(parts.major), BigInt(parts.minor), BigInt(parts.patch)], [expected.major, expected.minor, expected.patch], text);
      assert.equal(expected.prerelease + expected.build, '', text);
    }
    assert.deepEqual(parseMastermindsVersion(text), expected, JSON.stringify(text));
  }
  assert.ok(scanned > 200, `${scanned} plain inputs`); // the fast path is really taken
  assert.equal(scanPlainVersion('9999999999999999.0.0', parts), false); // 16 digits: past 2^53, left to the bigint path
});
