// Runs a real VS Code (code-server 4.100.3, installed by scripts/install-code-server.sh) with one .vsix installed,
// in fresh user-data and extensions dirs on a free loopback port. Never leaves a process behind, also on failure.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CodeServerOptions {
  vsixPath: string;
  workspaceDir: string;
  /** Extra User settings, merged over the harness defaults. */
  settings?: Record<string, unknown>;
  /** Milliseconds to wait for the server to answer; default 60 s. */
  startTimeoutMs?: number;
}

export interface RunningCodeServer {
  /** http://127.0.0.1:PORT/?folder=<workspaceDir> */
  url: string;
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  userDataDir: string;
  extensionsDir: string;
  /** Everything code-server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Where scripts/install-code-server.sh puts the binary. */
export function codeServerBinary(): string {
  const cache = process.env.FLUX_OCI_CACHE ?? join(homedir(), '.cache', 'flux-oci-sources');
  return join(cache, 'code-server', 'node_modules', '.bin', 'code-server');
}

/** Undefined when code-server is installed and runs; else one sentence saying why not. */
export function codeServerUnavailableReason(): string | undefined {
  const bin = codeServerBinary();
  if (!existsSync(bin)) return `code-server is not installed at ${bin} (run scripts/install-code-server.sh)`;
  const probe = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.status !== 0) return `${bin} --version failed: ${(probe.stderr || probe.stdout || '').trim().slice(0, 200)}`;
  return undefined;
}

export const HARNESS_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.hover.delay': 300,
  'files.autoSave': 'off',
  'window.restoreWindows': 'none',
  'chat.commandCenter.enabled': false,
  // Compare opens beside a preview; keep its diff side by side so both versions are on screen.
  'diffEditor.useInlineViewWhenSpaceIsLimited': false,
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

async function waitUntilAnswering(baseUrl: string, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} before answering:\n${output().slice(-2000)}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer on ${baseUrl} within ${timeoutMs} ms:\n${output().slice(-2000)}`);
}

/** Installs the vsix into a fresh extensions dir (code-server's own CLI) and starts code-server on the workspace. */
export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const reason = codeServerUnavailableReason();
  if (reason) throw new Error(reason);
  const bin = codeServerBinary();
  const root = mkdtempSync(join(tmpdir(), 'flux-oci-code-server-'));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...HARNESS_SETTINGS, ...(options.settings ?? {}) }, null, 2));

  const install = spawnSync(bin, ['--install-extension', options.vsixPath, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--force'], { encoding: 'utf8', timeout: 120_000 });
  if (install.status !== 0) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`installing ${options.vsixPath} into code-server failed: ${(install.stderr || install.stdout).trim().slice(-1000)}`);
  }

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(
    bin,
    [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      options.workspaceDir,
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VSCODE_PROXY_URI: '' } },
  );
  let log = '';
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-200_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const onExit = () => killGroup(child);
  process.once('exit', onExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => killGroup(child), 3000);
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 8000))]);
      clearTimeout(timer);
      killGroup(child);
    }
    rmSync(root, { recursive: true, force: true });
  };

  try {
    await waitUntilAnswering(baseUrl, child, options.startTimeoutMs ?? 60_000, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `${baseUrl}/?folder=${encodeURIComponent(options.workspaceDir)}`,
    baseUrl,
    userDataDir,
    extensionsDir,
    output: () => log,
    stop,
  };
}
