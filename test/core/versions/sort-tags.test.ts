// Tests tag ordering: versions highest first by Masterminds precedence (SEMVER.md), then non-versions in listing order,
// and correctness with 100,000 tags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVersions, parseFluxTagVersion } from '../../../core/versions/flux-version';
import { sortTagsNewestFirst } from '../../../core/versions/sort-tags';

test('versions first, highest first; equal versions keep listing order; then other tags as listed', () => {
  const tags = ['latest', '1.0.0', 'v2.0.0-rc.1', 'main', '2.0.0', '1.10.0', '1.9.0', '01.0.0', '1.2', 'v1.0.0'];
  assert.deepEqual(sortTagsNewestFirst(tags), ['2.0.0', 'v2.0.0-rc.1', '1.10.0', '1.9.0', '1.0.0', '01.0.0', 'v1.0.0', 'latest', 'main', '1.2']);
});

test('Helm charts map `_` to `+` before parsing', () => {
  assert.deepEqual(sortTagsNewestFirst(['0.1.0', '1.0.0_b2', 'x'], true), ['1.0.0_b2', '0.1.0', 'x']);
  assert.deepEqual(sortTagsNewestFirst(['0.1.0', '1.0.0_b2', 'x'], false), ['0.1.0', '1.0.0_b2', 'x']);
});

test('100,000 tags sort correctly', () => {
  const tags: string[] = [];
  for (let i = 0; i < 100_000; i++) {
    const n = (i * 7919) % 100_000; // a permutation of 0..99999
    if (n % 10 === 0) tags.push(`build-${n}`);
    else tags.push(`${Math.floor(n / 1000)}.${Math.floor(n / 10) % 100}.${n % 10}${n % 3 === 0 ? '-rc.1' : ''}`);
  }
  const sorted = sortTagsNewestFirst(tags);
  assert.equal(sorted.length, tags.length);
  assert.deepEqual([...sorted].sort(), [...tags].sort());
  assert.deepEqual(sorted.slice(0, 2), ['99.99.9-rc.1', '99.99.8']); // n = 99999 is a multiple of 3, so it carries -rc.1
  const firstOther = sorted.findIndex((t) => t.startsWith('build-'));
  assert.equal(firstOther, 90_000);
  assert.deepEqual(
    sorted.slice(firstOther),
    tags.filter((t) => t.startsWith('build-')),
  );
  const key = (t: string) => {
    const [core, pre] = t.split('-');
    const [a, b, c] = core!.split('.').map(Number);
    return a! * 1e6 + b! * 1e3 + c! * 2 + (pre ? 0 : 1);
  };
  for (let i = 1; i < firstOther; i++) assert.ok(key(sorted[i - 1]!) > key(sorted[i]!), `${sorted[i - 1]} before ${sorted[i]}`);
});

test('plain and non-plain tags sort together exactly as Masterminds orders them (numeric fast path, bigint and prerelease fallbacks)', () => {
  const tags = [
    '1.0.0',
    '1.0.0-rc.1',
    'v1.0.0',
    '1.0.0+build',
    '9007199254740993.0.0',
    '9007199254740992.0.0',
    '18446744073709551615.0.0',
    '2.0.0-alpha',
    '2.0.0-alpha.1',
    '2.0.0',
    '02.0.0',
    '1.10.0',
    '1.9.99',
    'v1.0.0-rc.1',
  ];
  // The reference: parse each tag, stable sort by compareVersions, highest first.
  const reference = tags
    .map((tag, index) => ({ tag, index, version: parseFluxTagVersion(tag)! }))
    .sort((a, b) => compareVersions(b.version, a.version) || a.index - b.index)
    .map((e) => e.tag);
  assert.deepEqual(sortTagsNewestFirst(tags), reference);
  assert.deepEqual(sortTagsNewestFirst(tags).slice(0, 3), ['18446744073709551615.0.0', '9007199254740993.0.0', '9007199254740992.0.0']);
  assert.deepEqual(sortTagsNewestFirst([...tags].reverse()).slice(3, 7), ['02.0.0', '2.0.0', '2.0.0-alpha.1', '2.0.0-alpha']);
});
