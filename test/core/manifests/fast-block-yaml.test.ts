// The fast block-YAML parser must build exactly what `yaml` builds (node classes, values, ranges, scalar
// types and sources, document range) whenever it accepts a text, and decline what it does not handle.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Document, isCollection, isDocument, isMap, isNode, isPair, isScalar, isSeq, parseDocument, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { parseBlockYaml } from '../../../core/manifests/fast-block-yaml';
import { splitYamlDocuments } from '../../../core/manifests/yaml-documents';
import { seededRandom } from '../../support/seeded-random';

const OPTIONS = { prettyErrors: false, uniqueKeys: true, maxAliasCount: 100, keepSourceTokens: false } as const;

/** Everything observable about a parsed tree, minus schema/options objects. */
function dump(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dump);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = { $class: (v as object).constructor.name };
    for (const [k, x] of Object.entries(v)) if (k !== 'schema' && k !== 'options') out[k] = dump(x);
    return out;
  }
  return v;
}

/** Asserts agreement when the fast parser accepts; returns whether it did. */
function agrees(text: string): boolean {
  const fast = parseBlockYaml(text, OPTIONS);
  if (!fast) return false;
  const full = parseDocument(text, OPTIONS);
  assert.equal(full.errors.length, 0, `accepted a text yaml rejects: ${JSON.stringify(text)}`);
  assert.deepEqual(dump(fast), dump(full), JSON.stringify(text));
  return true;
}

const MANIFESTS = [
  'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: app-1\n  namespace: team-1\nspec:\n  interval: 10m\n  url: oci://ghcr.io/example/charts/app\n  ref:\n    semver: ">=1.0.0 <2.0.0"\n  layerSelector:\n    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip\n    operation: copy\n  secretRef:\n    name: pull-1\n',
  '---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: app\nspec:\n  interval: 30m\n  chartRef:\n    kind: OCIRepository\n    name: app\n  values:\n    replicaCount: 3\n    image:\n      tag: "1.2.0"\n    enabled: true\n    empty:\n    nothing: ~\n    neg: -4\n    plus: +7\n    zero: 007\n    quoted: \'single\'\n    url: http://x:80/y\n    odd: a#b\n',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          ports:\n            - containerPort: 80\n              protocol: TCP\n        - name: side\n      args:\n      - a\n      - "b"\n      - c: d\n        e:\n      - f\n',
  'a:\n  b:\nc: 1\n',
  'a: b   \nc: "x"  \nd: \'y\'',
  'k:\n  - x\n  - y\nz: 1\n',
  'a:\n  b: 1\n# x\n#y\n#\n',
  '---\na: 1\n# note 3\n',
  'a: 1\n# x',
  'a: 1\n\nb: 2\n  \nc:\n\n  d: 1\n\n  e:\n\n    - x\n\n    - y: 1\n\n      z: 2\n\n',
  'k:\n\n- a\n- b\n\n',
  'a: 1\n ',
  'a: 1\n<<: x\nb: 12345678901234567890\nc: é\nd: --x\ne: ---\nf: 0b101\ng: 1_000\nh: 0777\ni: -0\nj: ~x\nk: <x\n',
];

test('agrees with yaml on typical manifests (a --- marker, lists, nulls, ints, quotes, blank lines, a closing comment)', () => {
  for (const text of MANIFESTS) assert.ok(agrees(text), `declined ${JSON.stringify(text)}`);
});

test('declines what it does not handle', () => {
  const declined = [
    'a: 1 # comment\n',
    '# c\na: 1\n',
    '\na: 1\n',
    'a: 1\n\n# c\n',
    'a: [1, 2]\n',
    'a: {b: 1}\n',
    'a: |\n  x\n',
    'a: >\n  x\n',
    'a: &x 1\nb: *x\n',
    'a: !!str 1\n',
    'a: "x\\ny"\n',
    'a: long\n  continued\n',
    'a: 1.5\n',
    'a: 0x1F\n',
    'a: 1e3\n',
    'a: .inf\n',
    'a:\tb\n',
    'a: 1\r\n',
    'a: 1\na: 2\n',
    '- a\n',
    '"q": 1\n',
    'a: b: c\n',
    'a:\n',
    '\uFEFFa: 1\n',
    '1: x\n',
    'true: x\n',
    'a:\n  - - x\n',
    'a:\n  -\n    b\n',
    '%YAML 1.2\n---\na: 1\n',
    'a: 1\n...\n',
    'a:   \nb: 1\n',
    "a: 'it''s'\n",
    'a: "x" y\n',
    'a:\n  b: 1\n   c: 2\n',
    'a: 1\n# x\n\n',
    'a: 1\n# x\n  # y\n',
    'a: 1\n# x \n',
    'a: 1\n# x\nb: 2\n',
    '# x\n',
  ];
  for (const text of declined) assert.equal(parseBlockYaml(text, OPTIONS), undefined, JSON.stringify(text));
});

test('agrees with yaml on the fixture files and on seeded random line edits of them', () => {
  const root = join(__dirname, '../../fixtures/manifests');
  const texts: string[] = [...MANIFESTS];
  for (const dir of ['valid', 'invalid']) {
    for (const f of readdirSync(join(root, dir)).filter((x) => x.endsWith('.yaml'))) {
      for (const chunk of splitYamlDocuments(readFileSync(join(root, dir, f), 'utf8'))) texts.push(chunk.text);
    }
  }
  const rand = seededRandom(4242);
  const snippets = ['', ' ', '  ', '-', '- ', ':', ': ', '"', "'", 'x', '1', 'null', 'true', '#', '\n', '  a: b\n', '- c\n', 'k:\n'];
  let accepted = 0;
  let total = 0;
  for (const base of texts) {
    agrees(base);
    for (let n = 0; n < 150; n++) {
      const lines = base.split('\n');
      const at = rand(lines.length);
      const line = lines[at];
      const col = rand(line.length + 1);
      lines[at] = line.slice(0, col) + snippets[rand(snippets.length)] + line.slice(col + rand(3));
      if (rand(4) === 0) lines.splice(rand(lines.length), 1);
      total++;
      if (agrees(lines.join('\n'))) accepted++;
    }
  }
  assert.ok(accepted > total / 10, `the fast path accepted ${accepted} of ${total} edited texts`);
});

test('fast nodes answer yaml type guards and methods like yaml nodes', () => {
  const fast = parseBlockYaml('a:\n  - b: 1\n  - c\n', OPTIONS)!;
  assert.ok(isDocument(fast) && fast instanceof Document);
  const root = fast.contents;
  assert.ok(isMap(root) && root instanceof YAMLMap && isNode(root) && isCollection(root));
  const pair = root.items[0];
  assert.ok(isPair(pair) && isScalar(pair.key));
  const seq = pair.value;
  assert.ok(isSeq(seq) && seq instanceof YAMLSeq);
  assert.ok(isMap(seq.items[0]) && isScalar(seq.items[1]) && seq.items[1] instanceof Scalar);
  assert.deepEqual(fast.toJS(), { a: [{ b: 1 }, 'c'] });
  assert.equal(String(fast), 'a:\n  - b: 1\n  - c\n');
  assert.deepEqual(root.get('a'), seq);
  const other = parseBlockYaml('x: 1\n', OPTIONS)!;
  assert.notEqual(other.errors, fast.errors, 'documents do not share mutable state');
});

test('deep nesting is declined (bounded recursion) and wide maps stay correct and fast to check', () => {
  let deep = '';
  for (let d = 0; d < 500; d++) deep += `${' '.repeat(d)}k${d}:\n`;
  deep += `${' '.repeat(500)}leaf: 1\n`;
  assert.equal(parseBlockYaml(deep, OPTIONS), undefined);
  let shallow = '';
  for (let d = 0; d < 150; d++) shallow += `${' '.repeat(d)}k${d}:\n`;
  assert.ok(agrees(shallow + `${' '.repeat(150)}leaf: 1\n`));
  const wide = Array.from({ length: 3000 }, (_, i) => `key${i}: v${i}\n`).join('');
  assert.ok(agrees(wide));
  assert.equal(parseBlockYaml(wide + 'key2999: again\n', OPTIONS), undefined, 'a duplicate among many keys is declined');
});
