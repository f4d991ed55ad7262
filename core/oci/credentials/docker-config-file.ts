// The user's own docker config: $DOCKER_CONFIG/config.json or ~/.docker/config.json — `auths`, `credHelpers`, `credsStore`.
// Reads the file on each lookup (it changes on `docker login`); runs helpers with a timeout; reports problems via `log` without values.
import { readFile } from 'node:fs/promises';
import { decodeAuthEntry } from './auth-entry';
import { runCredentialHelper } from './credential-helper';
import { currentPlatform, defaultCredentialsStore, dockerConfigDir, type DockerPlatform } from './docker-platform';
import { dockerConfigKeyFor, findDockerConfigKey, keyToHostname } from './host-matching';
import type { CredentialProvider, DockerConfigJson, FoundCredential } from './types';

export interface DockerConfigFileOptions {
  /** Explicit path to config.json; default from env DOCKER_CONFIG, else ~/.docker/config.json. */
  path?: string;
  env?: NodeJS.ProcessEnv;
  helperTimeoutMs?: number;
  log?: (line: string) => void;
  /** The operating system's rules (config folder, helper lookup, default store); the running one by default. */
  platform?: DockerPlatform;
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env, platform: DockerPlatform = currentPlatform): string {
  return platform.path.join(dockerConfigDir(env, platform), 'config.json');
}

export function dockerConfigCredentials(options: DockerConfigFileOptions = {}): CredentialProvider {
  const env = options.env ?? process.env;
  const platform = options.platform ?? currentPlatform;
  const path = options.path ?? dockerConfigPath(env, platform);
  const name = `docker config ${path}`;
  return {
    name,
    async lookup(registry: string): Promise<FoundCredential | undefined> {
      let config: DockerConfigJson;
      try {
        config = JSON.parse(await readFile(path, 'utf8')) as DockerConfigJson;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') options.log?.(`${name} could not be read as JSON`);
        return undefined;
      }
      const hostKey = dockerConfigKeyFor(registry);
      const helpers = config.credHelpers ?? {};
      const helperKey = findDockerConfigKey(Object.keys(helpers), registry);
      const containsAuth = Boolean(config.credsStore) || Object.keys(helpers).length > 0 || Object.keys(config.auths ?? {}).length > 0;
      const helper = helperKey !== undefined ? helpers[helperKey] : config.credsStore || (containsAuth ? undefined : defaultCredentialsStore(env, platform));
      if (helper) {
        const serverUrl = helperKey ?? hostKey;
        const result = await runCredentialHelper(helper, serverUrl, { timeoutMs: options.helperTimeoutMs, env, platform });
        if (result.problem) options.log?.(`${name}: ${result.problem}`);
        if (result.credential) return { ...result.credential, source: `${name} (helper ${helper})` };
        if (helperKey !== undefined) return undefined; // a per-host helper is authoritative for its host
      }
      const auths = config.auths ?? {};
      const key = findDockerConfigKey(Object.keys(auths), registry);
      const credential = key === undefined ? undefined : decodeAuthEntry(auths[key]);
      return credential ? { ...credential, source: `${name} (auths ${keyToHostname(key ?? '')})` } : undefined;
    },
  };
}
