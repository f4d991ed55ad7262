// Benchmark: patterns from outside (semverFilter, a chart's values.schema.json) against hostile input, on the RE2
// engine, with the backtracking JavaScript RegExp they used to run on for contrast. Prints tables; asserts nothing.
import { parseDocument } from 'yaml';
import { compileRe2 } from '../core/versions/re2-regexp';
import { resolveRef } from '../core/versions/resolve-tag';
import { toValueNode, validateValues } from '../core/live/json-schema-validate';
import { LineMap } from '../core/text-range';

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

function timed(work: () => void): { ms: number; rssGrowthMiB: string } {
  const times: number[] = [];
  const before = process.memoryUsage().rss;
  let peak = before;
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  return { ms: median(times), rssGrowthMiB: mib(peak - before) };
}

const hostileTags = Array.from({ length: 10_000 }, (_, i) => `${'a'.repeat(30 + (i % 31))}-`);
const versionTags = Array.from({ length: 10_000 }, (_, i) => `${Math.floor(i / 1000)}.${Math.floor(i / 10) % 100}.${i % 10}`);

console.log('### Patterns from outside on the RE2 engine (median of 5)\n');
console.log('| case | input | time (ms) | RSS growth (MiB) |');
console.log('|---|---|---:|---:|');
const rows: Array<[string, string, () => void]> = [
  ['semverFilter `(a+)+$` (nested quantifier)', '10,000 tags `aaa…a-` (31–61 chars)', () => void resolveRef({ tags: hostileTags, ref: { semver: '*', semverFilter: '(a+)+$' }, helmChart: false })],
  ['semverFilter `^(a\\|a)*$` (ambiguous alternation)', 'same 10,000 tags', () => void resolveRef({ tags: hostileTags, ref: { semver: '*', semverFilter: '^(a|a)*$' }, helmChart: false })],
  ['semverFilter `.*-rc\\.[0-9]+$` (ordinary)', '10,000 version tags', () => void resolveRef({ tags: versionTags, ref: { semver: '*', semverFilter: '.*-rc\\.[0-9]+$' }, helmChart: false })],
];
const schema = { properties: { code: { type: 'string', pattern: '^(a+)+$' } } };
const values = `code: ${'a'.repeat(45)}-\n`;
const valueNode = toValueNode(parseDocument(values).contents, new LineMap(values));
rows.push(['values.schema.json `pattern: ^(a+)+$`', 'one 46-char value (an hour on a backtracking engine)', () => void validateValues(schema, valueNode)]);
for (const [name, input, work] of rows) {
  const { ms, rssGrowthMiB } = timed(work);
  console.log(`| ${name} | ${input} | ${ms.toFixed(1)} | ${rssGrowthMiB} |`);
}

console.log('\n### The same nested quantifier on a backtracking JavaScript RegExp (what ran before), one tag\n');
console.log('| tag length | JavaScript RegExp (ms) | RE2 (ms) |');
console.log('|---:|---:|---:|');
const re2 = compileRe2('(a+)+$');
for (const n of [18, 20, 22, 24]) {
  const tag = `${'a'.repeat(n)}-`;
  let start = performance.now();
  /(a+)+$/.test(tag);
  const js = performance.now() - start;
  start = performance.now();
  re2.test(tag);
  console.log(`| ${n + 1} | ${js.toFixed(1)} | ${(performance.now() - start).toFixed(3)} |`);
}
console.log('\nEach extra character doubles the backtracking time: 40 characters would take hours; RE2 stays linear.');
