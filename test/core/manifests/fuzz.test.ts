// Fuzz: thousands of deterministic mutations of realistic manifests (characters and lines deleted,
// duplicated, swapped; `:`, `-`, anchors, aliases, tabs, unicode inserted) must never make the engine throw.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { completionsAt } from '../../../core/manifests/completion';
import { documentSymbols } from '../../../core/manifests/document-symbols';
import { hoverAt } from '../../../core/manifests/hover';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';

/** mulberry32: small deterministic PRNG so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSERTS = [
  ':',
  '-',
  '- ',
  '&a ',
  '*a',
  '\t',
  '{',
  '[',
  '"',
  "'",
  '#',
  '|',
  '>',
  '${X}',
  '---\n',
  '\u00e9',
  '\u{1F680}',
  '\ufffd',
  '\u0000',
  '? ',
  ': ',
  '!!binary ',
  '%YAML 1.2\n',
  '\n  ',
  '<<: *a\n',
];

function mutate(text: string, rnd: () => number): string {
  let out = text;
  const steps = 1 + Math.floor(rnd() * 4);
  for (let s = 0; s < steps; s++) {
    const pos = Math.floor(rnd() * (out.length + 1));
    const lines = out.split('\n');
    const li = Math.floor(rnd() * lines.length);
    switch (Math.floor(rnd() * 7)) {
      case 0:
        out = out.slice(0, pos) + out.slice(pos + 1 + Math.floor(rnd() * 5));
        break;
      case 1:
        out = out.slice(0, pos) + out.slice(pos, pos + 3) + out.slice(pos);
        break;
      case 2:
        if (pos + 1 < out.length) out = out.slice(0, pos) + out[pos + 1] + out[pos] + out.slice(pos + 2);
        break;
      case 3:
        lines.splice(li, 1);
        out = lines.join('\n');
        break;
      case 4:
        lines.splice(li, 0, lines[li] ?? '');
        out = lines.join('\n');
        break;
      case 5: {
        const lj = Math.floor(rnd() * lines.length);
        [lines[li], lines[lj]] = [lines[lj], lines[li]];
        out = lines.join('\n');
        break;
      }
      default:
        out = out.slice(0, pos) + INSERTS[Math.floor(rnd() * INSERTS.length)] + out.slice(pos);
    }
  }
  return out;
}

test('mutated manifests never make analysis or editor features throw', () => {
  const root = join(__dirname, '../../fixtures/manifests');
  const seeds = ['valid', 'invalid'].flatMap((d) =>
    readdirSync(join(root, d))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => readFileSync(join(root, d, f), 'utf8')),
  );
  assert.ok(seeds.length > 10);
  const rnd = prng(20260101);
  const index = new WorkspaceIndex();
  let maxMs = 0;
  let runs = 0;
  for (let i = 0; i < 3000; i++) {
    const text = mutate(seeds[i % seeds.length], rnd);
    const path = `fuzz${i % 7}.yaml`;
    const started = performance.now();
    try {
      index.setFile(path, text);
      index.analyze(path);
      const line = Math.floor(rnd() * 20);
      const character = Math.floor(rnd() * 20);
      hoverAt(index, path, { line, character });
      completionsAt(index, path, { line, character });
      documentSymbols(index, path);
      index.ociRepositories();
      index.helmReleases();
    } catch (e) {
      assert.fail(`mutation ${i} threw ${(e as Error).stack}\n--- input ---\n${text}`);
    }
    maxMs = Math.max(maxMs, performance.now() - started);
    runs++;
  }
  assert.equal(runs, 3000);
  console.log(`fuzz: ${runs} mutated manifests, max ${maxMs.toFixed(1)} ms per document (not asserted)`);
});
