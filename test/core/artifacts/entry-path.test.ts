import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseEntryPath, resolveLinkTarget } from '../../../core/artifacts/entry-path';
import { defaultCacheDir } from '../../../core/artifacts/pull-reference';

test('entry names are normalised relative to the root', () => {
  assert.equal(normaliseEntryPath('./chart/Chart.yaml'), 'chart/Chart.yaml');
  assert.equal(normaliseEntryPath('chart//templates/./a.yaml'), 'chart/templates/a.yaml');
  assert.equal(normaliseEntryPath('./'), '');
  assert.equal(normaliseEntryPath('dir/'), 'dir');
  assert.equal(normaliseEntryPath('..foo/bar..'), '..foo/bar..', '".." only matters as a whole segment');
});

test('escaping names are refused with the name in the message', () => {
  for (const [name, reason] of [
    ['../x', /"\.\.\/x".*outside/],
    ['a/../../x', /outside/],
    ['/etc/passwd', /absolute/],
    ['C:\\x', /backslash|drive/],
    ['c:/x', /drive letter/],
    ['a\\..\\..\\x', /backslash/],
    ['a\0b', /NUL/],
  ] as const) {
    assert.throws(() => normaliseEntryPath(name), reason, name);
  }
});

test('control characters in refused names are shown as "?"', () => {
  assert.throws(
    () => normaliseEntryPath('../\u001b[2Jx'),
    (e: Error) => !e.message.includes('\u001b') && e.message.includes('?[2Jx'),
  );
});

test("link targets resolve lexically from the link's directory", () => {
  assert.equal(resolveLinkTarget('a/b/link', '../c'), 'a/c');
  assert.equal(resolveLinkTarget('a/link', '../c'), 'c');
  assert.equal(resolveLinkTarget('link', './c/./d'), 'c/d');
  assert.equal(resolveLinkTarget('a/link', '../../c'), undefined);
  assert.equal(resolveLinkTarget('link', '/etc'), undefined);
  assert.equal(resolveLinkTarget('link', ''), undefined);
  assert.equal(resolveLinkTarget('link', 'C:/x'), undefined);
});

test('the default cache dir follows XDG_CACHE_HOME, else ~/.cache', () => {
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/xdg' }, '/home/me'), '/xdg/flux-oci');
  assert.equal(defaultCacheDir({}, '/home/me'), '/home/me/.cache/flux-oci');
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: 'relative' }, '/home/me'), '/home/me/.cache/flux-oci', 'relative XDG paths are ignored, per the spec');
});
