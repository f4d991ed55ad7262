// Tests the RE2 engine behind semverFilter and chart patterns: what Go accepts/rejects (regexp/syntax docs and its
// parse_test.go invalid list), that patterns match like Go's unanchored MatchString, and in linear time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRe2Syntax, compileRe2 } from '../../../core/versions/re2-regexp';

// Valid in Go regexp/syntax (Perl flags) — documented syntax.
const VALID = [
  '',
  'abc',
  '^v1\\.',
  '.*-rc\\.[0-9]+$',
  '(?P<name>a)',
  '(?<name>a)',
  '(?:ab)+',
  'a*?',
  'a+?',
  'a??',
  'a{2}',
  'a{2,}',
  'a{2,5}?',
  'a{1000}',
  '[[:alpha:]]+',
  '[[:^digit:]]',
  '\\Qa.b\\E',
  '(?i)abc',
  'x(?i:ab)c',
  '(?i-s:a.)',
  '(?U)a+',
  '\\pL',
  '\\p{Greek}',
  '\\PL',
  '\\p{^Greek}',
  '\\d\\s\\w\\D\\S\\W',
  '[\\d\\s]',
  '\\A\\z',
  '\\bx\\B',
  '\\x41\\x{263a}',
  '\\101',
  '\\0',
  '[]a]',
  '[^]a]',
  '[a-]',
  '(?s).',
  '(?m)^a$',
  'a{,3}',
  'a{',
  '\\.\\-\\_\\ ',
  '^*',
  '(?)',
];

// Invalid in Go's RE2 (see regexp/syntax parse_test.go invalidRegexps and the RE2 "NOT SUPPORTED" list).
const INVALID: ReadonlyArray<readonly [string, RegExp]> = [
  ['(?=a)', /look-ahead/],
  ['(?!a)', /look-ahead/],
  ['(?<=a)b', /look-behind/],
  ['(?<!a)b', /look-behind/],
  ['(?>a)', /atomic/],
  ['(a)\\1', /back-reference/],
  ['(?<n>a)\\k<n>', /back-reference/],
  ['(?P=n)', /back-reference/],
  ['a**', /nested repetition/],
  ['a*+', /possessive/],
  ['a++', /possessive/],
  ['a?*', /possessive/],
  ['*', /missing argument/],
  ['a|*', /missing argument/],
  ['(*)', /missing argument/],
  ['{2}', /missing argument/],
  ['a{1001}', /repeat count/],
  ['a{2,1}', /repeat count/],
  ['(', /missing closing/],
  ['(a', /missing closing/],
  [')', /unexpected/],
  ['a)', /unexpected/],
  ['[', /missing closing/],
  ['[a', /missing closing/],
  ['[z-a]', /range/],
  ['[[:foo:]]', /range/],
  ['\\', /trailing backslash/],
  ['\\Z', /escape/],
  ['\\u0041', /escape/],
  ['\\e', /escape/],
  ['\\cA', /escape/],
  ['\\C', /escape/],
  ['[\\b]', /escape/],
  ['\\x', /escape/],
  ['\\xZZ', /escape/],
  ['\\p{Foo}', /character class/],
  ['(?P<>a)', /named capture/],
  ['(?P<a>x)(?P<a>y)', /duplicate/],
  ['(?i-)a', /Perl syntax/],
  ['(?#c)', /comments/],
  ['(?z)', /Perl syntax/],
];

test('valid RE2 patterns pass and compile', () => {
  for (const pattern of VALID) {
    assert.equal(checkRe2Syntax(pattern), undefined, pattern);
    assert.equal(typeof compileRe2(pattern).test, 'function', pattern);
  }
});

test('invalid RE2 patterns are rejected with one sentence', () => {
  for (const [pattern, reason] of INVALID) {
    const message = checkRe2Syntax(pattern);
    assert.ok(message, `${pattern} should be invalid`);
    assert.match(message, reason, pattern);
    assert.ok(!message.includes('\n'), pattern);
    assert.throws(
      () => compileRe2(pattern),
      (e: Error) => e.message === message,
    );
  }
});

// [pattern, text, Go MatchString result] — semantics from Go regexp docs: unanchored; `$` is end of text without (?m);
// `.` excludes only \n without (?s); \s is ASCII; \Q..\E quotes; octal \101 is 'A'; (?i) folds case.
const MATCHES: ReadonlyArray<readonly [string, string, boolean]> = [
  ['rc', '1.0.0-rc.1', true],
  ['^rc', '1.0.0-rc.1', false],
  ['.*-rc\\.[0-9]+$', '1.0.0-rc.12', true],
  ['.*-rc\\.[0-9]+$', '1.0.0-rc.1a', false],
  ['a$', 'a\n', false],
  ['(?m)a$', 'a\nb', true],
  ['(?m)^b', 'a\nb', true],
  ['^b', 'a\nb', false],
  ['a.c', 'a\rc', true],
  ['a.c', 'a\nc', false],
  ['(?s)a.c', 'a\nc', true],
  ['\\s', '\u00a0', false],
  ['\\s', '\t', true],
  ['\\w', 'é', false],
  ['\\Qa.b\\E', 'axb', false],
  ['\\Qa.b\\E', 'a.b', true],
  ['\\101', 'A', true],
  ['(?i)^V1', 'v1.0.0', true],
  ['x(?i:ab)c', 'xABc', true],
  ['x(?i:ab)c', 'xABC', false],
  ['(?i)k', '\u212a', true],
  ['[[:alpha:]]+-[0-9]', 'beta-1', true],
  ['[[:^digit:]]', '123', false],
  ['\\pL', 'é', true],
  ['\\p{Greek}', 'λ', true],
  ['^v?[0-9]+\\.[0-9]+\\.[0-9]+$', 'v1.2.3', true],
  ['^v?[0-9]+\\.[0-9]+\\.[0-9]+$', 'v1.2.3-rc.1', false],
  ['(?P<major>\\d+)\\.', '10.2', true],
  ['\\A1\\z', '1', true],
  ['\\A1\\z', '1\n', false],
  ['[]a]', ']', true],
  ['[a-]', '-', true],
  ['a{,3}', 'a{,3}', true],
  ['^*x', 'x', true],
  ['(?U)a+', 'aaa', true],
];

test('translated patterns match like Go MatchString', () => {
  for (const [pattern, text, expected] of MATCHES) {
    assert.equal(compileRe2(pattern).test(text), expected, `${pattern} on ${JSON.stringify(text)}`);
  }
});

// Go's RE2 guarantees time linear in the input: the classic catastrophic-backtracking patterns must finish. A
// backtracking engine needs ~2^40 steps for one of these matches (hours), so the test's timeout only catches a hang;
// how fast they run is measured by `npm run bench adversarial`, not here.
test('nested quantifiers and ambiguous alternations finish (linear-time engine)', { timeout: 120_000 }, () => {
  const hostile = `${'a'.repeat(40)}-`;
  for (const pattern of ['(a+)+$', '^(a|a)*$', '(a*)*b', '^(a|aa)+$', '^(.*a){20}b$']) {
    const re = compileRe2(pattern);
    for (let i = 0; i < 200; i++) assert.equal(re.test(hostile), false, pattern);
  }
});

test('errors name the construct a backtracking engine would have accepted', () => {
  assert.match(checkRe2Syntax('(?=x)')!, /look-ahead is not supported/);
  assert.match(checkRe2Syntax('(?P=n)')!, /back-references are not supported/);
  assert.match(checkRe2Syntax('(a')!, /^missing closing \): `\(a`\.$/);
});
