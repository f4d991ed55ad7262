// Adapts core/oci's RegistryClient (which addresses repositories as RepositoryRef objects) to the pull engine's ArtifactSource.
// Structural typing only: no HTTP here, and the engine never imports the client directly.
import type { RepositoryRef } from '../oci/reference';
import type { ReferrersResult } from '../oci/referrers';
import type { ArtifactSource, BlobFetchOptions, BlobSink, FetchedManifest, FetchOptions } from './artifact-source';

/** The slice of RegistryClient the adapter needs. */
export interface ManifestAndBlobClient {
  getManifest(repo: RepositoryRef, reference: string, options?: { signal?: AbortSignal; insecure?: boolean }): Promise<FetchedManifest>;
  fetchBlob(
    repo: RepositoryRef,
    digest: string,
    options?: { signal?: AbortSignal; maxBytes?: number; onProgress?(bytes: number): void; insecure?: boolean },
  ): Promise<AsyncIterable<Uint8Array> | NodeJS.ReadableStream>;
  /** Pushes a blob into a sink; optional so simpler clients still fit (then fetchBlob is used). */
  downloadBlob?(
    repo: RepositoryRef,
    digest: string,
    sink: BlobSink,
    options?: { signal?: AbortSignal; maxBytes?: number; expectedSize?: number; onProgress?(bytes: number): void; insecure?: boolean },
  ): Promise<void>;
  /** OCI 1.1 referrers; optional so simpler clients still fit (then only the tag fallbacks are tried). */
  listReferrers?(repo: RepositoryRef, digest: string, options?: { signal?: AbortSignal; insecure?: boolean }): Promise<ReferrersResult>;
}

function asAsyncIterable(stream: AsyncIterable<Uint8Array> | NodeJS.ReadableStream): AsyncIterable<Uint8Array> {
  return stream as AsyncIterable<Uint8Array>; // Node readable streams are async iterables of Buffers
}

/** An ArtifactSource bound to one repository of one registry; the `repository` argument is only a label. */
export function registryArtifactSource(client: ManifestAndBlobClient, repo: RepositoryRef): ArtifactSource {
  const insecure = repo.insecure === true ? { insecure: true } : {};
  return {
    async getManifest(_repository: string, reference: string, options: FetchOptions = {}) {
      return client.getManifest(repo, reference, { ...options, ...insecure });
    },
    async fetchBlob(_repository: string, digest: string, options: BlobFetchOptions = {}) {
      return asAsyncIterable(await client.fetchBlob(repo, digest, { ...options, ...insecure }));
    },
    ...(client.downloadBlob
      ? {
          async downloadBlob(_repository: string, digest: string, sink: BlobSink, options: BlobFetchOptions = {}) {
            return client.downloadBlob!(repo, digest, sink, { ...options, ...insecure });
          },
        }
      : {}),
    ...(client.listReferrers
      ? {
          async getReferrers(_repository: string, digest: string, options: FetchOptions = {}) {
            const result = await client.listReferrers!(repo, digest, { ...options, ...insecure });
            return result.supported ? result.referrers : undefined;
          },
        }
      : {}),
  };
}
