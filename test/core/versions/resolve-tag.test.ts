// Tests which tag Flux would pull: a table of (range, tags, expected tag | error) derived from the Go library's
// tables and SEMVER.md, plus precedence, filters, Helm `_` tags, statuses and ties. Never from this code's output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveRef } from '../../../core/versions/resolve-tag';
import { CONSTRAINT_CHECK_CASES, CONSTRAINTS_CHECK_CASES } from './fixtures/masterminds-tables';

type Expected = { tag: string } | { error: 'invalid-range' | 'invalid-filter' | 'no-match' };
interface Case {
  range: string;
  tags: string[];
  expected: Expected;
  filter?: string;
  helm?: boolean;
}

const twoDots = (s: string) => s.split('.').length >= 3;

// Masterminds constraints_test.go (TestConstraintCheck, TestConstraintsCheck): one listed tag per case. A `true`
// check means Flux picks that tag, `false` means "no match". Only versions Flux's ParseVersion accepts (three parts).
const fromMasterminds: Case[] = [...CONSTRAINT_CHECK_CASES, ...CONSTRAINTS_CHECK_CASES]
  .filter(([range, version]) => range !== '' && twoDots(version))
  .map(([range, version, ok]) => ({ range, tags: [version], expected: ok ? { tag: version } : { error: 'no-match' } }));

// SEMVER.md: examples run through the Flux code path.
const fromSemverMd: Case[] = [
  { range: '*', tags: ['1.2', '1', '1.2.3.4', 'V1.2.7', '2.0'], expected: { error: 'no-match' } },
  { range: '*', tags: ['01.2.3', '1.2'], expected: { tag: '01.2.3' } },
  { range: '>=1.0.0-0', tags: ['1.2-rc.1', '1.1.0'], expected: { tag: '1.2-rc.1' } },
  { range: '>=1.0.0 <2.0.0', tags: ['1.5.0-rc.1', '1.4.0'], expected: { tag: '1.4.0' } },
  { range: '>=1.5.0-0 <2.0.0', tags: ['1.5.0-rc.1', '1.4.0', '1.6.0-rc.1'], expected: { tag: '1.6.0-rc.1' } },
  { range: '>=1.0.0-0 <2.0.0', tags: ['1.9.0', '2.0.0-rc.1', '2.0.0'], expected: { tag: '2.0.0-rc.1' } },
  { range: '*-0', tags: ['1.0.0', '2.0.0-rc.1'], expected: { tag: '2.0.0-rc.1' } },
  { range: '*', tags: ['1.0.0', '2.0.0-rc.1'], expected: { tag: '1.0.0' } },
  { range: '>=1.0.0, <2.0.0', tags: ['0.9.0', '1.0.0', '1.9.9', '2.0.0'], expected: { tag: '1.9.9' } },
  { range: '>=1.0.0,<2.0.0', tags: ['0.9.0', '1.0.0', '1.9.9', '2.0.0'], expected: { tag: '1.9.9' } },
  { range: '>= 1.0.0', tags: ['0.9.0', '1.0.0'], expected: { tag: '1.0.0' } },
  { range: '>1.2', tags: ['1.2.9', '1.3.0', '1.2.0'], expected: { tag: '1.3.0' } },
  { range: '>=v1.0.0', tags: ['v0.9.0', 'v1.0.1'], expected: { tag: 'v1.0.1' } },
  { range: '1.2 - 1.4.5', tags: ['1.1.9', '1.2.0', '1.4.5', '1.4.6'], expected: { tag: '1.4.5' } },
  { range: '~1.2.3', tags: ['1.2.2', '1.2.3', '1.2.9', '1.3.0'], expected: { tag: '1.2.9' } },
  { range: '~1.2', tags: ['1.2.0', '1.2.7', '1.3.0'], expected: { tag: '1.2.7' } },
  { range: '~1', tags: ['0.9.0', '1.0.0', '1.9.0', '2.0.0'], expected: { tag: '1.9.0' } },
  { range: '^1.2.3', tags: ['1.2.3', '1.9.0', '2.0.0'], expected: { tag: '1.9.0' } },
  { range: '^0.2.3', tags: ['0.2.3', '0.2.9', '0.3.0'], expected: { tag: '0.2.9' } },
  { range: '^0.0.3', tags: ['0.0.3', '0.0.4'], expected: { tag: '0.0.3' } },
  { range: '^0.0', tags: ['0.0.0', '0.0.9', '0.1.0'], expected: { tag: '0.0.9' } },
  { range: '^0', tags: ['0.0.0', '0.9.9', '1.0.0'], expected: { tag: '0.9.9' } },
  { range: '1.2.x', tags: ['1.1.9', '1.2.0', '1.2.5', '1.3.0'], expected: { tag: '1.2.5' } },
  { range: '<=2.x', tags: ['1.0.0', '2.9.9', '3.0.0'], expected: { tag: '2.9.9' } },
  { range: '~0.0.0', tags: ['0.0.1', '9.9.9'], expected: { tag: '9.9.9' } },
  { range: '^*', tags: ['0.0.0', '0.0.1', '1.0.0'], expected: { tag: '0.0.0' } },
  { range: '<=*', tags: ['0.0.0', '0.0.7', '0.1.0'], expected: { tag: '0.0.7' } },
  { range: '!=1.2', tags: ['1.2.0', '1.2.9', '1.1.0'], expected: { tag: '1.1.0' } },
  { range: '!=1.2.3', tags: ['1.2.3', '1.2.4-rc.1', '1.2.2'], expected: { tag: '1.2.2' } },
  { range: '1.x.3', tags: ['1.0.0', '1.9.0', '2.0.0'], expected: { tag: '1.9.0' } },
  { range: '1.x-0', tags: ['1.5.0-rc.1', '1.4.0', '2.0.0'], expected: { tag: '1.5.0-rc.1' } },
  { range: '6.1.x-0', tags: ['6.1.3-beta.1', '6.1.2', '6.2.0-beta.1'], expected: { tag: '6.1.3-beta.1' } },
  { range: '=>1.0.0', tags: ['1.0.0'], expected: { tag: '1.0.0' } },
  { range: '=<1.0.0', tags: ['1.0.0', '1.0.1'], expected: { tag: '1.0.0' } },
  { range: '~>1.2', tags: ['1.2.7', '1.3.0'], expected: { tag: '1.2.7' } },
  { range: 'latest', tags: ['latest', '1.0.0'], expected: { error: 'invalid-range' } },
  { range: '>>1', tags: ['1.0.0'], expected: { error: 'invalid-range' } },
  { range: 'abc', tags: ['1.0.0'], expected: { error: 'invalid-range' } },
  { range: '1.0 ||', tags: ['1.0.0'], expected: { error: 'invalid-range' } },
  { range: '>=1.0.0', tags: ['v2025.02.03', '1.0.0'], expected: { tag: 'v2025.02.03' } },
  { range: '>=1.0.0', tags: ['1.2.3+build.5', '1.2.2'], expected: { tag: '1.2.3+build.5' } },
  { range: '>=1.0.0', tags: ['1.2.3-01', '1.2.3beta', '=1.2.3', 'V1.2.3', '1.0.0'], expected: { tag: '1.0.0' } },
  // Equal versions: with 12 or fewer matches the first in listing order wins.
  { range: '*', tags: ['v1.0.0', '1.0.0', '01.0.0'], expected: { tag: 'v1.0.0' } },
  { range: '*', tags: ['01.0.0', 'v1.0.0', '1.0.0'], expected: { tag: '01.0.0' } },
  // Helm charts: `_` means `+` before parsing; the listed text comes back.
  { range: '1.0.x', tags: ['1.0.0_b2', '0.9.0'], expected: { tag: '1.0.0_b2' }, helm: true },
  { range: '*', tags: ['1.0.0_b2', '0.9.0'], expected: { tag: '0.9.0' }, helm: false },
  // semverFilter: Go regexp, unanchored MatchString, applied before the range.
  { range: '>=1.0.0-0', tags: ['1.0.0', '1.1.0-rc.1', '1.2.0-dev.1'], filter: '.*-rc\\.[0-9]+$', expected: { tag: '1.1.0-rc.1' } },
  { range: '*', tags: ['1.0.0', '2.0.0'], filter: '^1\\.', expected: { tag: '1.0.0' } },
  { range: '*', tags: ['1.0.0', '2.0.0'], filter: '1', expected: { tag: '1.0.0' } },
  { range: '*', tags: ['1.0.0', '2.0.0'], filter: '^3', expected: { error: 'no-match' } },
  { range: '*', tags: ['1.0.0'], filter: '(?=1)', expected: { error: 'invalid-filter' } },
  { range: 'nope', tags: ['1.0.0'], filter: '(?=1)', expected: { error: 'invalid-filter' } },
  { range: '*', tags: ['v1.0.0', 'V2.0.0'], filter: '(?i)^v', expected: { tag: 'v1.0.0' } },
];

const CASES: Case[] = [...fromMasterminds, ...fromSemverMd];

test(`resolution table: ${CASES.length} cases`, () => {
  assert.ok(CASES.length >= 150, `only ${CASES.length} cases`);
  for (const c of CASES) {
    const result = resolveRef({ tags: c.tags, ref: { semver: c.range, semverFilter: c.filter }, helmChart: c.helm ?? false });
    const label = `${c.range} on [${c.tags.join(', ')}]${c.filter ? ` filter ${c.filter}` : ''}`;
    assert.equal(result.kind, 'semver', label);
    if ('tag' in c.expected) {
      assert.equal(result.error, undefined, `${label}: ${result.error?.message}`);
      assert.equal(result.tag, c.expected.tag, label);
    } else {
      assert.equal(result.tag, undefined, label);
      assert.equal(result.error?.code, c.expected.error, label);
    }
  }
});

test('ref precedence: digest > semver > tag > latest', () => {
  const tags = ['1.0.0', 'stable'];
  const digest = 'sha256:' + 'a'.repeat(64);
  assert.deepEqual(resolveRef({ tags, ref: { digest, semver: '*', tag: 'stable' }, helmChart: false }), { kind: 'digest', digest, candidates: [] });
  const semver = resolveRef({ tags, ref: { semver: '*', tag: 'stable' }, helmChart: false });
  assert.equal(semver.kind, 'semver');
  assert.equal(semver.tag, '1.0.0');
  assert.equal(semver.digest, undefined);
  assert.deepEqual(resolveRef({ tags, ref: { tag: 'stable' }, helmChart: false }), { kind: 'tag', tag: 'stable', candidates: [] });
  assert.deepEqual(resolveRef({ tags, ref: {}, helmChart: false }), { kind: 'latest', tag: 'latest', candidates: [] });
  assert.deepEqual(resolveRef({ tags, ref: { semverFilter: '^1' }, helmChart: false }).kind, 'latest');
});

test('every listed tag gets a status, in listing order', () => {
  const result = resolveRef({
    tags: ['main', '2.0.0', '1.5.0-rc.1', '1.4.0', '1.3.0', 'v0.1.0', 'x-1.9.0'],
    ref: { semver: '>=1.0.0 <2.0.0', semverFilter: '^[0-9v]' },
    helmChart: false,
  });
  assert.equal(result.tag, '1.4.0');
  assert.deepEqual(result.candidates, [
    { tag: 'main', version: undefined, status: 'filtered' },
    { tag: '2.0.0', version: '2.0.0', status: 'outside-range' },
    { tag: '1.5.0-rc.1', version: '1.5.0-rc.1', status: 'prerelease' },
    { tag: '1.4.0', version: '1.4.0', status: 'chosen' },
    { tag: '1.3.0', version: '1.3.0', status: 'lower' },
    { tag: 'v0.1.0', version: '0.1.0', status: 'outside-range' },
    { tag: 'x-1.9.0', version: undefined, status: 'filtered' },
  ]);
  const unparsable = resolveRef({ tags: ['1.2', 'latest', '1.0.0'], ref: { semver: '*' }, helmChart: false });
  assert.deepEqual(
    unparsable.candidates.map((c) => c.status),
    ['not-semver', 'not-semver', 'chosen'],
  );
});

test('ties are flagged ambiguous with the other equal tags', () => {
  const result = resolveRef({ tags: ['v1.0.0', '0.9.0', '1.0.0', '01.0.0'], ref: { semver: '*' }, helmChart: false });
  assert.equal(result.tag, 'v1.0.0');
  assert.deepEqual(result.ambiguousWith, ['1.0.0', '01.0.0']);
  const helm = resolveRef({ tags: ['1.0.0', '1.0.0_b2'], ref: { semver: '*' }, helmChart: true });
  assert.equal(helm.tag, '1.0.0');
  assert.deepEqual(helm.ambiguousWith, ['1.0.0_b2']);
  assert.equal(helm.candidates[1]!.version, '1.0.0+b2');
  const clear = resolveRef({ tags: ['1.0.0', '2.0.0'], ref: { semver: '*' }, helmChart: false });
  assert.equal(clear.ambiguousWith, undefined);
});

test('"no match" names the highest version tags and keeps Flux wording', () => {
  const result = resolveRef({ tags: ['0.1.0', '0.3.0', 'main', '0.2.0', '0.10.0-rc.1'], ref: { semver: '>=1.0.0' }, helmChart: false });
  assert.equal(result.error?.code, 'no-match');
  assert.match(result.error!.message, /^no match found for semver: >=1\.0\.0/);
  assert.match(result.error!.message, /0\.10\.0-rc\.1, 0\.3\.0, 0\.2\.0, 0\.1\.0/);
  const filtered = resolveRef({ tags: ['1.0.0'], ref: { semver: '*', semverFilter: '^v' }, helmChart: false });
  assert.match(filtered.error!.message, /semverFilter/);
  const empty = resolveRef({ tags: [], ref: { semver: '*' }, helmChart: false });
  assert.match(empty.error!.message, /no tags/);
});

test('invalid range and filter messages say what is wrong', () => {
  const range = resolveRef({ tags: ['1.0.0'], ref: { semver: '>>1' }, helmChart: false });
  assert.equal(range.error?.code, 'invalid-range');
  assert.match(range.error!.message, /improper constraint/);
  const filter = resolveRef({ tags: ['1.0.0'], ref: { semver: '*', semverFilter: 'a(?<=b)' }, helmChart: false });
  assert.equal(filter.error?.code, 'invalid-filter');
  assert.match(filter.error!.message, /look-behind/);
});
