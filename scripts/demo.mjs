// `npm run demo`: installs what is missing, builds the extension and its .vsix, starts a seeded local registry and
// code-server with the extension on a copy of examples/, prints the URL and what to try; Ctrl-C stops everything.
// `--smoke` checks the running demo end to end (workbench, installed extension, registry-backed resolution) and exits.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const SMOKE = process.argv.includes('--smoke');
const WAIT_MS = 60_000;
const CODE_SERVER = join(process.env.FLUX_OCI_CACHE ?? join(homedir(), '.cache', 'flux-oci-sources'), 'code-server', 'node_modules', '.bin', 'code-server');

/** Every process this script started, killed as a group on exit. */
const children = new Set();
let scratch;
let stopping = false;

function log(line) {
  process.stdout.write(`demo: ${line}\n`);
}

function runStep(title, command, args, options = {}) {
  log(title);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', timeout: 600_000, ...options });
  if (result.status !== 0) throw new Error(`${title} failed (${command} ${args.join(' ')} exited with ${result.status ?? result.signal})`);
}

function startDetached(command, args, name) {
  const child = spawn(command, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const entry = { child, name, output: () => output };
  children.add(entry);
  child.once('exit', () => children.delete(entry));
  return entry;
}

function killAll(signal = 'SIGTERM') {
  for (const { child } of children) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // the group is already gone
    }
  }
}

async function stopEverything() {
  if (stopping) return;
  stopping = true;
  killAll('SIGTERM');
  const deadline = Date.now() + 5000;
  while (children.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  killAll('SIGKILL');
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function waitFor(url, accept, entry) {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    if (entry.child.exitCode !== null) throw new Error(`${entry.name} exited early:\n${entry.output().slice(-2000)}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body = await response.text();
      if (accept(response.status, body)) return body;
    } catch {
      // not ready yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${entry.name} did not answer ${url} within ${WAIT_MS / 1000} s:\n${entry.output().slice(-2000)}`);
}

async function startRegistry() {
  const port = await freePort();
  const dir = join(scratch, 'registry');
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'config.yml');
  writeFileSync(config, `version: 0.1\nlog: { level: warn }\nstorage:\n  filesystem: { rootdirectory: ${join(dir, 'data')} }\n` + `  delete: { enabled: true }\nhttp: { addr: "127.0.0.1:${port}" }\n`);
  const entry = startDetached('/usr/bin/docker-registry', ['serve', config], 'docker-registry');
  await waitFor(`http://127.0.0.1:${port}/v2/`, (status) => status === 200, entry);
  return { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}` };
}

async function startCodeServer(vsix, workspace) {
  const userDataDir = join(scratch, 'code-server', 'user-data');
  const extensionsDir = join(scratch, 'code-server', 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'git.enabled': false,
        'extensions.ignoreRecommendations': true,
        // Compare opens beside a Markdown preview; keep its diff side by side so both versions show.
        'diffEditor.useInlineViewWhenSpaceIsLimited': false,
      },
      null,
      2,
    ),
  );
  runStep('installing the extension into code-server', CODE_SERVER, ['--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--force'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const port = await freePort();
  const entry = startDetached(
    CODE_SERVER,
    [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      workspace,
    ],
    'code-server',
  );
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/healthz`, (status) => status === 200, entry);
  return { base, url: `${base}/?folder=${encodeURIComponent(workspace)}`, userDataDir, extensionsDir };
}

/** What the examples show, in the order a first-time visitor should try it (see examples/README.md). */
const WHAT_TO_TRY = [
  'Problems panel (Ctrl+Shift+M): the offline mistakes in apps/legacy and apps/redis, each with a clear message.',
  'apps/podinfo/podinfo-source.yaml: the inlay hint after `semver:` shows the tag Flux picks (6.7.1) and its digest; hover it for details.',
  'apps/redis/redis-source.yaml: delete the value of `tag:` and press Ctrl+Space: the pushed tags, newest first.',
  'apps/redis/redis-release.yaml: Ctrl+. on `kind: OCIRepository`: the quick fix rewrites the chart block to `chartRef`.',
  'F1 → "Flux OCI: Pull and Inspect Artifact…" (cursor in an OCIRepository): values.yaml, README and a summary, read-only.',
  'F1 → "Flux OCI: Compare with Another Version…": a diff of values.yaml between two chart versions.',
  'Explorer → OCI Sources: every OCIRepository of the workspace, the tag its ref selects, and all tags below it.',
  'apps/podinfo/podinfo-deployment.yaml: the `$imagepolicy` marker shows `→ …:6.7.1`, what image automation will write; hover it for the policy and candidates.',
  'F1 → "Flux OCI: Sign in to Registry…": stores a token in VS Code\'s secret storage (the demo registry needs none).',
];

/** The demo's own end-to-end check: extension installed, the built CLI resolves the examples against the seeded registry. */
function smokeCheck(codeServer, registry, workspace) {
  const listed = spawnSync(CODE_SERVER, ['--list-extensions', '--extensions-dir', codeServer.extensionsDir, '--user-data-dir', codeServer.userDataDir], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const extensionId = `${pkg.publisher}.${pkg.name}`.toLowerCase();
  if (
    !listed.stdout
      .toLowerCase()
      .split('\n')
      .some((line) => line.trim() === extensionId)
  ) {
    throw new Error(`code-server does not list the extension ${extensionId}: ${listed.stdout.trim() || listed.stderr.trim()}`);
  }
  const check = spawnSync(process.execPath, ['dist/cli.js', 'check', workspace, '--online', '--format', 'json', '--cache-dir', join(scratch, 'cli-cache')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  let report;
  try {
    report = JSON.parse(check.stdout);
  } catch {
    throw new Error(`flux-oci check --online printed no JSON report (exit ${check.status}): ${check.stderr.slice(-1000)}`);
  }
  const codes = report.files.flatMap((f) => f.diagnostics.map((d) => d.code));
  for (const code of ['api-version-unknown', 'api-version-removed', 'oci-ref-git-field', 'helmrelease-chart-source-oci']) {
    if (!codes.includes(code)) throw new Error(`flux-oci check does not report ${code} in the example workspace; it reports: ${codes.join(', ')}`);
  }
  const pending = report.files.flatMap((f) => f.diagnostics).filter((d) => d.code === 'live-image-automation-pending');
  if (!pending.some((d) => /images\/podinfo:6\.7\.1/.test(d.message))) {
    throw new Error(`flux-oci check --online does not say image automation will write images/podinfo:6.7.1: ${pending.map((d) => d.message).join(' | ')}`);
  }
  const podinfo = report.files.flatMap((f) => f.objects).find((o) => o.kind === 'OCIRepository' && o.name === 'podinfo' && o.namespace === 'apps');
  if (podinfo?.resolved?.tag !== '6.7.1' || !/^sha256:[a-f0-9]{64}$/.test(podinfo.resolved.digest ?? '')) {
    throw new Error(`apps/podinfo did not resolve to 6.7.1 with a digest against ${registry.host}: ${JSON.stringify(podinfo?.resolved)}`);
  }
  return podinfo.resolved;
}

async function main() {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      log(`${signal}: stopping code-server and the registry`);
      stopEverything().then(() => process.exit(0));
    });
  }
  process.on('exit', () => killAll('SIGKILL'));

  runStep('installing what is missing (scripts/setup-machine.sh)', 'bash', ['scripts/setup-machine.sh']);
  if (!existsSync(CODE_SERVER)) throw new Error(`code-server is missing at ${CODE_SERVER}; run scripts/install-code-server.sh`);
  scratch = mkdtempSync(join(tmpdir(), 'flux-oci-demo-'));
  const vsix = join(scratch, 'flux-oci-sources.vsix');
  runStep('building the extension', process.execPath, ['scripts/build.mjs']);
  runStep('packaging the .vsix', 'npx', ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });

  log('starting the local registry');
  const registry = await startRegistry();
  const workspace = join(scratch, 'workspace');
  // The seed prints what it pushed (--json) on stdout; its progress goes to stderr.
  const seedOutput = join(scratch, 'seed.json');
  runStep(`seeding ${registry.url} and writing the example workspace`, 'bash', [
    '-c',
    'npx tsx scripts/seed-registry.ts "$1" --json --workspace-from "$2" --workspace-to "$3" > "$4"',
    'seed',
    registry.url,
    join(ROOT, 'examples'),
    workspace,
    seedOutput,
  ]);
  const seeded = JSON.parse(readFileSync(seedOutput, 'utf8'));

  log('starting code-server');
  const codeServer = await startCodeServer(vsix, workspace);

  const tags = JSON.parse(await (await fetch(`${registry.url}/v2/charts/podinfo/tags/list`)).text()).tags ?? [];
  log(`registry ${registry.host} has charts/podinfo tags: ${tags.join(', ')}`);
  log(`workspace: ${workspace}`);
  log(`open ${codeServer.url}`);

  if (SMOKE) {
    const page = await fetch(codeServer.url, { signal: AbortSignal.timeout(10_000) });
    const html = await page.text();
    if (!page.ok || !/workbench/i.test(html)) throw new Error(`the code-server URL answered ${page.status} without a workbench page`);
    if (!tags.includes('6.7.1')) throw new Error('the registry does not list the seeded podinfo tags');
    const resolved = smokeCheck(codeServer, registry, workspace);
    const pushed = seeded.repositories.find((r) => r.repository === 'charts/podinfo')?.digests['6.7.1'];
    if (resolved.digest !== pushed) throw new Error(`apps/podinfo resolved to ${resolved.digest}, but the seed pushed charts/podinfo:6.7.1 as ${pushed}`);
    log(`smoke check passed: the workbench answers, the extension is installed, apps/podinfo resolves to ${resolved.tag} (${resolved.digest.slice(0, 19)}…)`);
    await stopEverything();
    return;
  }
  log('what to try:');
  for (const line of WHAT_TO_TRY) process.stdout.write(`  - ${line}\n`);
  log('examples/README.md has the full list; press Ctrl-C to stop everything');
  await new Promise(() => {});
}

main().catch(async (error) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  await stopEverything();
  process.exit(1);
});
