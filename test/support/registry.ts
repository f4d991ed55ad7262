// Starts a real CNCF distribution 2.8 registry (/usr/bin/docker-registry) on a free loopback port for tests and benchmarks.
// Each registry gets its own temp dir and config; processes and dirs are removed on stop() and on process exit, even after failures.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { fetch } from 'undici';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, accessSync, constants } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startTokenServer, type TokenServer, type TokenServerOptions } from './token-server';

export type RegistryAuth = 'none' | { htpasswd: { user: string; pass: string } } | { token: TokenServerOptions };

export interface StartRegistryOptions {
  auth?: RegistryAuth;
}

export interface PushCredentials {
  user: string;
  pass: string;
}

export interface Registry {
  /** http://127.0.0.1:PORT */
  url: string;
  /** 127.0.0.1:PORT */
  host: string;
  /** The temp dir holding config, data (`<dataDir>/data` is the storage root) and keys. */
  dataDir: string;
  /** Credentials that may push (htpasswd user, or the token server's push account). */
  pushAuth?: PushCredentials;
  tokenServer?: TokenServer;
  stop(): Promise<void>;
}

const live = new Set<{ child: ChildProcess; dir: string }>();
let exitHookInstalled = false;

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const cleanup = () => {
    for (const entry of live) {
      try {
        entry.child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
      rmSync(entry.dir, { recursive: true, force: true });
    }
    live.clear();
  };
  process.on('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanup();
      process.exit(130);
    });
  }
}

/** A free TCP port on 127.0.0.1 (small race between closing and the registry binding it; startRegistry retries). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

async function waitForRegistry(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${output().slice(-500)}`);
    try {
      const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200 || res.status === 401) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`docker-registry did not answer on ${url}/v2/ within 15 s: ${output().slice(-500)}`);
}

function htpasswdLine(user: string, pass: string): string {
  return execFileSync('htpasswd', ['-Bbn', user, pass], { encoding: 'utf8' }).trim();
}

/** Registry storage goes to tmpfs when there is one: on these VMs the disk makes 10,000 tag links take ~40 s instead of ~2 s. */
function scratchRoot(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

async function startOnce(options: StartRegistryOptions): Promise<Registry> {
  installExitHook();
  const dir = mkdtempSync(join(scratchRoot(), 'flux-oci-registry-'));
  mkdirSync(join(dir, 'data'));
  const port = await freePort();
  const auth = options.auth ?? 'none';
  let authYaml = '';
  let pushAuth: PushCredentials | undefined;
  let tokenServer: TokenServer | undefined;
  if (auth !== 'none' && 'htpasswd' in auth) {
    const file = join(dir, 'htpasswd');
    writeFileSync(file, htpasswdLine(auth.htpasswd.user, auth.htpasswd.pass) + '\n');
    authYaml = `auth:\n  htpasswd:\n    realm: test-realm\n    path: ${file}\n`;
    pushAuth = { ...auth.htpasswd };
  } else if (auth !== 'none' && 'token' in auth) {
    pushAuth = { user: 'pusher', pass: randomBytes(12).toString('hex') };
    const users = { ...(auth.token.users ?? {}), [pushAuth.user]: pushAuth.pass };
    tokenServer = await startTokenServer(dir, { ...auth.token, users, superUsers: [pushAuth.user] });
    authYaml = `auth:\n  token:\n    realm: ${tokenServer.realm}\n    service: ${tokenServer.service}\n` + `    issuer: ${tokenServer.issuer}\n    rootcertbundle: ${tokenServer.certPath}\n`;
  }
  const config =
    `version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n` +
    `  delete:\n    enabled: true\n  maintenance:\n    uploadpurging:\n      enabled: false\nhttp:\n  addr: 127.0.0.1:${port}\n` +
    authYaml;
  const configPath = join(dir, 'config.yml');
  writeFileSync(configPath, config);
  const child = spawn('/usr/bin/docker-registry', ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const entry = { child, dir };
  live.add(entry);
  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    await tokenServer?.stop();
    live.delete(entry);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForRegistry(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, host: `127.0.0.1:${port}`, dataDir: dir, pushAuth, tokenServer, stop };
}

/** Starts a registry; retries a couple of times in case the chosen port was taken in between. */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<Registry> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
