// Benchmark of the offline validation engine: whole-file validation of a generated 2,000-document mixed
// file, and a single-document edit in it (target: under 5 ms). Prints a markdown table of wall and CPU medians.
import { cpus, loadavg } from 'node:os';
import { WorkspaceIndex } from '../core/workspace/workspace-index';

const DOCS = 2000;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const EDITS = 50;

function documentAt(i: number): string {
  switch (i % 4) {
    case 0:
      return `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: app-${i}\n  namespace: team-${i % 13}\nspec:\n  interval: 10m\n  url: oci://ghcr.io/example/charts/app-${i}\n  ref:\n    semver: ">=1.0.0 <2.0.0"\n  layerSelector:\n    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip\n    operation: copy\n  secretRef:\n    name: pull-${i % 13}\n`;
    case 1:
      return `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: app-${i}\n  namespace: team-${(i - 1) % 13}\nspec:\n  interval: 30m\n  chartRef:\n    kind: OCIRepository\n    name: app-${i - 1}\n  install:\n    remediation:\n      retries: 3\n  upgrade:\n    remediation:\n      retries: 3\n  values:\n    replicaCount: ${i % 5}\n    image:\n      repository: ghcr.io/example/app\n      tag: "1.${i}.0"\n    resources:\n      limits:\n        cpu: 500m\n        memory: 256Mi\n`;
    case 2:
      return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: pull-${i % 13}\n  namespace: team-${i % 13}\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${Buffer.from(JSON.stringify({ auths: { 'ghcr.io': { auth: 'dXNlcjpwYXNz' } } })).toString('base64')}\n`;
    default:
      return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-${i}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web-${i}\n  template:\n    metadata:\n      labels:\n        app: web-${i}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          ports:\n            - containerPort: 80\n`;
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** CPU milliseconds of this process (less distorted than wall time on a busy machine). */
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let peakHeap = 0;
const sampleHeap = (): void => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
};

/** Runs `work` once, recording wall and CPU milliseconds. */
function measure(into: { wall: number[]; cpu: number[] }, work: () => void): void {
  const t0 = performance.now();
  const c0 = cpuMs();
  work();
  into.cpu.push(cpuMs() - c0);
  into.wall.push(performance.now() - t0);
  sampleHeap();
}
const series = (): { wall: number[]; cpu: number[] } => ({ wall: [], cpu: [] });

const docs = Array.from({ length: DOCS }, (_, i) => documentAt(i));
const text = docs.join('---\n');

/** Unmeasured runs between the cold first run and the measured ones (JIT tiers settle in a long-lived server). */
const WARMUP = 2;
const cold = series();
const whole = series();
let diagnostics = 0;
for (let r = 0; r < 1 + WARMUP + RUNS; r++) {
  const index = new WorkspaceIndex();
  const work = (): void => {
    index.setFile('big.yaml', text);
    diagnostics = index.analyze('big.yaml').diagnostics.length;
  };
  if (r === 0) measure(cold, work);
  else if (r <= WARMUP) work();
  else measure(whole, work);
}

const edit = series();
const editLineShift = series();
const rename = series();
const index = new WorkspaceIndex();
index.setFile('big.yaml', text);
index.analyze('big.yaml');
for (let e = 0; e < EDITS; e++) {
  const target = (e * 37) % DOCS;
  const changed = [...docs];
  // a typical edit: a value changes (interval, replicas, a version...), names stay
  changed[target] = changed[target].replace(/: (10m|30m|2|dXNl)/, (_m, v: string) => `: ${v === '2' ? '3' : v === 'dXNl' ? 'dXNm' : `${e + 11}m`}`);
  const editedText = changed.join('---\n');
  measure(edit, () => {
    index.setFile('big.yaml', editedText);
    index.analyze('big.yaml');
  });
  // an edit that adds a line, so every later document moves
  changed[target] = changed[target] + `# note ${e}\n`;
  const shiftedText = changed.join('---\n');
  measure(editLineShift, () => {
    index.setFile('big.yaml', shiftedText);
    index.analyze('big.yaml');
  });
}
for (let e = 0; e < EDITS; e++) {
  const changed = [...docs];
  const target = (e * 53) % DOCS;
  changed[target] = changed[target].replace('name: ', `name: renamed${e}-`);
  const renamedText = changed.join('---\n');
  measure(rename, () => {
    index.setFile('big.yaml', renamedText);
    index.analyze('big.yaml');
  });
}

// Issue 14: one file of 48,000 small documents must cost about what a document of the 2,000-document file costs.
// (bench/large-file.bench.ts measures the same as whole CLI and server processes, with peak RSS.)
const LARGE_DOCS = 48_000;
const smallDocument = (i: number): string =>
  i % 2 === 0
    ? `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: app-${i}\n  namespace: team-${i % 13}\nspec:\n  interval: 10m\n  url: oci://ghcr.io/example/app-${i}\n  ref:\n    tag: 1.0.${i}\n`
    : `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: app-${i}\n  namespace: team-${(i - 1) % 13}\nspec:\n  interval: 30m\n  chartRef:\n    kind: OCIRepository\n    name: app-${i - 1}\n`;
const largeText = Array.from({ length: LARGE_DOCS }, (_, i) => smallDocument(i)).join('---\n');
const large = series();
const heapBeforeLarge = process.memoryUsage().heapUsed;
let largeHeap = 0;
{
  const largeIndex = new WorkspaceIndex();
  measure(large, () => {
    largeIndex.setFile('large.yaml', largeText);
    largeIndex.analyze('large.yaml');
  });
  (globalThis as { gc?: () => void }).gc?.();
  largeHeap = process.memoryUsage().heapUsed - heapBeforeLarge;
}

const row = (name: string, m: { wall: number[]; cpu: number[] }, digits: number): string =>
  `| ${name} | ${median(m.wall).toFixed(digits)} ms | ${median(m.cpu).toFixed(digits)} ms | ${m.wall.length} |`;
console.log(`Generated file: ${DOCS} documents, ${(text.length / 1024).toFixed(0)} KiB, ${diagnostics} diagnostics.\n`);
console.log('| Scenario | Median wall | Median CPU | Runs |');
console.log('|---|---|---|---|');
console.log(row('Whole-file validation, first run in the process (cold JIT)', cold, 1));
console.log(row(`Whole-file validation, fresh index (after ${WARMUP} unmeasured runs)`, whole, 1));
console.log(row('Single-document edit, same line count (setFile + analyze)', edit, 2));
console.log(row('Single-document edit adding a line (later documents shift)', editLineShift, 2));
console.log(row('Single-document edit renaming an object (cross-file lookups of that name redone)', rename, 2));
console.log(
  row(
    `Whole-file validation of ${LARGE_DOCS.toLocaleString('en')} small documents (${(largeText.length / 1024 / 1024).toFixed(1)} MiB), one run; per document: ${((median(large.cpu) * 1000) / LARGE_DOCS).toFixed(0)} µs CPU (2,000-document file: ${((median(whole.cpu) * 1000) / DOCS).toFixed(0)} µs)`,
    large,
    0,
  ),
);
console.log(`\nThe 48,000-document index holds ${(largeHeap / 1024 / 1024).toFixed(0)} MiB of JS heap after validation.`);
console.log(`\nPeak JS heap used: ${(peakHeap / 1024 / 1024).toFixed(0)} MiB; peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB.`);
console.log(`Machine load average while running: ${loadavg()[0].toFixed(1)} (1 min), ${cpus().length} CPUs.`);
