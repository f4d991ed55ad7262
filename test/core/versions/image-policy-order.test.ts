// Which tag an ImagePolicy selects: a table of (policy, filterTags, tags, expected tag | error) taken from
// image-reflector-controller's own policy tests and rules (database order, map dedupe, ties, invalid numbers, empty lists).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { applyExclusionList, compareGoStrings, selectImagePolicyTag, type ImagePolicyChoice, type ImagePolicyErrorCode } from '../../../core/versions/image-policy-order';
import { parseGoFloat } from '../../../core/versions/go-float';

interface Case {
  label: string;
  policy: ImagePolicyChoice;
  tags: string[];
  filter?: { pattern: string; extract?: string };
  expected: { tag: string; ambiguousWith?: string[] } | { error: ImagePolicyErrorCode };
}

const semver = (range: string): ImagePolicyChoice => ({ kind: 'semver', range });
const alpha = (order?: string): ImagePolicyChoice => ({ kind: 'alphabetical', order });
const num = (order?: string): ImagePolicyChoice => ({ kind: 'numerical', order });

const cases: Case[] = [
  // semver (internal/policy/semver.go): Masterminds range, fluxcd/pkg/version parsing, highest wins.
  { label: 'semver picks the highest in range', policy: semver('>=1.0.0 <2.0.0'), tags: ['0.9.0', '1.0.0', '1.9.9', '2.0.0'], expected: { tag: '1.9.9' } },
  { label: 'semver skips prereleases unless the range asks', policy: semver('>=1.0.0'), tags: ['1.0.0', '1.1.0-rc.1'], expected: { tag: '1.0.0' } },
  { label: 'semver takes prereleases when the range has one', policy: semver('>=1.0.0-0'), tags: ['1.0.0', '1.1.0-rc.1'], expected: { tag: '1.1.0-rc.1' } },
  { label: 'semver ignores tags that are not three-part versions', policy: semver('*'), tags: ['latest', '1.2', 'main-abc', '1.0.0'], expected: { tag: '1.0.0' } },
  { label: 'semver with nothing in range fails', policy: semver('>=3.0.0'), tags: ['1.0.0', '2.0.0'], expected: { error: 'no-match' } },
  { label: 'semver: an invalid range is an invalid policy', policy: semver('>=1.0.0 <'), tags: ['1.0.0'], expected: { error: 'invalid-policy' } },
  // Equal versions: without a filter Flux iterates the database (descending string order) and keeps the first strictly greater.
  { label: 'semver tie without filter: v1.0.0 sorts before 1.0.0 and wins', policy: semver('1.x'), tags: ['1.0.0', 'v1.0.0'], expected: { tag: 'v1.0.0' } },
  // With filterTags the candidates come from a Go map: a tie is reported as ambiguous.
  { label: 'semver tie with a filter is ambiguous', policy: semver('1.x'), tags: ['1.0.0', 'v1.0.0'], filter: { pattern: '.*' }, expected: { tag: 'v1.0.0', ambiguousWith: ['1.0.0'] } },
  {
    label: 'semver with extract compares the extracted version and writes the tag',
    policy: semver('>=1.0.0'),
    tags: ['app-1.2.0', 'app-1.10.0', 'other-9.0.0'],
    filter: { pattern: '^app-(?P<v>.*)$', extract: '$v' },
    expected: { tag: 'app-1.10.0' },
  },
  // alphabetical (internal/policy/alphabetical.go): asc takes the last in byte order, desc the first.
  { label: 'alphabetical asc (default) takes the last', policy: alpha(), tags: ['RELEASE.2020-01-01', 'RELEASE.2021-06-30', 'RELEASE.2020-12-31'], expected: { tag: 'RELEASE.2021-06-30' } },
  { label: 'alphabetical desc takes the first', policy: alpha('desc'), tags: ['b', 'a', 'c'], expected: { tag: 'a' } },
  { label: 'alphabetical compares bytes: uppercase before lowercase', policy: alpha('asc'), tags: ['Zeta', 'alpha'], expected: { tag: 'alpha' } },
  { label: 'alphabetical compares UTF-8 bytes, not UTF-16 units', policy: alpha('asc'), tags: ['\u{1F600}', '\uFF21'], expected: { tag: '\u{1F600}' } },
  { label: 'alphabetical: an invalid order is an invalid policy', policy: alpha('up'), tags: ['a'], expected: { error: 'invalid-policy' } },
  // numerical (internal/policy/numerical.go): strconv.ParseFloat, any invalid value fails the whole policy.
  { label: 'numerical asc of integers', policy: num(), tags: ['-62', '-88', '73', '72', '15', '16', '29', '-33', '-91'], expected: { tag: '73' } },
  { label: 'numerical desc of integers', policy: num('DESC'), tags: ['5', '-8', '-78', '25', '70', '-4', '80', '92'], expected: { tag: '-78' } },
  { label: 'numerical of floats', policy: num('asc'), tags: ['47.40896403322944', '-27.8520927455902', '53.47333823144817', '3.2008658570411086'], expected: { tag: '53.47333823144817' } },
  { label: 'numerical of unix timestamps', policy: num(), tags: ['1606234201', '1606364286', '1606334092'], expected: { tag: '1606364286' } },
  { label: 'numerical: one invalid value fails the policy', policy: num(), tags: ['0', '1a', 'b'], expected: { error: 'invalid-number' } },
  { label: 'numerical: a semver-looking tag is invalid too', policy: num(), tags: ['1', '1.2.3'], expected: { error: 'invalid-number' } },
  { label: 'numerical: ParseFloat syntax (exponent, hex float, underscores)', policy: num(), tags: ['1e3', '0x1p10', '1_001'], expected: { tag: '0x1p10' } },
  { label: 'numerical: out of float64 range is invalid', policy: num(), tags: ['1', '1e400'], expected: { error: 'invalid-number' } },
  // Equal values without a filter: the later one in database order replaces the earlier ("1" comes after "1.0" descending).
  { label: 'numerical tie without filter: the later in database order wins', policy: num(), tags: ['1.0', '1'], expected: { tag: '1' } },
  {
    label: 'numerical with extract (main-<sha>-<ts>)',
    policy: num('asc'),
    tags: ['main-a1b2c3-1700000000', 'main-d4e5f6-1700000900', 'main-0a0b0c-1699999999', 'v1.0.0'],
    filter: { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$', extract: '$ts' },
    expected: { tag: 'main-d4e5f6-1700000900' },
  },
  {
    label: 'numerical with extract: same extraction keeps the later tag in database order',
    policy: num(),
    tags: ['b-5', 'a-5', 'c-4'],
    filter: { pattern: '^[a-z]-([0-9])$', extract: '$1' },
    expected: { tag: 'a-5' },
  },
  // Empty results (controller: "no tags in database"; policer: "version list argument cannot be empty").
  { label: 'no tags at all', policy: semver('*'), tags: [], expected: { error: 'no-tags' } },
  { label: 'a filter that matches nothing', policy: alpha(), tags: ['a', 'b'], filter: { pattern: '^release-' }, expected: { error: 'no-match' } },
  { label: 'an invalid filter pattern', policy: alpha(), tags: ['a'], filter: { pattern: '(?=x)' }, expected: { error: 'invalid-pattern' } },
  {
    label: 'an unknown extract group extracts empty strings: all tags collapse into one',
    policy: alpha(),
    tags: ['x-1', 'x-2'],
    filter: { pattern: '^x-([0-9])$', extract: '$nope' },
    expected: { tag: 'x-1' },
  },
];

for (const c of cases) {
  test(`ImagePolicy: ${c.label}`, () => {
    const result = selectImagePolicyTag({ tags: c.tags, policy: c.policy, filterTags: c.filter });
    if ('error' in c.expected) {
      assert.equal(result.tag, undefined);
      assert.equal(result.error?.code, c.expected.error, result.error?.message);
    } else {
      assert.equal(result.error, undefined, result.error?.message);
      assert.equal(result.tag, c.expected.tag);
      assert.deepEqual(result.ambiguousWith, c.expected.ambiguousWith);
    }
  });
}

test('the result is the same whatever order the registry lists the tags in', () => {
  const tags = ['1.0.0', 'v1.0.0', '1.2.0', '0.9.0'];
  const reversed = selectImagePolicyTag({ tags: [...tags].reverse(), policy: semver('1.x') });
  assert.equal(selectImagePolicyTag({ tags, policy: semver('1.x') }).tag, reversed.tag);
});

test('ranked lists the best candidates first, with what was compared', () => {
  const result = selectImagePolicyTag({ tags: ['main-a-3', 'main-b-10', 'main-c-2'], policy: num(), filterTags: { pattern: '^main-[a-z]-(?P<n>[0-9]+)$', extract: '${n}' } });
  assert.deepEqual(result.ranked, [
    { tag: 'main-b-10', compared: '10' },
    { tag: 'main-a-3', compared: '3' },
    { tag: 'main-c-2', compared: '2' },
  ]);
  assert.equal(result.filteredOut, 0);
  assert.equal(result.compared, '10');
});

test('exclusionList: the default drops .sig tags; a list replaces the default; a bad pattern is an error', () => {
  const tags = ['1.0.0', 'sha256-abc.sig', 'dev-1', '1.1.0'];
  assert.deepEqual(applyExclusionList(tags, undefined), { tags: ['1.0.0', 'dev-1', '1.1.0'], excluded: ['sha256-abc.sig'] });
  assert.deepEqual(applyExclusionList(tags, []), { tags: ['1.0.0', 'dev-1', '1.1.0'], excluded: ['sha256-abc.sig'] });
  assert.deepEqual(applyExclusionList(tags, ['^dev-']), { tags: ['1.0.0', 'sha256-abc.sig', '1.1.0'], excluded: ['dev-1'] });
  assert.ok('error' in applyExclusionList(tags, ['(?!x)']));
});

test('Go string order and ParseFloat edge cases', () => {
  assert.ok(compareGoStrings('\u{1F600}', '\uFF21') > 0, 'a 4-byte UTF-8 sequence sorts after a 3-byte one');
  assert.equal(parseGoFloat('NaN'), Number.NaN);
  assert.equal(parseGoFloat('+NaN'), undefined);
  assert.equal(parseGoFloat('-Inf'), -Infinity);
  assert.equal(parseGoFloat('1__0'), undefined);
  assert.equal(parseGoFloat('0x10'), undefined, 'a hex mantissa needs a p exponent');
  assert.equal(parseGoFloat(' 1'), undefined);
});
