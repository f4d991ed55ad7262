// Fetches manifests (GET and HEAD with the full OCI + Docker Accept list), caps their size and verifies their digest.
// Never falls back to a different representation; a digest mismatch is an error, never retried into success.
import { computeDigest, parseDigest } from './digest';
import { RegistryError, registryErrorCodes } from './errors';
import { isDigestReference } from './reference';
import type { RegistrySession, RequestTarget } from './registry-session';
import { statusError } from './status-errors';
import { header, type HeaderValue } from './transport';

export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
] as const;
export const MANIFEST_ACCEPT = MANIFEST_MEDIA_TYPES.join(', ');
export const MAX_MANIFEST_BYTES = 4 << 20;

export interface FetchedManifest {
  digest: string;
  mediaType: string;
  size: number;
  bytes: Buffer;
  json: unknown;
}

export interface ManifestHead {
  digest: string;
  mediaType: string;
  size: number;
}

const contentType = (headers: Record<string, HeaderValue>) => header(headers, 'content-type')?.split(';')[0].trim();

function manifestNotFound(target: RequestTarget, reference: string, body: Buffer): RegistryError {
  const codes = registryErrorCodes(body.toString('utf8'));
  const where = `${target.registry}/${target.repository}`;
  if (codes.includes('NAME_UNKNOWN')) return new RegistryError('not-found', `Repository ${where} was not found.`, { status: 404, registryCodes: codes });
  if (isDigestReference(reference)) return new RegistryError('not-found', `Manifest ${reference} was not found in ${where}.`, { status: 404, registryCodes: codes });
  return new RegistryError('tag-not-found', `Tag "${reference}" was not found in ${where}.`, { status: 404, registryCodes: codes });
}

export async function fetchManifest(session: RegistrySession, target: RequestTarget, reference: string): Promise<FetchedManifest> {
  const res = await session
    .fetchBuffered(target, { url: session.repositoryUrl(target, `manifests/${reference}`), headers: { accept: MANIFEST_ACCEPT } }, MAX_MANIFEST_BYTES)
    .catch((error: unknown) => {
      if (error instanceof RegistryError && error.code === 'too-large') {
        throw new RegistryError('too-large', `The manifest ${reference} of ${target.registry}/${target.repository} is larger than 4 MiB; refusing it.`);
      }
      throw error;
    });
  if (res.status === 404) throw manifestNotFound(target, reference, res.body);
  if (res.status !== 200) throw statusError(res.status, res.headers, res.body, `manifest ${reference} of ${target.registry}/${target.repository}`);
  const where = `${target.registry}/${target.repository}@${reference}`;
  const claimed = header(res.headers, 'docker-content-digest');
  const expected = isDigestReference(reference) ? reference : claimed;
  const parsedExpected = expected ? parseDigest(expected) : undefined;
  if (isDigestReference(reference) && !parsedExpected) throw new RegistryError('invalid-reference', `"${reference}" is not a sha256 or sha512 digest.`);
  const digest = computeDigest(res.body, parsedExpected?.algorithm ?? 'sha256');
  if (parsedExpected && expected !== digest) {
    throw new RegistryError('digest-mismatch', `The manifest for ${where} does not match its digest (expected ${expected}, got ${digest}); it was rejected.`);
  }
  if (claimed && isDigestReference(reference) && parseDigest(claimed) && claimed !== digest) {
    throw new RegistryError('digest-mismatch', `The registry labelled the manifest for ${where} with another digest (${claimed}); it was rejected.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(res.body.toString('utf8'));
  } catch {
    throw new RegistryError('protocol', `The manifest for ${where} is not JSON.`);
  }
  const declared = (json as { mediaType?: unknown }).mediaType;
  const mediaType = contentType(res.headers) ?? (typeof declared === 'string' ? declared : MANIFEST_MEDIA_TYPES[1]);
  return { digest: computeDigest(res.body), mediaType, size: res.body.length, bytes: res.body, json };
}

/** HEAD: digest and media type without the body (does not count as a pull on Docker Hub). */
export async function headManifest(session: RegistrySession, target: RequestTarget, reference: string): Promise<ManifestHead> {
  const res = await session.fetchBuffered(target, { url: session.repositoryUrl(target, `manifests/${reference}`), method: 'HEAD', headers: { accept: MANIFEST_ACCEPT } }, 0);
  if (res.status === 404) throw manifestNotFound(target, reference, res.body);
  if (res.status !== 200) throw statusError(res.status, res.headers, res.body, `manifest ${reference} of ${target.registry}/${target.repository}`);
  const digest = header(res.headers, 'docker-content-digest');
  if (!digest || !parseDigest(digest)) throw new RegistryError('protocol', `${target.registry} did not say the digest of ${target.repository}:${reference} (no Docker-Content-Digest).`);
  if (isDigestReference(reference) && digest !== reference) {
    throw new RegistryError('digest-mismatch', `${target.registry} answered HEAD ${reference} with another digest (${digest}).`);
  }
  return { digest, mediaType: contentType(res.headers) ?? MANIFEST_MEDIA_TYPES[1], size: Number(header(res.headers, 'content-length') ?? 0) };
}
