// `npm run demo`: installs what is missing, builds the extension and its .vsix, starts a seeded local registry and
// code-server with the extension on a copy of examples/, prints the URL; Ctrl-C stops everything. `--smoke` checks and exits.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  writeFileSync(
    config,
    `version: 0.1\nlog: { level: warn }\nstorage:\n  filesystem: { rootdirectory: ${join(dir, 'data')} }\n` +
      `  delete: { enabled: true }\nhttp: { addr: "127.0.0.1:${port}" }\n`,
  );
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
      },
      null,
      2,
    ),
  );
  runStep('installing the extension into code-server', CODE_SERVER, [
    '--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--force',
  ], { stdio: ['ignore', 'ignore', 'inherit'] });
  const port = await freePort();
  const entry = startDetached(
    CODE_SERVER,
    [
      '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, workspace,
    ],
    'code-server',
  );
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/healthz`, (status) => status === 200, entry);
  return { base, url: `${base}/?folder=${encodeURIComponent(workspace)}` };
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
  runStep('packaging the .vsix', 'npx', ['vsce', 'package', '--no-dependencies', '--out', vsix], { stdio: ['ignore', 'ignore', 'inherit'] });

  log('starting the local registry');
  const registry = await startRegistry();
  const workspace = join(scratch, 'workspace');
  runStep(`seeding ${registry.url} and writing the example workspace`, 'npx', [
    'tsx', 'scripts/seed-registry.ts', registry.url, '--workspace-from', join(ROOT, 'examples'), '--workspace-to', workspace,
  ]);

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
    log('smoke check passed: the workbench URL answers and the registry lists the seeded tags');
    await stopEverything();
    return;
  }
  log('press Ctrl-C to stop everything');
  await new Promise(() => {});
}

main().catch(async (error) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  await stopEverything();
  process.exit(1);
});
