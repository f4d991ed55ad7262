// What differs by operating system in docker's credential set-up, as the docker CLI does it: where config.json lives,
// how a `docker-credential-<name>` helper is found (PATHEXT on Windows), and the default store when none is configured.
// Pure: the OS, path rules, environment and file checks come in as parameters, so each platform is testable on any other.
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import * as nodePath from 'node:path';

/** The parts of the running system these rules depend on; tests pass Windows or macOS ones on Linux. */
export interface DockerPlatform {
  os: NodeJS.Platform;
  /** `path.win32` on Windows, `path.posix` elsewhere. */
  path: nodePath.PlatformPath;
  /** The user's home folder when the environment names none. */
  homedir: () => string;
  /** Whether a regular file exists at the path. */
  isFile: (path: string) => boolean;
}

export const currentPlatform: DockerPlatform = {
  os: process.platform,
  path: nodePath,
  homedir,
  isFile: (path) => {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  },
};

/** docker's config folder: $DOCKER_CONFIG, else `.docker` in the home folder (%USERPROFILE% on Windows, $HOME elsewhere). */
export function dockerConfigDir(env: NodeJS.ProcessEnv, platform: DockerPlatform = currentPlatform): string {
  if (env.DOCKER_CONFIG) return env.DOCKER_CONFIG;
  const home = (platform.os === 'win32' ? env.USERPROFILE : env.HOME) || platform.homedir();
  return platform.path.join(home, '.docker');
}

/** Environment variables are case-insensitive on Windows (`Path`, `PATHEXT`); elsewhere they are not. */
function envValue(env: NodeJS.ProcessEnv, name: string, platform: DockerPlatform): string | undefined {
  if (platform.os !== 'win32') return env[name];
  const key = Object.keys(env).find((k) => k.toUpperCase() === name);
  return key === undefined ? undefined : env[key];
}

/**
 * Finds `program` on PATH like Go's exec.LookPath: on Windows each folder is tried with each PATHEXT extension
 * (`.COM;.EXE;.BAT;.CMD` by default), so `docker-credential-wincred` is found as `docker-credential-wincred.exe`.
 * Returns the full path, or undefined when it is not installed.
 */
export function findOnPath(program: string, env: NodeJS.ProcessEnv, platform: DockerPlatform = currentPlatform): string | undefined {
  const folders = (envValue(env, 'PATH', platform) ?? '').split(platform.path.delimiter).filter(Boolean);
  const windows = platform.os === 'win32';
  const extensions = windows ? (envValue(env, 'PATHEXT', platform) || '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean) : [''];
  const hasExtension = windows && extensions.some((ext) => program.toUpperCase().endsWith(ext.toUpperCase()));
  for (const folder of folders) {
    const base = platform.path.join(folder.replace(/^"(.*)"$/, '$1'), program);
    for (const candidate of hasExtension ? [base] : extensions.map((ext) => base + ext.toLowerCase())) {
      if (platform.isFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The command to run for credential helper `name`: the file found on PATH (Windows needs the extension), else the bare name. */
export function credentialHelperCommand(name: string, env: NodeJS.ProcessEnv, platform: DockerPlatform = currentPlatform): string {
  const program = `docker-credential-${name}`;
  return platform.os === 'win32' ? (findOnPath(program, env, platform) ?? program) : program;
}

/**
 * docker's DetectDefaultStore: with no credential settings in config.json at all, the platform's own store is used when
 * its helper is installed — osxkeychain on macOS, wincred on Windows, pass (if `pass` is installed) or secretservice on
 * Linux. Docker Desktop writes `"credsStore": "desktop"` itself, so that one comes from the file.
 */
export function defaultCredentialsStore(env: NodeJS.ProcessEnv, platform: DockerPlatform = currentPlatform): string | undefined {
  const store = platform.os === 'darwin' ? 'osxkeychain' : platform.os === 'win32' ? 'wincred' : findOnPath('pass', env, platform) ? 'pass' : 'secretservice';
  return findOnPath(`docker-credential-${store}`, env, platform) ? store : undefined;
}
