// Benchmark: the shipped `flux-oci` binary as whole processes (what CI jobs and pre-commit hooks wait for), next to
// `node -e 0`, `skopeo list-tags` and `skopeo copy` in the same run, interleaved. Prints a markdown table; asserts nothing.
import { randomBytes } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry } from '../test/support/registry';
import { MediaTypes, pushBlob, pushManifest, pushManyTags } from '../test/support/registry-push';
import { tgz } from '../test/support/tar';
import { startThrottledLink } from '../test/support/throttled-link';
import { build, type Plugin } from 'esbuild';

const CLI = 'dist/cli.js';
const START_RUNS = Number(process.env.FLUX_OCI_BENCH_START_RUNS ?? 21);
const REGISTRY_RUNS = Number(process.env.FLUX_OCI_BENCH_REGISTRY_RUNS ?? 7);
const PULL_MIB = 50;
const LINK_MIB_PER_S = 25;
const LINK_RUNS = Number(process.env.FLUX_OCI_BENCH_LINK_RUNS ?? 5);

interface ProcessRun {
  wallMs: number;
  peakKiB: number;
  /** User + system CPU of the whole process (all threads), from /proc/<pid>/stat; 10 ms ticks, last reading before exit. */
  cpuMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function hwmKiB(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  } catch {
    return Number.NaN; // already exited
  }
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime (fields 14 and 15 of the line)
  } catch {
    return Number.NaN;
  }
}

/** Runs a command to completion: wall time from spawn to exit, peak RSS polled from /proc (VmHWM only rises). */
function runProcess(command: string, args: string[]): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let peakKiB = 0;
    let cpuMs = 0;
    let stderr = '';
    const timer = setInterval(() => {
      const hwm = hwmKiB(child.pid!);
      if (Number.isFinite(hwm)) peakKiB = Math.max(peakKiB, hwm);
      const cpu = cpuMsOf(child.pid!);
      if (Number.isFinite(cpu)) cpuMs = Math.max(cpuMs, cpu);
    }, 2);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      clearInterval(timer);
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(-400)}`));
      else resolve({ wallMs, peakKiB, cpuMs });
    });
  });
}

/** Runs each scenario `runs` times, one of each in turn (so load on the machine falls on all of them alike). */
async function interleaved(runs: number, scenarios: Record<string, () => Promise<ProcessRun>>): Promise<Record<string, ProcessRun[]>> {
  const results: Record<string, ProcessRun[]> = Object.fromEntries(Object.keys(scenarios).map((k) => [k, []]));
  for (let run = 0; run < runs; run++) {
    for (const [name, scenario] of Object.entries(scenarios)) results[name]!.push(await scenario());
  }
  return results;
}

/** A fresh scratch folder for one run of `work`, removed afterwards. */
async function inScratch(prefix: string, work: (dir: string) => Promise<ProcessRun>): Promise<ProcessRun> {
  const dir = mkdtempSync(join(tmpdir(), `flux-oci-bench-${prefix}-`));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function row(label: string, runs: ProcessRun[], baseline?: ProcessRun[], target?: string): string {
  const wall = median(runs.map((r) => r.wallMs));
  const best = Math.min(...runs.map((r) => r.wallMs));
  const peak = Math.max(...runs.map((r) => r.peakKiB)) / 1024;
  const cpu = median(runs.map((r) => r.cpuMs));
  const ratio = baseline ? `${(wall / median(baseline.map((r) => r.wallMs))).toFixed(2)}× / ${(best / Math.min(...baseline.map((r) => r.wallMs))).toFixed(2)}×` : '';
  return `| ${label} | ${wall.toFixed(0)} ms | ${best.toFixed(0)} ms | ${cpu.toFixed(0)} ms | ${peak.toFixed(1)} MiB | ${ratio} | ${target ?? ''} |`;
}

/**
 * The floor of any CLI on Node and undici: the same lean undici the CLI ships, one GET of the tag list, the JSON printed.
 * Bundled like the CLI (one CommonJS file) with the CLI's V8 flag; the gap between it and `flux-oci tags` is the CLI's own.
 */
async function buildUndiciFloor(dir: string): Promise<string> {
  const entry = join(dir, 'floor.ts');
  writeFileSync(
    entry,
    `import { setFlagsFromString } from 'node:v8';
import { Agent } from 'undici';
setFlagsFromString('--liftoff-only');
void (async () => {
  const agent = new Agent();
  const res = await agent.request({ origin: 'http://' + process.argv[2], path: '/v2/' + process.argv[3] + '/tags/list?n=1000', method: 'GET' });
  process.stdout.write(JSON.stringify(JSON.parse(await res.body.text()), null, 2) + '\\n');
  await agent.close();
})();
`,
  );
  const outfile = join(dir, 'floor.js');
  const { leanUndici } = (await import(join(process.cwd(), 'scripts', 'lean-undici.mjs'))) as { leanUndici: (root: string) => Plugin };
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', plugins: [leanUndici(process.cwd())] });
  return outfile;
}

/** skopeo copy, then tar extracting the layer it wrote: the work `flux-oci pull` does (fetch, verify, extract), in two processes. */
async function skopeoCopyAndExtract(registryHost: string, dir: string): Promise<ProcessRun> {
  const copy = await runProcess('skopeo', ['copy', '--src-tls-verify=false', `docker://${registryHost}/bench/big:v1`, `dir:${join(dir, 'blobs')}`]);
  const layer = readdirSync(join(dir, 'blobs'))
    .map((name) => join(dir, 'blobs', name))
    .sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
  execFileSync('mkdir', ['-p', join(dir, 'out')]);
  const extract = await runProcess('tar', ['-xzf', layer, '-C', join(dir, 'out')]);
  return { wallMs: copy.wallMs + extract.wallMs, peakKiB: Math.max(copy.peakKiB, extract.peakKiB), cpuMs: copy.cpuMs + extract.cpuMs };
}

async function main(): Promise<void> {
  execFileSync('skopeo', ['--version']);
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore' });
  const registry = await startRegistry();
  try {
    const tags = Array.from({ length: 10_000 }, (_, i) => `${Math.floor(i / 1000)}.${Math.floor(i / 10) % 100}.${i % 10}`);
    await pushManyTags(registry, 'bench/app', tags);
    const files = Array.from({ length: PULL_MIB }, (_, i) => ({ name: `data/part-${String(i).padStart(3, '0')}.bin`, content: randomBytes(1024 * 1024) }));
    const config = await pushBlob(registry, 'bench/big', '{}', MediaTypes.fluxConfig);
    const layer = await pushBlob(registry, 'bench/big', tgz(files), MediaTypes.fluxContent);
    await pushManifest(registry, 'bench/big', { schemaVersion: 2, mediaType: MediaTypes.ociManifest, config, layers: [layer] }, 'v1', MediaTypes.ociManifest);
    const node = process.execPath;
    const floorDir = mkdtempSync(join(tmpdir(), 'flux-oci-bench-floor-'));
    const floor = await buildUndiciFloor(floorDir);

    const start = await interleaved(START_RUNS, {
      nodeBare: () => runProcess(node, ['-e', '0']),
      version: () => runProcess(node, [CLI, '--version']),
      help: () => runProcess(node, [CLI, '--help']),
      check: () => runProcess(node, [CLI, 'check', 'test/fixtures/manifests/valid', '--format', 'json']),
    });
    const listing = await interleaved(REGISTRY_RUNS, {
      tags: () => runProcess(node, [CLI, 'tags', `oci://${registry.host}/bench/app`, '--insecure', '--format', 'json']),
      resolve: () => runProcess(node, [CLI, 'tags', `oci://${registry.host}/bench/app`, '--insecure', '--semver', '>=3.0.0 <4.0.0']),
      skopeo: () => runProcess('skopeo', ['list-tags', '--tls-verify=false', `docker://${registry.host}/bench/app`]),
      floor: () => runProcess(node, [floor, registry.host, 'bench/app']),
    });
    rmSync(floorDir, { recursive: true, force: true });
    const pulls = await interleaved(REGISTRY_RUNS, {
      pull: () => inScratch('cli-pull', (dir) => runProcess(node, [CLI, 'pull', `oci://${registry.host}/bench/big:v1`, '--insecure', '--output', join(dir, 'out'), '--cache-dir', join(dir, 'cache')])),
      skopeo: () => inScratch('skopeo-copy', (dir) => runProcess('skopeo', ['copy', '--src-tls-verify=false', `docker://${registry.host}/bench/big:v1`, `dir:${join(dir, 'out')}`])),
      skopeoTar: () => inScratch('skopeo-tar', (dir) => skopeoCopyAndExtract(registry.host, dir)),
    });
    // The same pull over a link of LINK_MIB_PER_S (25 MiB/s, 200 Mbit/s), as from a registry on the network: the
    // download takes longer than the extraction, which runs while it arrives.
    const link = await startThrottledLink(registry.host, LINK_MIB_PER_S * 1024 * 1024);
    const linked = await interleaved(LINK_RUNS, {
      pull: () => inScratch('link-pull', (dir) => runProcess(node, [CLI, 'pull', `oci://${link.host}/bench/big:v1`, '--insecure', '--output', join(dir, 'out'), '--cache-dir', join(dir, 'cache')])),
      skopeo: () => inScratch('link-skopeo', (dir) => runProcess('skopeo', ['copy', '--src-tls-verify=false', `docker://${link.host}/bench/big:v1`, `dir:${join(dir, 'out')}`])),
    }).finally(() => link.close());

    console.log(`Whole processes, interleaved; ${START_RUNS} runs of the start-up rows, ${REGISTRY_RUNS} of the registry rows; local distribution registry.`);
    console.log(`\`${CLI}\` as installed (no extra node flags); Node ${process.versions.node}.\n`);
    console.log(
      `Machine load average at the start: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')} (1 / 5 / 15 min) on ${cpus().length} cores.\n`,
    );
    console.log('| Process | Wall (median) | Wall (best) | CPU (median) | Peak RSS (max) | Ratio, median / best | Target |');
    console.log('|---|---:|---:|---:|---:|---:|---|');
    console.log(row('`node -e 0`', start.nodeBare!));
    console.log(row('`flux-oci --version`', start.version!, start.nodeBare, '≤ 1.3× node -e 0'));
    console.log(row('`flux-oci --help`', start.help!, start.nodeBare));
    console.log(row('`flux-oci check` (fixtures/valid, offline, json)', start.check!, start.nodeBare));
    console.log(row('`skopeo list-tags` (10,000 tags)', listing.skopeo!));
    console.log(row('node + undici: one GET of the list, printed (the floor; no CLI)', listing.floor!, listing.skopeo));
    console.log(row('`flux-oci tags` (10,000 tags, json)', listing.tags!, listing.skopeo, '≤ 3× skopeo list-tags'));
    console.log(row('`flux-oci tags --semver ">=3.0.0 <4.0.0"`', listing.resolve!, listing.skopeo));
    console.log(row(`\`skopeo copy\` → dir: (${PULL_MIB} MiB, fetch + verify)`, pulls.skopeo!));
    console.log(row(`\`skopeo copy\` then \`tar -xzf\` of the layer (fetch + verify + extract, two processes)`, pulls.skopeoTar!, pulls.skopeo));
    console.log(row(`\`flux-oci pull\` (${PULL_MIB} MiB, cold cache: fetch + verify + extract + copy out)`, pulls.pull!, pulls.skopeo, '≤ 1.5× skopeo copy'));
    console.log(row(`\`skopeo copy\` over a ${LINK_MIB_PER_S} MiB/s link (${LINK_MIB_PER_S * 8} Mbit/s)`, linked.skopeo!));
    console.log(row(`\`flux-oci pull\` over the same link (cold cache; extracts while downloading)`, linked.pull!, linked.skopeo));
  } finally {
    await registry.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
