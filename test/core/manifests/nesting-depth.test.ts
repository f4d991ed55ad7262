// Deeply nested YAML: never a stack overflow or an internal message, one information note per document.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { FluxDiagnostic } from '../../../core/diagnostic';
import { exceedsNestingDepth, MAX_NESTING_DEPTH } from '../../../core/manifests/nesting-depth';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';

function diagnose(text: string): FluxDiagnostic[] {
  const index = new WorkspaceIndex();
  index.setFile('deep.yaml', text);
  return index.analyze('deep.yaml').diagnostics;
}

function blockNesting(levels: number): string {
  let text = '';
  for (let i = 0; i < levels; i++) text += `${' '.repeat(i)}k:\n`;
  return `${text}${' '.repeat(levels)}v: 1\n`;
}

const deepCases: Array<[string, string]> = [
  ['1,000 flow levels', `a: ${'['.repeat(1000)}${']'.repeat(1000)}\n`],
  ['1,000 flow mappings', `a: ${'{a: '.repeat(1000)}1${'}'.repeat(1000)}\n`],
  ['1,900 block levels', blockNesting(1900)],
  ['3,000 compact sequence levels', `x:\n${'- '.repeat(3000)}v\n`],
];

test('valid but too deeply nested documents get one information note, never a yaml-syntax error', () => {
  for (const [name, text] of deepCases) {
    const ds = diagnose(text);
    assert.equal(ds.length, 1, `${name}: ${JSON.stringify(ds.map((d) => d.message))}`);
    assert.equal(ds[0].code, 'document-too-complex', name);
    assert.equal(ds[0].severity, 'information', name);
    assert.match(ds[0].message, /nested more than 256 levels deep/, name);
    assert.doesNotMatch(ds[0].message, /call stack/i, name);
  }
});

test('each deep document of a file gets its own single note; the other documents are still checked', () => {
  const oci = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: a\nspec:\n  interval: soon\n  url: oci://ghcr.io/a/b\n';
  const text = [deepCases[0][1], oci, deepCases[2][1]].join('---\n');
  const ds = diagnose(text);
  assert.deepEqual(ds.map((d) => d.code).sort(), ['document-too-complex', 'document-too-complex', 'duration-invalid']);
  assert.deepEqual(
    ds.filter((d) => d.code === 'document-too-complex').map((d) => d.range.start.line),
    [0, 10],
  );
});

test('ordinary nesting is parsed and checked; the estimate counts blocks, compact items and flow brackets', () => {
  assert.equal(exceedsNestingDepth(blockNesting(MAX_NESTING_DEPTH - 2)), false);
  assert.equal(exceedsNestingDepth(blockNesting(MAX_NESTING_DEPTH + 1)), true);
  assert.equal(exceedsNestingDepth(`a: ${'['.repeat(MAX_NESTING_DEPTH - 2)}${']'.repeat(MAX_NESTING_DEPTH - 2)}`), false);
  assert.equal(exceedsNestingDepth(`a: ${'['.repeat(MAX_NESTING_DEPTH + 1)}`), true);
  // Brackets inside quotes, comments and plain words open nothing.
  const noisy = `a: "${'['.repeat(1000)}"\nb: '${'{'.repeat(1000)}'\n# ${'['.repeat(1000)}\nc: x${'['.repeat(1000)}\n`;
  assert.equal(exceedsNestingDepth(noisy), false);
  assert.deepEqual(diagnose('a: "' + '['.repeat(1000) + '"\n'), []);
  const deepButFine = blockNesting(150);
  assert.deepEqual(diagnose(deepButFine), []);
});
