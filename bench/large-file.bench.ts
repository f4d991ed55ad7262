// Benchmark of one very large YAML file (48,000 small Flux documents, ~9 MB, issue 14) next to a 2,000-document
// file of the same documents: `flux-oci check` (dist/cli.js) and the language server, wall, CPU and peak RSS.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileUri, LspClient } from '../test/support/lsp-client';
import { cpuMsOf, runPolled, statusKiB } from './process-stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZES = [2_000, 48_000];

/** Small, clean Flux documents: OCIRepositories and the HelmReleases whose chartRef names them. */
function documentAt(i: number): string {
  return i % 2 === 0
    ? `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: app-${i}\n  namespace: team-${i % 13}\nspec:\n  interval: 10m\n  url: oci://ghcr.io/example/app-${i}\n  ref:\n    tag: 1.0.${i}\n`
    : `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: app-${i}\n  namespace: team-${(i - 1) % 13}\nspec:\n  interval: 30m\n  chartRef:\n    kind: OCIRepository\n    name: app-${i - 1}\n`;
}

interface Sample {
  wallMs: number;
  cpuMs: number;
  peakMiB: number;
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The CLI bundle to run (FLUX_OCI_CLI=path compares another build; the server takes FLUX_OCI_SERVER). */
const CLI = process.env.FLUX_OCI_CLI ?? 'dist/cli.js';

/** `flux-oci check <file>` as its bin runs it, polled for peak RSS and CPU. */
async function cliRun(file: string): Promise<Sample> {
  const res = await runPolled(process.execPath, ['--expose-gc', CLI, 'check', file]);
  return { wallMs: res.wallMs, cpuMs: res.cpuMs, peakMiB: res.peakKiB / 1024 };
}

/** A fresh server: initialize on the folder holding the file until its scan (index + diagnostics published) is done. */
async function serverScanRun(folder: string): Promise<Sample> {
  const client = await LspClient.start();
  try {
    const pid = client.process.pid!;
    const cpu0 = cpuMsOf(pid);
    const t0 = performance.now();
    await client.initialize({ rootPath: folder });
    await client.waitForNotification('fluxOci/workspaceScanned', () => true, 600_000);
    return { wallMs: performance.now() - t0, cpuMs: cpuMsOf(pid) - cpu0, peakMiB: statusKiB(pid, 'VmHWM') / 1024 };
  } finally {
    await client.stop();
  }
}

/** A fresh server with no folder: the file is opened in the editor until its diagnostics are published. */
async function serverOpenRun(text: string): Promise<Sample> {
  const client = await LspClient.start();
  try {
    const pid = client.process.pid!;
    await client.initialize();
    const cpu0 = cpuMsOf(pid);
    const t0 = performance.now();
    const uri = fileUri(join(tmpdir(), 'flux-oci-bench-open', 'big.yaml'));
    client.openDocument(uri, text, 1);
    await client.diagnosticsFor(uri, 1);
    return { wallMs: performance.now() - t0, cpuMs: cpuMsOf(pid) - cpu0, peakMiB: statusKiB(pid, 'VmHWM') / 1024 };
  } finally {
    await client.stop();
  }
}

async function main(): Promise<void> {
  const rows: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'flux-oci-bench-large-'));
  try {
    for (const size of SIZES) {
      const text = Array.from({ length: size }, (_, i) => documentAt(i)).join('---\n');
      const folder = join(dir, String(size));
      const file = join(folder, 'big.yaml');
      rmSync(folder, { recursive: true, force: true });
      mkdirSync(folder, { recursive: true });
      writeFileSync(file, text);
      const scenarios: Array<[string, () => Promise<Sample>]> = [
        ['`flux-oci check` (whole process)', () => cliRun(file)],
        ['server: workspace scan until diagnostics are published', () => serverScanRun(folder)],
        ['server: file opened in the editor until diagnostics are published', () => serverOpenRun(text)],
      ];
      for (const [name, run] of scenarios) {
        const samples: Sample[] = [];
        for (let r = 0; r < RUNS; r++) samples.push(await run());
        const cpu = median(samples.map((s) => s.cpuMs));
        rows.push(
          `| ${name} | ${size.toLocaleString('en')} (${(text.length / 1024 / 1024).toFixed(1)} MiB) | ${median(samples.map((s) => s.wallMs)).toFixed(0)} ms | ${cpu.toFixed(0)} ms | ${((cpu * 1000) / size).toFixed(0)} µs | ${median(samples.map((s) => s.peakMiB)).toFixed(0)} MiB |`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('| Scenario | Documents | Median wall | Median CPU | CPU per document | Peak RSS |');
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log(`\n${RUNS} run(s) each, every run a fresh process. CPU from /proc/<pid>/stat (10 ms steps); peak RSS is VmHWM.`);
  console.log(`Machine load average while running: ${loadavg()[0].toFixed(1)} (1 min), ${cpus().length} CPUs.`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
