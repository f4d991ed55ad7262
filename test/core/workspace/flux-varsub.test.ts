// Flux's substitution rules (fluxcd/pkg envsubst): plain, defaults, case/length/substring operators, `$${}`
// escapes, `$VAR` left alone, unknown values kept as written and reported.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { hasVariable, substituteVariables, type VariableLookup } from '../../../core/workspace/flux-varsub';

const vars =
  (values: Record<string, string>): VariableLookup =>
  (name) =>
    name in values ? { value: values[name], from: 'postBuild.substitute' } : undefined;

test('plain ${VAR} and `$VAR` without braces', () => {
  const r = substituteVariables('tag ${APP_VERSION} and $APP_VERSION', vars({ APP_VERSION: '1.2.4' }));
  assert.equal(r.text, 'tag 1.2.4 and $APP_VERSION');
  assert.deepEqual(r.uses, [{ name: 'APP_VERSION', expression: '${APP_VERSION}', offset: 4, value: '1.2.4', from: 'postBuild.substitute' }]);
  assert.equal(r.hasUnresolved, false);
});

test('defaults: := and :- replace unset or empty, = and - only unset; nested defaults', () => {
  const lookup = vars({ EMPTY: '', SET: 'x', FALLBACK: 'fb' });
  assert.equal(substituteVariables('${MISSING:=a}|${MISSING:-b}|${MISSING=c}|${MISSING-d}', lookup).text, 'a|b|c|d');
  assert.equal(substituteVariables('${EMPTY:=a}|${EMPTY=c}', lookup).text, 'a|');
  assert.equal(substituteVariables('${SET:=a}', lookup).text, 'x');
  assert.equal(substituteVariables('${MISSING:=pre-${FALLBACK}-post}', lookup).text, 'pre-fb-post');
  const used = substituteVariables('${MISSING:=1}', lookup).uses[0];
  assert.equal(used.from, 'default');
});

test('escape $${VAR} stays literal', () => {
  assert.equal(substituteVariables('a $${VAR} b ${VAR}', vars({ VAR: 'v' })).text, 'a ${VAR} b v');
  assert.equal(hasVariable('only $${ESCAPED}'), false);
  assert.equal(hasVariable('x ${REAL}'), true);
});

test('case, length and substring operators', () => {
  const lookup = vars({ v: 'abcDEF' });
  assert.equal(substituteVariables('${v^}|${v^^}|${v,}|${v,,}|${#v}|${v:2}|${v:1:2}', lookup).text, 'AbcDEF|ABCDEF|abcDEF|abcdef|6|cDEF|bc');
});

test('unknown values are kept as written and flagged', () => {
  const r = substituteVariables('${MISSING} and ${MISSING/a/b} and ${v+x}', vars({ v: 'a' }));
  assert.equal(r.text, '${MISSING} and ${MISSING/a/b} and ${v+x}', '`+` is not supported by Flux: unknown');
  assert.equal(r.hasUnresolved, true);
  assert.deepEqual(
    r.uses.map((u) => [u.name, u.value]),
    [
      ['MISSING', undefined],
      ['MISSING', undefined],
      ['v', undefined],
    ],
  );
});

test('an unclosed expression is left alone', () => {
  assert.equal(substituteVariables('x ${OPEN', vars({ OPEN: 'o' })).text, 'x ${OPEN');
});

test('pattern operators as fluxcd/pkg envsubst evaluates them: glob trims, literal replacements', () => {
  const lookup = vars({ z: 'abcABC123ABCabc', f: 'bash.string.txt', p: 'path/to/file', s: 'foo/bar/baz', d: 'example.com', n: '/home/bozo/ideas/thoughts.for.today' });
  const cases: Array<[string, string]> = [
    ['${z/%abc/XYZ}', 'abcABC123ABCXYZ'],
    ['${z/#abc/XYZ}', 'XYZABC123ABCabc'],
    ['${z//abc/xyz}', 'xyzABC123ABCxyz'],
    ['${z/abc/xyz}', 'xyzABC123ABCabc'],
    ['${f#*.}', 'string.txt'],
    ['${f##*.}', 'txt'],
    ['${f%.*}', 'bash.string'],
    ['${f%%.*}', 'bash'],
    ['${p#*/}', 'to/file'],
    ['${p##*/}', 'file'],
    ['${s//\\//-}', 'foo-bar-baz'],
    ['${d/./-}', 'example-com'],
    ['${n:11:5}', 'ideas'],
  ];
  for (const [input, output] of cases) assert.equal(substituteVariables(input, lookup).text, output, input);
  assert.equal(substituteVariables('${f:-3}', lookup).text, 'bash.string.txt', '`:-` is the default operator, not a negative offset');
});
