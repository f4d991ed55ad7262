// Pulls by a user-typed reference (`oci://host/repo:tag`, `host/repo@sha256:…`) through a registry client.
// Parses and wires only; the pull itself is pull-artifact.ts. Also knows the default cache location.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseOciReference } from '../oci/reference';
import type { ArtifactResult } from './artifact-error';
import { pullArtifact, type PulledArtifact, type PullRequest } from './pull-artifact';
import { registryArtifactSource, type ManifestAndBlobClient } from './registry-source';

export interface PullReferenceOptions extends Omit<PullRequest, 'source' | 'repository' | 'reference' | 'displayReference'> {
  client: ManifestAndBlobClient;
  /** Allow plain HTTP to this registry (OCIRepository `insecure: true`). */
  insecure?: boolean;
}

/** `$XDG_CACHE_HOME/flux-oci`, else `~/.cache/flux-oci`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const xdg = env.XDG_CACHE_HOME;
  return xdg && xdg.startsWith('/') ? join(xdg, 'flux-oci') : join(home, '.cache', 'flux-oci');
}

export async function pullReference(reference: string, options: PullReferenceOptions): Promise<ArtifactResult<PulledArtifact>> {
  let parsed;
  try {
    parsed = parseOciReference(reference);
  } catch (error) {
    return { ok: false, problem: { code: 'registry', message: error instanceof Error ? error.message : String(error) } };
  }
  const { client, insecure, ...rest } = options;
  const repo = { registry: parsed.registry, repository: parsed.repository, ...(insecure ? { insecure: true } : {}) };
  const ref = parsed.digest ?? parsed.tag ?? 'latest';
  const display = `oci://${parsed.registry}/${parsed.repository}${parsed.digest ? `@${parsed.digest}` : `:${parsed.tag ?? 'latest'}`}`;
  return pullArtifact({ ...rest, source: registryArtifactSource(client, repo), repository: parsed.repository, reference: ref, displayReference: display });
}
