// Runs `docker-credential-<name> get` (server URL on stdin, JSON on stdout) with a timeout, as docker does.
// "credentials not found" is an absence, not an error; other failures are reported without any output that could hold a secret.
import { credentialHelperCommand, type DockerPlatform } from './docker-platform';
import { runProgram } from './run-program';
import type { RegistryCredential } from './types';

export interface HelperResult {
  credential?: RegistryCredential;
  /** Set when the helper failed (missing binary, timeout, bad output): a sentence without secrets. */
  problem?: string;
}

export async function runCredentialHelper(helper: string, serverUrl: string, options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; platform?: DockerPlatform } = {}): Promise<HelperResult> {
  const program = `docker-credential-${helper}`;
  if (!/^[A-Za-z0-9._-]+$/.test(helper)) return { problem: `credential helper name "${helper}" is not valid` };
  // On Windows the helper is docker-credential-<name>.exe (or .cmd…), found through PATH and PATHEXT as docker finds it.
  const command = credentialHelperCommand(helper, options.env ?? process.env, options.platform);
  const outcome = await runProgram(command, ['get'], { stdin: serverUrl, timeoutMs: options.timeoutMs, env: options.env });
  if (outcome.problem) return { problem: outcome.problem };
  if (outcome.code !== 0) {
    const notFound = /credentials not found/i.test(outcome.stdout + outcome.stderr);
    return notFound ? {} : { problem: `${program} exited with code ${outcome.code}` };
  }
  try {
    const parsed = JSON.parse(outcome.stdout) as { Username?: unknown; Secret?: unknown };
    const username = typeof parsed.Username === 'string' ? parsed.Username : '';
    const secret = typeof parsed.Secret === 'string' ? parsed.Secret : '';
    if (!secret) return {};
    return { credential: username === '<token>' ? { identityToken: secret } : { username, password: secret } };
  } catch {
    return { problem: `${program} printed something that is not JSON` };
  }
}
