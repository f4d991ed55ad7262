// Reads the registry credentials of a kubernetes.io/dockerconfigjson Secret document (data base64 or
// stringData JSON). Returns values or a problem description; never puts a secret value in a message.
import type { YAMLMap } from 'yaml';
import { getMap, getNode, isPlaceholderValue, scalarString } from './yaml-ast';

export interface DockerAuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

export interface DockerConfigJson {
  auths: Record<string, DockerAuthEntry>;
}

export const DOCKER_CONFIG_KEY = '.dockerconfigjson';
export const DOCKER_CONFIG_SECRET_TYPE = 'kubernetes.io/dockerconfigjson';

export type DockerConfigRead =
  | { ok: true; config: DockerConfigJson }
  | { ok: false; problem: string }
  /** Not checkable offline: SOPS-encrypted, `${VAR}` substituted, or absent. */
  | { ok: 'unknown' };

function parseConfigJson(json: string, where: string): DockerConfigRead {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { ok: false, problem: `${where} is not valid JSON.` };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, problem: `${where} must be a JSON object with an "auths" object.` };
  const auths = (parsed as Record<string, unknown>).auths;
  if (!auths || typeof auths !== 'object' || Array.isArray(auths)) return { ok: false, problem: `${where} has no "auths" object, so Flux finds no registry credentials in it.` };
  const entries: Record<string, DockerAuthEntry> = {};
  for (const [host, raw] of Object.entries(auths as Record<string, unknown>)) {
    if (!raw || typeof raw !== 'object') return { ok: false, problem: `${where}: the "auths" entry for ${host} must be an object.` };
    const r = raw as Record<string, unknown>;
    const entry: DockerAuthEntry = {};
    for (const k of ['auth', 'username', 'password', 'identitytoken'] as const) {
      if (typeof r[k] === 'string') entry[k] = r[k] as string;
    }
    entries[host] = entry;
  }
  return { ok: true, config: { auths: entries } };
}

/** Decodes strict base64 (whitespace allowed); undefined when the text is not base64. */
export function decodeBase64(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}

/** Reads `.dockerconfigjson` from a Secret document's root mapping. */
export function readDockerConfig(root: YAMLMap): DockerConfigRead {
  if (getNode(root, 'sops')) return { ok: 'unknown' };
  const fromString = scalarString(getNode(getMap(root, 'stringData'), DOCKER_CONFIG_KEY));
  if (fromString !== undefined) {
    if (isPlaceholderValue(fromString)) return { ok: 'unknown' };
    return parseConfigJson(fromString, `stringData["${DOCKER_CONFIG_KEY}"]`);
  }
  const encoded = scalarString(getNode(getMap(root, 'data'), DOCKER_CONFIG_KEY));
  if (encoded === undefined) return { ok: 'unknown' };
  if (isPlaceholderValue(encoded)) return { ok: 'unknown' };
  const decoded = decodeBase64(encoded);
  if (decoded === undefined) return { ok: false, problem: `data["${DOCKER_CONFIG_KEY}"] is not valid base64.` };
  return parseConfigJson(decoded, `data["${DOCKER_CONFIG_KEY}"] (decoded)`);
}
