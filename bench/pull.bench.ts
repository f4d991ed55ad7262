// Benchmark: pull and index 50 MiB and 200 MiB (incompressible) Flux artifacts from a local registry, next to `skopeo copy`.
// Every run is a FRESH child process; peak RSS is VmHWM from /proc/<pid>/status (ours self-reported, skopeo polled).
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryClient } from '../core/oci/registry-client';
import { pullReference } from '../core/artifacts/pull-reference';
import { parseOciReference } from '../core/oci/reference';
import { ContentCache } from '../core/artifacts/content-cache';
import { startRegistry } from '../test/support/registry';
import { MediaTypes, pushBlob, pushManifest } from '../test/support/registry-push';
import { tgz } from '../test/support/tar';
import { runPolled, statusKiB } from './process-stats';
import { startTlsServer, type TlsTestServer } from '../test/support/tls-server';

// FLUX_OCI_BENCH_PULL_MIB picks other sizes (comma-separated; each file is 1 MiB): memory must not grow with the artifact.
const SIZES_MIB = (process.env.FLUX_OCI_BENCH_PULL_MIB ?? '50,200')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const FILE_BYTES = 1024 * 1024;
const RUNS = Number(process.env.FLUX_OCI_BENCH_RUNS ?? 3);

/**
 * What one child run reports: work time inside the process, VmHWM before the work and at the end (KiB), and the growth
 * of the warm-up (the process's first registry request, before the work).
 */
interface ChildReport {
  workMs: number;
  baselineKiB: number;
  peakKiB: number;
  warmupKiB: number;
}

interface Run {
  wallMs: number;
  workMs: number;
  peakMiB: number;
  growthMiB: number;
  warmupMiB: number;
}

const mib = (bytes: number) => bytes / (1024 * 1024);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function ourChild(mode: string, target: string, nodeFlags: string[] = [], env: Record<string, string> = {}): Promise<Run> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'flux-oci-bench-child-'));
  try {
    const res = await runPolled(process.execPath, [...nodeFlags, '--import', 'tsx', 'bench/pull.bench.ts', mode, target, cacheDir], env);
    const report = JSON.parse(res.stdout.trim().split('\n').pop() ?? '{}') as ChildReport;
    return {
      wallMs: res.wallMs,
      workMs: report.workMs,
      peakMiB: report.peakKiB / 1024,
      growthMiB: (report.peakKiB - report.baselineKiB) / 1024,
      warmupMiB: report.warmupKiB / 1024,
    };
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

/** The shipped CLI (`dist/cli.js`, esbuild bundle, run as its bin runs) pulling into a new folder with a cold cache. */
async function cliRun(reference: string, baselineKiB: number): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'flux-oci-bench-cli-'));
  try {
    const args = ['--expose-gc', 'dist/cli.js', 'pull', reference, '--insecure', '--output', join(dir, 'out'), '--cache-dir', join(dir, 'cache'), '--max-bytes', String(1 << 30)];
    const res = await runPolled(process.execPath, args);
    return { wallMs: res.wallMs, workMs: Number.NaN, peakMiB: res.peakKiB / 1024, growthMiB: (res.peakKiB - baselineKiB) / 1024, warmupMiB: Number.NaN };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function skopeoRun(host: string, repoTag: string, baselineKiB: number): Promise<Run> {
  const out = mkdtempSync(join(tmpdir(), 'flux-oci-bench-skopeo-'));
  try {
    const res = await runPolled('skopeo', ['copy', '--src-tls-verify=false', `docker://${host}/${repoTag}`, `dir:${join(out, 'x')}`]);
    return { wallMs: res.wallMs, workMs: Number.NaN, peakMiB: res.peakKiB / 1024, growthMiB: (res.peakKiB - baselineKiB) / 1024, warmupMiB: Number.NaN };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function row(tool: string, runs: Run[]): string {
  const fmt = (x: number, unit: string, digits = 0) => (Number.isFinite(x) ? `${x.toFixed(digits)} ${unit}` : '–');
  return `| ${tool} | ${fmt(median(runs.map((r) => r.workMs)), 'ms')} | ${fmt(median(runs.map((r) => r.wallMs)), 'ms')} | ${fmt(Math.max(...runs.map((r) => r.peakMiB)), 'MiB', 1)} | ${fmt(median(runs.map((r) => r.growthMiB)), 'MiB', 1)} (max ${fmt(Math.max(...runs.map((r) => r.growthMiB)), 'MiB', 1)}) |`;
}

async function main(): Promise<void> {
  execFileSync('skopeo', ['--version']);
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore' }); // the CLI row runs the shipped bundle
  for (const files of SIZES_MIB) await benchSize(files);
}

async function benchSize(FILES: number): Promise<void> {
  const registry = await startRegistry();
  let tls: TlsTestServer | undefined;
  try {
    const entries = Array.from({ length: FILES }, (_, i) => ({ name: `data/part-${String(i).padStart(3, '0')}.bin`, content: randomBytes(FILE_BYTES) }));
    const layerBytes = tgz(entries);
    const config = await pushBlob(registry, 'bench/big', '{}', MediaTypes.fluxConfig);
    const layer = await pushBlob(registry, 'bench/big', layerBytes, MediaTypes.fluxContent);
    await pushManifest(registry, 'bench/big', { schemaVersion: 2, mediaType: MediaTypes.ociManifest, config, layers: [layer] }, 'v1', MediaTypes.ociManifest);
    const reference = `oci://${registry.host}/bench/big:v1`;
    const blob = JSON.stringify({ host: registry.host, digest: layer.digest, size: layer.size });
    // The same blob over https (what real registries speak): a throwaway certificate the children trust via NODE_EXTRA_CA_CERTS.
    tls = await startTlsServer((req, res) => {
      if (req.url?.startsWith('/v2/bench/big/tags/list')) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'bench/big', tags: ['v1'] }));
      else if (req.url === `/v2/bench/big/blobs/${layer.digest}`) res.writeHead(200, { 'content-length': layerBytes.length }).end(layerBytes);
      else res.writeHead(404).end();
    });
    const tlsBlob = JSON.stringify({ host: new URL(tls.origin).host, digest: layer.digest, size: layer.size });
    const trustTls = { NODE_EXTRA_CA_CERTS: tls.certificate.certPath };
    // skopeo has no "before the work" moment; its baseline is the peak of a run that only starts the binary.
    const skopeoBaseline = (await runPolled('skopeo', ['--version'])).peakKiB;
    const cliBaseline = (await runPolled(process.execPath, ['--expose-gc', 'dist/cli.js', '--version'])).peakKiB;

    const pulls: Run[] = [];
    const pullsNudged: Run[] = [];
    const fetches: Run[] = [];
    const fetchesTls: Run[] = [];
    const skopeo: Run[] = [];
    const cli: Run[] = [];
    for (let run = 0; run < RUNS; run++) {
      const expect = { FLUX_OCI_BENCH_CHILD_FILES: String(FILES) };
      pulls.push(await ourChild('--child-pull', reference, [], expect));
      pullsNudged.push(await ourChild('--child-pull', reference, ['--expose-gc'], expect));
      fetches.push(await ourChild('--child-fetch', blob, ['--expose-gc']));
      fetchesTls.push(await ourChild('--child-fetch-tls', tlsBlob, ['--expose-gc'], trustTls));
      skopeo.push(await skopeoRun(registry.host, 'bench/big:v1', skopeoBaseline));
      cli.push(await cliRun(reference, cliBaseline));
    }
    const ratio = (a: Run[], b: Run[], key: 'workMs' | 'wallMs') => (median(a.map((r) => r[key])) / median(b.map((r) => r.wallMs))).toFixed(2);
    const warmups = [...pulls, ...pullsNudged, ...fetches, ...fetchesTls].map((r) => r.warmupMiB);
    console.log(`\n### ${FILES} MiB artifact\n`);
    console.log(`Artifact: ${FILES} files × 1 MiB random bytes; layer ${mib(layerBytes.length).toFixed(1)} MiB compressed; ${RUNS} runs each, interleaved;`);
    console.log('every run is a fresh process with a cold cache. Work = inside the process, from the first request of the pull to the');
    console.log('last byte on disk (excludes Node/tsx start-up); wall = whole process. Peak RSS = VmHWM; growth = VmHWM at the end minus');
    console.log('VmRSS just before the pull (ours: VmHWM reset there; the client has made its first request, as the language server has)');
    console.log(`or minus a bare \`skopeo --version\` (${(skopeoBaseline / 1024).toFixed(1)} MiB) / \`flux-oci --version\` (${(cliBaseline / 1024).toFixed(1)} MiB).\n`);
    console.log('| Tool | Work (median) | Wall (median) | Peak RSS (max) | RSS growth (median, max) |');
    console.log('|---|---:|---:|---:|---:|');
    console.log(row('flux-oci pull: fetch + verify + extract + index', pulls));
    console.log(row('flux-oci pull, node --expose-gc (as the CLI and the language server run)', pullsNudged));
    console.log(row('flux-oci fetch + verify into the content cache (no extraction; --expose-gc)', fetches));
    console.log(row('the same over https (a local server with a throwaway certificate)', fetchesTls));
    console.log(row('skopeo copy → dir: (fetch + verify, no extraction)', skopeo));
    console.log(row('`flux-oci pull` as shipped (dist/cli.js; whole process, first request included)', cli));
    console.log(`\nOne-time, not per pull: a process's first registry request grows VmHWM by ${median(warmups).toFixed(1)} MiB (median, max ${Math.max(...warmups).toFixed(1)} MiB)`);
    console.log("while V8 optimizes undici's WebAssembly HTTP parser in the background; it happens once per process whatever the artifact.");
    console.log(`\nSame work (fetch + verify) flux-oci work / skopeo wall: ${ratio(fetches, skopeo, 'workMs')} (process wall vs wall: ${ratio(fetches, skopeo, 'wallMs')}).`);
    console.log(`Full pull incl. safe extraction, work / skopeo wall: ${ratio(pulls, skopeo, 'workMs')} (process wall vs wall: ${ratio(pulls, skopeo, 'wallMs')}).`);
    console.log(`The shipped CLI's whole pull (start-up, manifest, fetch, verify, extract) / skopeo copy wall: ${ratio(cli, skopeo, 'wallMs')}.`);
    console.log(`Targets: same-work ratio ≤ 1; RSS growth well under the artifact's ${mib(layerBytes.length).toFixed(0)} MiB.`);
  } finally {
    await tls?.close();
    await registry.stop();
  }
}

/** VmHWM once it has stopped rising for `quietMs` (background work such as V8 optimizing WebAssembly has settled). */
async function settledHwmKiB(quietMs = 300, maxMs = 5000): Promise<number> {
  const started = performance.now();
  let last = statusKiB('self', 'VmHWM');
  let since = performance.now();
  while (performance.now() - since < quietMs && performance.now() - started < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    const now = statusKiB('self', 'VmHWM');
    if (now !== last) {
      last = now;
      since = performance.now();
    }
  }
  return last;
}

/** Child modes: do one piece of work in this fresh process and print a ChildReport as the last stdout line. */
async function child(mode: string, target: string, cacheDir: string): Promise<void> {
  const overTls = mode.endsWith('-tls');
  const client = new RegistryClient(overTls ? { insecureHosts: [] } : {}); // https even on loopback
  // Warm-up: the process's first registry request (as the language server has made long before a pull). Its one-time
  // cost is reported apart: V8 optimizes undici's WebAssembly parser in the background once per process.
  const startKiB = statusKiB('self', 'VmHWM');
  const warmupTarget = mode === '--child-pull' ? parseOciReference(target) : { registry: (JSON.parse(target) as { host: string }).host, repository: 'bench/big' };
  await client.listTags(warmupTarget);
  const warmupKiB = (await settledHwmKiB()) - startKiB;
  // Linux: writing 5 to clear_refs resets VmHWM to the current RSS, so the pull's own peak is measured, not the warm-up's.
  let baselineKiB: number;
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    baselineKiB = statusKiB('self', 'VmHWM');
  } catch {
    baselineKiB = startKiB + warmupKiB; // no reset here: growth below the warm-up's peak goes unseen (reported as 0)
    console.error('warning: /proc/self/clear_refs is not writable; RSS growth is measured from the warm-up peak');
  }
  const started = performance.now();
  if (mode === '--child-pull') {
    const result = await pullReference(target, { client, cache: cacheDir, limits: { maxBytes: 1 << 30 } });
    if (!result.ok) throw new Error(result.problem.message);
    const FILES = Number(process.env.FLUX_OCI_BENCH_CHILD_FILES);
    if (result.value.files.length !== FILES) throw new Error(`expected ${FILES} files, got ${result.value.files.length}`);
  } else {
    const blob = JSON.parse(target) as { host: string; digest: string; size: number };
    const repo = { registry: blob.host, repository: 'bench/big' };
    if (!overTls) await client.getManifest(repo, 'v1');
    const cache = new ContentCache(cacheDir);
    await cache.storeBlobFrom(blob.digest, (sink) => client.downloadBlob(repo, blob.digest, sink, { expectedSize: blob.size }), { expectedSize: blob.size });
  }
  const workMs = performance.now() - started;
  console.log(JSON.stringify({ workMs, baselineKiB, peakKiB: statusKiB('self', 'VmHWM'), warmupKiB } satisfies ChildReport));
}

const [mode, childTarget, childCache] = process.argv.slice(2);
(mode?.startsWith('--child-') ? child(mode, childTarget ?? '', childCache ?? '') : main()).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
