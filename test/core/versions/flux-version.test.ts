// Tests Flux's tag-version parsing and Masterminds ordering against fluxcd/pkg and Masterminds test tables.
// Expected values come from those sources and SEMVER.md, never from this code's output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVersions, formatVersion, parseFluxTagVersion, parseMastermindsVersion } from '../../../core/versions/flux-version';
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
