// Benchmark of the repository build model: a generated repository of 3,000 files across 50 Flux Kustomizations
// (kustomization.yaml overlays with patches, targetNamespace, postBuild substitute + substituteFrom), checked whole and
// edited one file at a time as the language server does (setFile + analyze of every affected path; target < 10 ms).
// The same files without Flux Kustomizations (today's reading: every object as written) are measured beside it.
import { cpus, loadavg } from 'node:os';
import { WorkspaceIndex } from '../core/workspace/workspace-index';

const KUSTOMIZATIONS = 50;
const FILES_PER_APP = 59; // plus the app's kustomization.yaml: 60 files per Kustomization, 3,000 in all
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const EDITS = 40;
const ROOT = '/repo';

function appFile(app: number, i: number): string {
  switch (i % 4) {
    case 0:
      return `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: chart-${i}\nspec:\n  interval: 10m\n  url: oci://\${REGISTRY}/charts/app-${app}-${i}\n  ref:\n    semver: "\${CHART_RANGE:=1.x}"\n  layerSelector:\n    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip\n    operation: copy\n  secretRef:\n    name: pull-${i % 7}\n`;
    case 1:
      return `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: release-${i}\nspec:\n  interval: 30m\n  chartRef:\n    kind: OCIRepository\n    name: chart-${i - 1}\n  values:\n    replicaCount: 2\n    image:\n      repository: ghcr.io/example/app-${app}\n      tag: \${APP_VERSION}\n    resources:\n      limits:\n        cpu: 500m\n        memory: 256Mi\n`;
    case 2:
      return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: pull-${i % 7}\ntype: Opaque\nstringData:\n  token: placeholder-${i}\n`;
    default:
      return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-${i}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web-${i}\n  template:\n    metadata:\n      labels:\n        app: web-${i}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n`;
  }
}

function fluxKustomization(app: number): string {
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: app-${app}\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./apps/app-${app}\n  prune: true\n  targetNamespace: team-${app}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  postBuild:\n    substitute:\n      APP_VERSION: "1.${app}.0"\n    substituteFrom:\n      - kind: ConfigMap\n        name: cluster-vars\n`;
}

/** The repository: path → text. `withKustomizations: false` leaves out every Flux Kustomization (today's reading). */
function generate(withKustomizations: boolean): Map<string, string> {
  const files = new Map<string, string>();
  for (let app = 0; app < KUSTOMIZATIONS; app++) {
    const names: string[] = [];
    for (let i = 0; i < FILES_PER_APP - 1; i++) {
      const name = `file-${i}.yaml`;
      names.push(name);
      files.set(`${ROOT}/apps/app-${app}/${name}`, appFile(app, i));
    }
    files.set(`${ROOT}/apps/app-${app}/values-patch.yaml`, `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: release-1\nspec:\n  values:\n    replicaCount: 3\n`);
    files.set(
      `${ROOT}/apps/app-${app}/kustomization.yaml`,
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${names.map((n) => `  - ${n}\n`).join('')}patches:\n  - path: values-patch.yaml\n`,
    );
    if (withKustomizations) files.set(`${ROOT}/clusters/prod/app-${app}.yaml`, fluxKustomization(app));
  }
  if (withKustomizations) {
    files.set(
      `${ROOT}/clusters/prod/cluster-vars.yaml`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-vars\n  namespace: flux-system\ndata:\n  REGISTRY: ghcr.io\n  CHART_RANGE: "1.x"\n`,
    );
    files.set(
      `${ROOT}/clusters/prod/flux-system/gotk-sync.yaml`,
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./clusters/prod\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`,
    );
  }
  return files;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
interface Series {
  wall: number[];
  cpu: number[];
}
const series = (): Series => ({ wall: [], cpu: [] });
const collectGarbage = (): void => (globalThis as { gc?: () => void }).gc?.();
function measure(into: Series, work: () => void): void {
  const t0 = performance.now();
  const c0 = cpuMs();
  work();
  into.cpu.push(cpuMs() - c0);
  into.wall.push(performance.now() - t0);
}

/** Whole-repository check as `flux-oci check` does it: index every file, then analyze every file. */
function checkAll(files: Map<string, string>): { index: WorkspaceIndex; diagnostics: number } {
  const index = new WorkspaceIndex();
  index.setRepositoryRoots([ROOT]);
  for (const [path, text] of files) index.setFile(path, text);
  let diagnostics = 0;
  for (const path of files.keys()) diagnostics += index.analyze(path).diagnostics.length;
  return { index, diagnostics };
}

/** One edit as the server handles it: re-index the buffer, then analyze every path whose diagnostics may change. */
function serverEdit(index: WorkspaceIndex, path: string, text: string): number {
  const affected = index.setFile(path, text);
  for (const p of affected) index.analyze(p);
  return affected.length;
}

interface Figures {
  files: number;
  diagnostics: number;
  cold: Series;
  whole: Series;
  valueEdit: Series;
  kustomizationEdit: Series;
  variableEdit: Series;
  affectedByVariableEdit: number;
}

function run(withKustomizations: boolean): Figures {
  const files = generate(withKustomizations);
  const cold = series();
  const whole = series();
  let diagnostics = 0;
  for (let r = 0; r < 1 + 1 + RUNS; r++) {
    const work = (): void => {
      diagnostics = checkAll(files).diagnostics;
    };
    collectGarbage();
    if (r === 0) measure(cold, work);
    else if (r === 1) work();
    else measure(whole, work);
  }
  collectGarbage();
  const { index } = checkAll(files);
  const valueEdit = series();
  const kustomizationEdit = series();
  const variableEdit = series();
  let affectedByVariableEdit = 0;
  for (let e = 0; e < EDITS; e++) {
    const app = (e * 7) % KUSTOMIZATIONS;
    const release = `${ROOT}/apps/app-${app}/file-${(e * 4 + 1) % (FILES_PER_APP - 1)}.yaml`;
    const original = files.get(release)!;
    measure(valueEdit, () => serverEdit(index, release, original.replace('replicaCount: 2', `replicaCount: ${e + 3}`)));
    const kustomization = `${ROOT}/apps/app-${app}/kustomization.yaml`;
    measure(kustomizationEdit, () => serverEdit(index, kustomization, `${files.get(kustomization)!}namePrefix: p${e}-\n`));
    serverEdit(index, kustomization, files.get(kustomization)!);
    if (withKustomizations) {
      const ks = `${ROOT}/clusters/prod/app-${app}.yaml`;
      measure(variableEdit, () => {
        affectedByVariableEdit = serverEdit(index, ks, files.get(ks)!.replace(`APP_VERSION: "1.${app}.0"`, `APP_VERSION: "2.${e}.0"`));
      });
    }
  }
  return { files: files.size, diagnostics, cold, whole, valueEdit, kustomizationEdit, variableEdit, affectedByVariableEdit };
}

const fleet = run(true);
const plain = run(false);
const fmt = (s: Series, digits: number): string => (s.wall.length ? `${median(s.wall).toFixed(digits)} ms (p95 ${p95(s.wall).toFixed(digits)}) | ${median(s.cpu).toFixed(digits)} ms` : '– | –');
console.log(
  `Generated repository: ${fleet.files} files, ${KUSTOMIZATIONS} Flux Kustomizations (each: a kustomization.yaml of ${FILES_PER_APP - 1} resources and a patch, targetNamespace, postBuild substitute + substituteFrom); ${fleet.diagnostics} diagnostics. Today's reading: the same ${plain.files} files without the Flux Kustomizations.\n`,
);
console.log('| Scenario | With 50 Kustomizations: median wall | CPU | Without Kustomizations (today): median wall | CPU |');
console.log('|---|---|---|---|---|');
console.log(`| Whole-repository check, first run in the process (cold JIT) | ${fmt(fleet.cold, 0)} | ${fmt(plain.cold, 0)} |`);
console.log(`| Whole-repository check, fresh index (warm, ${RUNS} runs) | ${fmt(fleet.whole, 0)} | ${fmt(plain.whole, 0)} |`);
console.log(`| One-file edit: a HelmRelease value (setFile + analyze affected; target < 10 ms) | ${fmt(fleet.valueEdit, 2)} | ${fmt(plain.valueEdit, 2)} |`);
console.log(`| One-file edit: a kustomization.yaml (the build model is redone) | ${fmt(fleet.kustomizationEdit, 1)} | ${fmt(plain.kustomizationEdit, 1)} |`);
console.log(`| One-file edit: a Flux Kustomization's postBuild value (${fleet.affectedByVariableEdit} files re-analysed) | ${fmt(fleet.variableEdit, 1)} | – | – |`);
console.log(`\nPeak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB. Machine load average while running: ${loadavg()[0].toFixed(1)} (1 min), ${cpus().length} CPUs.`);
