// Benchmark: ImagePolicy selection as image-reflector-controller does it, over large tag lists (exclusionList, filterTags
// with a named group and extract, each policy), and the marker scan of a large manifest. Prints tables; asserts nothing.
import { scanImageMarkers } from '../core/manifests/image-markers';
import { applyExclusionList, selectImagePolicyTag } from '../core/versions/image-policy-order';

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timed(work: () => void): number {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  return median(times);
}

const N = 10_000;
const buildTags = Array.from({ length: N }, (_, i) => `main-${((i * 2654435761) % 0xffffff).toString(16).padStart(6, '0')}-${1_700_000_000 + i}`);
const versionTags = Array.from({ length: N }, (_, i) => `${Math.floor(i / 1000)}.${Math.floor(i / 10) % 100}.${i % 10}`);
const withSignatures = versionTags.flatMap((t, i) => (i % 2 ? [t, `sha256-${i.toString(16).padStart(64, '0')}.sig`] : [t]));

console.log(`### ImagePolicy selection over ${N.toLocaleString('en')} tags (median of ${RUNS})\n`);
console.log('| case | time (ms) |');
console.log('|---|---:|');
const rows: Array<[string, () => void]> = [
  ['exclusionList default (`^.*\\.sig$`), 15,000 tags', () => void applyExclusionList(withSignatures, undefined)],
  ['semver `>=5.0.0 <8.0.0`', () => void selectImagePolicyTag({ tags: versionTags, policy: { kind: 'semver', range: '>=5.0.0 <8.0.0' } })],
  ['alphabetical asc', () => void selectImagePolicyTag({ tags: versionTags, policy: { kind: 'alphabetical' } })],
  [
    'numerical asc, filterTags `^main-[a-f0-9]+-(?P<ts>[0-9]+)$` extract `$ts`',
    () => void selectImagePolicyTag({ tags: buildTags, filterTags: { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$', extract: '$ts' }, policy: { kind: 'numerical' } }),
  ],
];
for (const [name, work] of rows) console.log(`| ${name} | ${timed(work).toFixed(1)} |`);

const manifest = Array.from({ length: 2_000 }, (_, i) => `  - name: c${i}\n    image: ghcr.io/org/app-${i}:1.0.${i} # {"$imagepolicy": "flux-system:app-${i}"}\n`).join('');
console.log(`\n| marker scan of a ${(manifest.length / 1024).toFixed(0)} KiB document with 2,000 markers | ${timed(() => void scanImageMarkers(manifest)).toFixed(1)} |`);
