// Chart values against values.schema.json (Ajv configured like Helm, RE2 patterns) with ranges, and the pure version /
// fix helpers of the live engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { LineMap } from '../../../core/text-range';
import { toValueNode, validateValues } from '../../../core/live/json-schema-validate';
import { chartVersionDiffersFromTag, versionDiffers } from '../../../core/live/version-mismatch';
import { widenedRange, yamlScalar } from '../../../core/live/live-fixes';
import { parseFluxTagVersion } from '../../../core/versions/flux-version';

function issues(schema: unknown, yaml: string, lineOffset = 0) {
  const doc = parseDocument(yaml);
  return validateValues(schema, toValueNode(doc.contents, new LineMap(yaml), lineOffset));
}

test('type, enum, required, additionalProperties, min/max, lengths, pattern, items, anyOf/oneOf, $ref', () => {
  const schema = {
    type: 'object',
    required: ['name'],
    definitions: { port: { type: 'integer', minimum: 1, maximum: 65535 } },
    properties: {
      name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
      mode: { enum: ['a', 'b'] },
      port: { $ref: '#/definitions/port' },
      list: { type: 'array', items: { type: 'string' } },
      strict: { type: 'object', additionalProperties: false, properties: { ok: { type: 'boolean' } } },
      either: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
      one: { oneOf: [{ type: 'integer' }, { type: 'number' }] },
    },
  };
  assert.deepEqual(issues(schema, 'name: abc\nmode: a\nport: 80\nlist: [x]\nstrict: {ok: true}\neither: 3\none: 1.5\n'), []);
  const found = issues(schema, 'name: ABCDEFG\nmode: c\nport: 70000\nlist: [1]\nstrict: {nope: 1}\neither: true\none: 2\n', 10);
  const messages = found.map((i) => i.message);
  assert.ok(messages.includes('name: must be at most 5 characters long.'));
  assert.ok(messages.includes('name: must match the pattern ^[a-z]+$.'));
  assert.ok(messages.includes('mode: must be one of "a", "b".'));
  assert.ok(messages.includes('port: must be at most 65535.'));
  assert.ok(messages.includes('list[0]: expected string, got integer.'));
  assert.ok(messages.includes('strict: the key "nope" is not allowed here.'));
  assert.ok(messages.includes('either: matches none of the 2 allowed shapes (anyOf).'));
  assert.ok(messages.includes('one: matches 2 of the oneOf shapes; exactly one is allowed.'));
  const nope = found.find((i) => i.message.startsWith('strict:'))!;
  assert.deepEqual(nope.range.start, { line: 14, character: 9 }, 'ranges are shifted by the document offset and point at the key');
  assert.deepEqual(
    issues(schema, 'mode: a\n').map((i) => i.message),
    ['values: the key "name" is required.'],
  );
});

test('patterns are Go RE2: RE2-only syntax works and catastrophic patterns finish', { timeout: 120_000 }, () => {
  const schema = { properties: { name: { type: 'string', pattern: '(?i)^abc$' }, code: { type: 'string', pattern: '^(a+)+$' } } };
  assert.deepEqual(issues(schema, 'name: ABC\n'), []);
  assert.deepEqual(
    issues(schema, 'name: ABD\n').map((i) => i.message),
    ['name: must match the pattern (?i)^abc$.'],
  );
  const hostile = `code: ${'a'.repeat(45)}-\n`;
  assert.deepEqual(
    issues(schema, hostile).map((i) => i.message),
    ['code: must match the pattern ^(a+)+$.'],
  );
  const byKey = { type: 'object', patternProperties: { '^(a|a)*$': { type: 'integer' } }, additionalProperties: false };
  assert.deepEqual(
    issues(byKey, `${'a'.repeat(45)}b: 1\n`).map((i) => i.message),
    [`values: the key "${'a'.repeat(45)}b" is not allowed here.`],
  );
  assert.deepEqual(
    issues(byKey, 'aaaa: x\n').map((i) => i.message),
    ['aaaa: expected integer, got string.'],
  );
});

test('drafts follow $schema like Helm (2020-12 by default); format is an annotation; unusable schemas constrain nothing', () => {
  const draft04 = { $schema: 'http://json-schema.org/draft-04/schema#', properties: { n: { type: 'number', maximum: 5, exclusiveMaximum: true } } };
  assert.deepEqual(
    issues(draft04, 'n: 5\n').map((i) => i.message),
    ['n: must be less than 5.'],
  );
  const draft2020 = { properties: { pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }] } } };
  assert.deepEqual(
    issues(draft2020, 'pair: [a, b]\n').map((i) => i.message),
    ['pair[1]: expected integer, got string.'],
  );
  const tupleWithoutSchema = { properties: { pair: { type: 'array', items: [{ type: 'string' }, { type: 'integer' }] } } };
  assert.deepEqual(
    issues(tupleWithoutSchema, 'pair: [a, b]\n').map((i) => i.message),
    ['pair[1]: expected integer, got string.'],
  );
  assert.deepEqual(issues({ properties: { mail: { type: 'string', format: 'email' } } }, 'mail: not-an-address\n'), []);
  assert.deepEqual(issues({ properties: { x: { $ref: 'https://example.invalid/schema.json' } } }, 'x: 1\n'), []);
  assert.deepEqual(
    issues(false, 'x: 1\n').map((i) => i.message),
    ['values: no value is allowed here.'],
  );
});

test('version helpers: pinned ranges vs resolved versions, Chart.yaml vs tag, widened ranges, YAML quoting', () => {
  assert.equal(versionDiffers('1.0.0', '1.2.0'), true);
  assert.equal(versionDiffers('^1', '1.2.0'), false);
  assert.equal(versionDiffers('>=2.0.0', '1.2.0'), true);
  assert.equal(versionDiffers('*', '0.1.0'), false);
  assert.equal(chartVersionDiffersFromTag('1.0.0_build.1', '1.0.0+build.1'), false);
  assert.equal(chartVersionDiffersFromTag('3.0.0', '3.0.1'), true);
  assert.equal(widenedRange(parseFluxTagVersion('1.4.2'), parseFluxTagVersion('3.0.0')!), '>=1.4.0 <4.0.0');
  assert.equal(widenedRange(undefined, parseFluxTagVersion('2.1.0')!), '>=2.0.0 <3.0.0');
  assert.equal(yamlScalar('2.0.0', undefined), '2.0.0');
  assert.equal(yamlScalar('1.10', undefined), '"1.10"');
  assert.equal(yamlScalar('>=1.0.0 <2.0.0', undefined), '">=1.0.0 <2.0.0"');
  assert.equal(yamlScalar("it's", "'"), "'it''s'");
});
