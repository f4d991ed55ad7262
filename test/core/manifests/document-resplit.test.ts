// Re-splitting after an edit must give exactly the chunks a full split gives, while keeping the
// unchanged documents at both ends; checked on hand-picked edge cases and many seeded random edits.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { placeChunks, resplitYamlDocuments, type PlacedChunk } from '../../../core/manifests/document-resplit';
import { splitYamlDocuments } from '../../../core/manifests/yaml-documents';
import { seededRandom } from '../../support/seeded-random';

function resplitChunks(oldText: string, newText: string): { chunks: PlacedChunk[]; kept: number } {
  const old = placeChunks(splitYamlDocuments(oldText));
  const r = resplitYamlDocuments(oldText, old, newText);
  const suffix = old.slice(old.length - r.suffix).map((c) => ({ text: c.text, startLine: c.startLine + r.lineDelta, offset: c.offset + r.charDelta }));
  return { chunks: [...old.slice(0, r.prefix), ...r.middle, ...suffix], kept: r.prefix + r.suffix };
}

function assertSameAsFullSplit(oldText: string, newText: string): number {
  const { chunks, kept } = resplitChunks(oldText, newText);
  assert.deepEqual(chunks, placeChunks(splitYamlDocuments(newText)), JSON.stringify({ oldText, newText }));
  return kept;
}

const DOC = (i: number): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  k: "${i}"\n`;

test('an edit inside one document keeps all the others and shifts the later ones', () => {
  const docs = Array.from({ length: 20 }, (_, i) => DOC(i));
  const oldText = docs.join('---\n');
  docs[7] = docs[7].replace('k: "7"', 'k: "seven"\n  extra: line');
  const newText = docs.join('---\n');
  assert.equal(assertSameAsFullSplit(oldText, newText), 19);
  const old = placeChunks(splitYamlDocuments(oldText));
  const r = resplitYamlDocuments(oldText, old, newText);
  assert.equal(r.lineDelta, 1);
  assert.equal(r.middle.length, 1);
});

test('edge cases: markers added, removed, comment-only chunks, empty texts, no trailing newline', () => {
  const cases: Array<[string, string]> = [
    ['', 'a: 1\n'],
    ['a: 1\n', ''],
    ['a: 1\n---\nb: 2\n', '# c\n---\nb: 2\n'],
    ['a: 1\n---\nb: 2\n', '---\nb: 2\n'],
    ['# only\n---\nb: 2\n', '# only\n# more\n---\nb: 2\n'],
    ['a: 1\n---\nb: 2\n---\nc: 3\n', 'a: 1\n---\nb: 2\nx---\nc: 3\n'],
    ['a: 1\n---\nb: 2\n---\nc: 3\n', 'a: 1\n--- \nb: 2\n----\nc: 3\n'],
    ['a: 1\n---\nb: 2', 'a: 1\n---\nb: 2---\n'],
    ['a: 1\n---\nb: 2\n', 'a: 1\n---\nb: 2\n---\n'],
    ['---\n---\n---\n', '---\n---\n'],
    ['# x\n', '# x\n---\na: 1\n'],
    ['a: 1\n---\nb: 2\n', 'a: 1\n---\nb: 2\n...\n---\nc: 3\n'],
  ];
  for (const [a, b] of cases) {
    assertSameAsFullSplit(a, b);
    assertSameAsFullSplit(b, a);
  }
});

test('seeded random edits always agree with a full split', () => {
  const rand = seededRandom(12345);
  const pieces = ['---\n', '--- \n', '---', '# c\n', 'a: 1\n', '\n', '  b: x\n', '...\n', '---x\n', 'k: "v"\n', '- i\n'];
  const randomText = (): string => Array.from({ length: 1 + rand(14) }, () => pieces[rand(pieces.length)]).join('');
  let kept = 0;
  for (let i = 0; i < 3000; i++) {
    const oldText = randomText();
    const at = rand(oldText.length + 1);
    const del = rand(Math.min(6, oldText.length - at) + 1);
    const newText = oldText.slice(0, at) + (rand(2) ? pieces[rand(pieces.length)] : '') + oldText.slice(at + del);
    kept += assertSameAsFullSplit(oldText, newText);
  }
  assert.ok(kept > 1000, `documents were kept ${kept} times`);
});
