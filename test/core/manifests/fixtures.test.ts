// The fixture set: every valid manifest yields no errors or warnings; every invalid one yields exactly the
// diagnostics (code, severity, range, fix titles) recorded in its .expected.json sidecar.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';

const root = join(__dirname, '../../fixtures/manifests');

interface Expected {
  code: string;
  severity: string;
  range: [number, number, number, number];
  fixes?: string[];
}

test('valid fixtures produce no errors or warnings', () => {
  const dir = join(root, 'valid');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length >= 6);
  const index = new WorkspaceIndex();
  for (const f of files) index.setFile(f, readFileSync(join(dir, f), 'utf8'));
  for (const f of files) {
    const bad = index.analyze(f).diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
    assert.deepEqual(
      bad.map((d) => `${d.code} ${d.range.start.line}: ${d.message}`),
      [],
      f,
    );
  }
  const objects = files.flatMap((f) => index.analyze(f).objects.map((o) => o.kind));
  assert.ok(objects.includes('OCIRepository') && objects.includes('HelmRelease') && objects.includes('Deployment'));
});

for (const f of readdirSync(join(root, 'invalid')).filter((f) => f.endsWith('.yaml'))) {
  test(`invalid fixture ${f} yields exactly its expected diagnostics`, () => {
    const dir = join(root, 'invalid');
    const expected = JSON.parse(readFileSync(join(dir, f.replace(/\.yaml$/, '.expected.json')), 'utf8')) as Expected[];
    const index = new WorkspaceIndex();
    index.setFile(f, readFileSync(join(dir, f), 'utf8'));
    const actual = index.analyze(f).diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      range: [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
      ...(d.fixes ? { fixes: d.fixes.map((x) => x.title) } : {}),
    }));
    const key = (d: Expected): string => `${d.range.join(':')} ${d.code}`;
    assert.deepEqual(
      [...actual].sort((a, b) => key(a as Expected).localeCompare(key(b as Expected))),
      [...expected].sort((a, b) => key(a).localeCompare(key(b))),
    );
    assert.ok(
      actual.some((d) => d.severity === 'error' || d.severity === 'warning'),
      'an invalid fixture must have a real finding',
    );
  });
}
