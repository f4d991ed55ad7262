// Parses `oci://host[:port]/path[:tag|@digest]` into registry and repository, with Docker Hub aliases.
// Pure string work: no network, no credentials.
import { RegistryError } from './errors';
import { USERINFO_MESSAGE, authorityHasUserinfo } from '../manifests/value-formats';

export interface RepositoryRef {
  /** host[:port] of the registry API, e.g. `ghcr.io`, `registry-1.docker.io`, `127.0.0.1:5000`. */
  registry: string;
  /** e.g. `stefanprodan/charts/podinfo`, `library/nginx`. */
  repository: string;
  /** From the OCIRepository's `insecure: true`: plain HTTP allowed. */
  insecure?: boolean;
}

export type ParsedOciUrl = RepositoryRef;

export interface ParsedOciReference extends ParsedOciUrl {
  tag?: string;
  digest?: string;
}

const NAME_COMPONENT = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
const NAME_RE = new RegExp(`^${NAME_COMPONENT}(?:/${NAME_COMPONENT})*$`);
export const TAG_RE = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const DIGEST_RE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';

/** The hostname of `host[:port]` (brackets kept off IPv6 literals). */
export function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon > 0 && host.indexOf(':') === colon ? host.slice(0, colon) : host;
}

export function isValidRepositoryName(name: string): boolean {
  return NAME_RE.test(name) && name.length <= 255;
}

export function isValidTag(tag: string): boolean {
  return TAG_RE.test(tag);
}

export function isDigestReference(reference: string): boolean {
  return DIGEST_RE.test(reference);
}

function normalize(registryIn: string, repositoryIn: string, where: string): ParsedOciUrl {
  let registry = registryIn.toLowerCase();
  let repository = repositoryIn;
  if (DOCKER_HUB_ALIASES.has(registry)) {
    registry = DOCKER_HUB_API_HOST;
    if (!repository.includes('/')) repository = `library/${repository}`;
  }
  if (!registry || /[\s/?#@]/.test(registry)) throw new RegistryError('invalid-reference', `"${where}" has no valid registry host.`);
  if (!isValidRepositoryName(repository)) {
    throw new RegistryError('invalid-reference', `"${repository}" in "${where}" is not a valid repository name (lowercase letters, digits and . _ - / separators).`);
  }
  return { registry, repository };
}

/** `oci://host[:port]/path` → registry, repository. Rejects tags, digests, queries and other schemes. */
export function parseOciUrl(url: string): ParsedOciUrl {
  const trimmed = url.trim();
  if (!trimmed.startsWith('oci://')) throw new RegistryError('invalid-reference', `"${trimmed}" must start with oci://.`);
  const rest = trimmed.slice('oci://'.length).replace(/\/+$/, '');
  if (authorityHasUserinfo(rest)) throw new RegistryError('invalid-reference', USERINFO_MESSAGE);
  const slash = rest.indexOf('/');
  if (slash <= 0) throw new RegistryError('invalid-reference', `"${trimmed}" needs a repository path after the host.`);
  const path = rest.slice(slash + 1);
  if (/[?#@]/.test(path) || /:/.test(path)) {
    throw new RegistryError('invalid-reference', `"${trimmed}" must not contain a tag, digest or query: put them under spec.ref.`);
  }
  return normalize(rest.slice(0, slash), path, trimmed);
}

/** `oci://host/repo:tag` or `oci://host/repo@sha256:…` (the `oci://` prefix is optional here). */
export function parseOciReference(reference: string): ParsedOciReference {
  const trimmed = reference.trim();
  const rest = trimmed.replace(/^oci:\/\//, '');
  if (authorityHasUserinfo(rest)) throw new RegistryError('invalid-reference', USERINFO_MESSAGE);
  const slash = rest.indexOf('/');
  if (slash <= 0) throw new RegistryError('invalid-reference', `"${trimmed}" needs a registry host and a repository.`);
  let path = rest.slice(slash + 1);
  let digest: string | undefined;
  let tag: string | undefined;
  const at = path.indexOf('@');
  if (at >= 0) {
    digest = path.slice(at + 1);
    path = path.slice(0, at);
    if (!isDigestReference(digest)) throw new RegistryError('invalid-reference', `"${digest}" in "${trimmed}" is not a valid digest.`);
  }
  const colon = path.lastIndexOf(':');
  if (colon > path.lastIndexOf('/')) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!isValidTag(tag)) throw new RegistryError('invalid-reference', `"${tag}" in "${trimmed}" is not a valid tag.`);
  }
  return { ...normalize(rest.slice(0, slash), path, trimmed), tag, digest };
}
