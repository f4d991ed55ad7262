// Tests the Masterminds v3 range port against the Go library's own tables and SEMVER.md's documented quirks.
// Expected values come from those sources, never from this code's output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConstraint } from '../../../core/versions/masterminds-constraint';
import { parseMastermindsVersion } from '../../../core/versions/flux-version';
import { CONSTRAINT_CHECK_CASES, CONSTRAINTS_CHECK_CASES, NEW_CONSTRAINT_CASES } from './fixtures/masterminds-tables';

function check(range: string, version: string): boolean {
  const parsed = parseConstraint(range);
  assert.ok(parsed.ok, `range ${JSON.stringify(range)} should parse: ${parsed.ok ? '' : parsed.error}`);
  const v = parseMastermindsVersion(version);
  assert.ok(v, `version ${JSON.stringify(version)} should parse`);
  return parsed.constraint.check(v);
}

test('Masterminds TestConstraintCheck table (single comparators)', () => {
  assert.ok(CONSTRAINT_CHECK_CASES.length > 100);
  for (const [range, version, expected] of CONSTRAINT_CHECK_CASES) {
    // The internal parseConstraint treats "" as `*`; NewConstraint (what Flux calls) rejects "" first.
    if (range === '') continue;
    assert.equal(check(range, version), expected, `${range} on ${version}`);
  }
});

test('Masterminds TestConstraintsCheck table (full ranges)', () => {
  assert.ok(CONSTRAINTS_CHECK_CASES.length > 100);
  for (const [range, version, expected] of CONSTRAINTS_CHECK_CASES) {
    assert.equal(check(range, version), expected, `${range} on ${version}`);
  }
});

test('Masterminds TestNewConstraint table (which ranges parse)', () => {
  for (const [range, , , isError] of NEW_CONSTRAINT_CASES) {
    assert.equal(parseConstraint(range).ok, !isError, range);
  }
});

// SEMVER.md "Range grammar": quirks of the real library.
const QUIRKS: ReadonlyArray<readonly [string, string, boolean]> = [
  ['~0.0.0', '5.6.7', true],
  ['^*', '0.0.0', true],
  ['^*', '0.0.1', false],
  ['^*', '1.0.0', false],
  ['<=*', '0.0.9', true],
  ['<=*', '0.1.0', false],
  ['!=1.2', '1.2.9', false],
  ['!=1.2', '1.3.0', true],
  ['1.x.3', '1.9.0', true],
  ['1.x.3', '2.0.0', false],
  ['*-0', '2.0.0-rc.1', true],
  ['1.x-0', '1.5.0-rc.1', true],
  ['6.1.x-0', '6.1.3-beta.1', true],
  ['6.1.x-0', '6.2.0-beta.1', false],
  ['<=2.x', '2.9.9', true],
  ['<=2.x', '3.0.0', false],
  ['*', '0.0.0', true],
  ['1.2.x', '1.2.0', true],
  ['1.2.x', '1.3.0', false],
  ['~1.2.3', '1.2.9', true],
  ['~1.2.3', '1.3.0', false],
  ['~1', '1.9.9', true],
  ['~1', '2.0.0', false],
  ['^0.2.3', '0.2.9', true],
  ['^0.2.3', '0.3.0', false],
  ['^0.0.3', '0.0.3', true],
  ['^0.0.3', '0.0.4', false],
  ['^0.0', '0.0.9', true],
  ['^0.0', '0.1.0', false],
  ['^0', '0.9.9', true],
  ['^0', '1.0.0', false],
  ['>=1.0.0-0 <2.0.0', '2.0.0-rc.1', true],
  ['>=1.0.0 <2.0.0', '1.5.0-rc.1', false],
  ['!=1.2.3', '1.2.4-rc.1', false],
  ['1.2 - 1.4.5', '1.2.0', true],
  ['1.2 - 1.4.5', '1.4.5', true],
  ['1.2 - 1.4.5', '1.4.6', false],
  ['>= 1.0.0', '1.0.0', true],
  ['>=v1.0.0', '1.0.0', true],
  ['>1.2', '1.2.9', false],
  ['>1.2', '1.3.0', true],
  ['>=1.0.0,<2.0.0', '1.9.9', true],
  ['>=1.0.0, <2.0.0', '2.0.0', false],
  ['=>1.0.0', '1.0.0', true],
  ['=<1.0.0', '1.0.0', true],
  ['~>1.2', '1.2.7', true],
];

test('SEMVER.md grammar quirks', () => {
  for (const [range, version, expected] of QUIRKS) assert.equal(check(range, version), expected, `${range} on ${version}`);
});

test('SEMVER.md: not ranges', () => {
  for (const range of ['latest', '>>1', 'abc', '1.0 ||', '|| 1.0', '', '1.2.3.4', 'v', '>=1.0.0 <2.0.0 ||']) {
    const parsed = parseConstraint(range);
    assert.equal(parsed.ok, false, range);
    if (!parsed.ok) assert.ok(parsed.error.length > 0);
  }
});

test('a prerelease in one OR branch does not admit prereleases in another (per-AND-group rule)', () => {
  assert.equal(check('>=1.0.0-0 <1.1.0 || >=2.0.0', '2.1.0-rc.1'), false);
  assert.equal(check('>=1.0.0-0 <1.1.0 || >=2.0.0', '1.0.5-rc.1'), true);
  assert.equal(check('>=1.0.0 <1.1.0 || >=2.0.0-0', '2.1.0-rc.1'), true);
});

test('mentionsPrerelease reflects any branch', () => {
  const a = parseConstraint('>=1.0.0 || >=2.0.0-0');
  const b = parseConstraint('>=1.0.0 <2.0.0');
  assert.ok(a.ok && b.ok);
  assert.equal(a.constraint.mentionsPrerelease, true);
  assert.equal(b.constraint.mentionsPrerelease, false);
  assert.equal(b.constraint.source, '>=1.0.0 <2.0.0');
});

test('hostile ranges fail or answer without hanging', () => {
  const many = Array.from({ length: 200 }, () => '1').join('  ') + ' !';
  assert.equal(parseConstraint(many).ok, false);
  assert.equal(parseConstraint('1'.repeat(2000)).ok, false);
  assert.equal(parseConstraint('99999999999999999999.0.0').ok, false);
});
