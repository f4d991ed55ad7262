// Merge keys as kubectl reads them (YAML 1.1 `<<`), unknown anchors as errors, and merge bombs bounded.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseDocument } from 'yaml';
import type { FluxDiagnostic } from '../../../core/diagnostic';
import { parseChunk } from '../../../core/manifests/yaml-documents';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';

function diagnose(text: string): FluxDiagnostic[] {
  const index = new WorkspaceIndex();
  index.setFile('t.yaml', text);
  return index.analyze('t.yaml').diagnostics;
}
const codes = (ds: FluxDiagnostic[]): string[] => ds.map((d) => d.code).sort();

const DEFAULTS = `x-defaults: &defaults
  interval: 10m
  timeout: 1m
`;
const HEADER = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: app\n';

test('<<: *defaults at spec level: no false "interval is required", no "unknown field <<"', () => {
  // Valid Flux fields only: the anchor sits in a field the CRD allows anywhere (an extra top-level key is not checked).
  const text = HEADER + DEFAULTS + 'spec:\n  <<: *defaults\n  url: oci://ghcr.io/org/app\n';
  assert.deepEqual(diagnose(text), []);
  const parsed = parseChunk(text);
  // The same view as `yaml` with YAML 1.1 merges (what kubectl's go-yaml gives).
  const merged = parseDocument(text, { merge: true }).toJS() as { spec: unknown };
  assert.deepEqual((parsed.doc.toJS() as { spec: unknown }).spec, merged.spec);
});

test('own keys win over merged ones, and earlier sources over later ones in <<: [*a, *b]', () => {
  const text = `${HEADER}a: &a
  interval: 1m
  url: oci://ghcr.io/org/from-a
b: &b
  interval: 2m
  timeout: 30s
  insecure: true
spec:
  <<: [*a, *b]
  interval: 5m
`;
  const spec = (parseChunk(text).doc.toJS() as { spec: Record<string, unknown> }).spec;
  assert.deepEqual(spec, { interval: '5m', url: 'oci://ghcr.io/org/from-a', timeout: '30s', insecure: true });
  assert.deepEqual(spec, (parseDocument(text, { merge: true }).toJS() as { spec: unknown }).spec);
  assert.deepEqual(diagnose(text), []);
});

test('merged values are validated, with the range of their definition', () => {
  const text = HEADER + 'x: &d\n  interval: soon\nspec:\n  <<: *d\n  url: oci://ghcr.io/org/app\n';
  const [d, ...rest] = diagnose(text);
  assert.equal(rest.length, 0);
  assert.equal(d.code, 'duration-invalid');
  assert.deepEqual(d.range, { start: { line: 5, character: 12 }, end: { line: 5, character: 16 } });
});

test('an inline block mapping under << is merged too (both parsers)', () => {
  assert.deepEqual(diagnose(HEADER + 'spec:\n  <<:\n    interval: 1m\n  url: oci://ghcr.io/org/app\n'), []);
});

test('an alias to an undefined anchor is an error on the alias', () => {
  const ds = diagnose(HEADER + 'spec:\n  interval: 1m\n  url: *nowhere\n');
  assert.deepEqual(codes(ds), ['yaml-syntax']);
  assert.match(ds[0].message, /Unknown anchor 'nowhere'/);
  assert.deepEqual(ds[0].range, { start: { line: 6, character: 7 }, end: { line: 6, character: 15 } });
  assert.deepEqual(codes(diagnose(HEADER + 'spec:\n  <<: *missing\n  url: oci://ghcr.io/org/app\n')), ['yaml-syntax']);
});

test('a merge of something that is not a mapping is an error', () => {
  const ds = diagnose(HEADER + 'x: &s just-a-string\nspec:\n  <<: *s\n  interval: 1m\n  url: oci://ghcr.io/org/app\n');
  assert.deepEqual(codes(ds), ['yaml-syntax']);
  assert.match(ds[0].message, /merge key/i);
});

test('a merge bomb is bounded: one information note, the document left as parsed, fast', () => {
  let bomb = 'a0: &a0\n  k: v\n';
  for (let i = 1; i < 60; i++) bomb += `a${i}: &a${i}\n  <<: *a${i - 1}\n  n${i}:\n    <<: *a${i - 1}\n`;
  const ds = diagnose(bomb);
  assert.deepEqual(codes(ds), ['document-too-complex']);
  assert.equal(ds[0].severity, 'information');
});
