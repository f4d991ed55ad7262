// How config keys match a registry: Docker's rules (for the user's own config.json) and Flux's keyring rules (for pull Secrets).
// Pure string matching; Docker Hub's API host is matched as `index.docker.io` in both.
import { DOCKER_HUB_API_HOST } from '../reference';

const DOCKER_HUB_CONFIG_KEY = 'https://index.docker.io/v1/';

/** docker/cli's ConvertToHostname: drop the scheme and any path. */
export function keyToHostname(key: string): string {
  let rest = key.trim();
  rest = rest.replace(/^[a-z]+:\/\//i, '');
  const slash = rest.indexOf('/');
  return (slash >= 0 ? rest.slice(0, slash) : rest).toLowerCase();
}

/** The key docker uses for a registry host (Docker Hub has its legacy URL). */
export function dockerConfigKeyFor(registry: string): string {
  return registry === DOCKER_HUB_API_HOST ? DOCKER_HUB_CONFIG_KEY : registry;
}

/** Docker's lookup: exact key first, then any key whose hostname equals the registry's. Returns the matching key. */
export function findDockerConfigKey(keys: string[], registry: string): string | undefined {
  const wanted = dockerConfigKeyFor(registry);
  if (keys.includes(wanted)) return wanted;
  const host = keyToHostname(wanted);
  const hubAliases = registry === DOCKER_HUB_API_HOST ? ['index.docker.io', 'docker.io', DOCKER_HUB_API_HOST] : [host];
  return keys.find((k) => hubAliases.includes(keyToHostname(k)));
}

interface ParsedKeyringKey {
  hostname: string;
  port: string;
  path: string;
}

function parseKeyringKey(key: string): ParsedKeyringKey | undefined {
  let value = key.trim();
  if (!/^[a-z]+:\/\//i.test(value)) value = `https://${value}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  let path = url.pathname.replace(/\/+$/, '');
  path = path.replace(/\/v[12]$/, '');
  return { hostname: url.hostname.toLowerCase(), port: url.port, path };
}

function globLabel(pattern: string, label: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^.]*')}$`,
  );
  return re.test(label);
}

/** Flux (Kubernetes keyring) matching: same port, same number of host labels each glob-matching, key path a prefix of /<repo>. */
export function keyringKeyMatches(key: string, registry: string, repository: string): boolean {
  const parsed = parseKeyringKey(key);
  if (!parsed) return false;
  const image = parseKeyringKey(registry === DOCKER_HUB_API_HOST ? 'index.docker.io' : registry);
  if (!image) return false;
  if (parsed.port !== image.port) return false;
  const keyLabels = parsed.hostname.split('.');
  const hostLabels = image.hostname.split('.');
  if (keyLabels.length !== hostLabels.length) return false;
  if (!keyLabels.every((l, i) => globLabel(l, hostLabels[i]))) return false;
  const repoPath = `/${repository}`;
  return parsed.path === '' || repoPath === parsed.path || repoPath.startsWith(`${parsed.path}/`);
}

/** Flux's choice among Secret keys: reverse-sorted, first match wins. */
export function findKeyringKey(keys: string[], registry: string, repository: string): string | undefined {
  return [...keys]
    .sort()
    .reverse()
    .find((k) => keyringKeyMatches(k, registry, repository));
}
