// Runs `docker-credential-<name> get` (server URL on stdin, JSON on stdout) with a timeout, as docker does.
// "credentials not found" is an absence, not an error; other failures are reported without any output that could hold a secret.
import { spawn } from 'node:child_process';
import { credentialHelperCommand, type DockerPlatform } from './docker-platform';
import type { RegistryCredential } from './types';

export interface HelperResult {
  credential?: RegistryCredential;
  /** Set when the helper failed (missing binary, timeout, bad output): a sentence without secrets. */
  problem?: string;
}

export function runCredentialHelper(helper: string, serverUrl: string, options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; platform?: DockerPlatform } = {}): Promise<HelperResult> {
  const program = `docker-credential-${helper}`;
  if (!/^[A-Za-z0-9._-]+$/.test(helper)) return Promise.resolve({ problem: `credential helper name "${helper}" is not valid` });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: HelperResult) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        resolve(result);
      }
    };
    // On Windows the helper is docker-credential-<name>.exe (or .cmd…), found through PATH and PATHEXT as docker finds it.
    const env = options.env ?? process.env;
    const command = credentialHelperCommand(helper, env, options.platform);
    const child = spawn(command, ['get'], { env, stdio: ['pipe', 'pipe', 'pipe'], shell: false });
    const timeoutMs = options.timeoutMs ?? 5000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ problem: `${program} did not answer within ${timeoutMs} ms` });
    }, timeoutMs);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', (e: NodeJS.ErrnoException) => finish({ problem: e.code === 'ENOENT' ? `${program} is not on PATH` : `${program} could not be started` }));
    child.on('close', (code) => {
      if (code !== 0) {
        const notFound = /credentials not found/i.test(stdout + stderr);
        finish(notFound ? {} : { problem: `${program} exited with code ${code}` });
        return;
      }
      try {
        const parsed = JSON.parse(stdout) as { Username?: unknown; Secret?: unknown };
        const username = typeof parsed.Username === 'string' ? parsed.Username : '';
        const secret = typeof parsed.Secret === 'string' ? parsed.Secret : '';
        if (!secret) return finish({});
        finish({ credential: username === '<token>' ? { identityToken: secret } : { username, password: secret } });
      } catch {
        finish({ problem: `${program} printed something that is not JSON` });
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(serverUrl);
  });
}
