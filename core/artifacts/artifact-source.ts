// The narrow view of a registry the pull engine needs; core/oci's RegistryClient satisfies it via an adapter.
// Declares shapes only, so the engine is testable with an in-memory source and never imports HTTP code.
import type { Descriptor } from './manifest-model';

export interface FetchedManifest {
  digest: string;
  mediaType: string;
  bytes: Uint8Array;
  json: unknown;
}

export interface FetchOptions {
  signal?: AbortSignal;
}

export interface BlobFetchOptions extends FetchOptions {
  /** Refuse (without reading further) once more than this many bytes arrive. */
  maxBytes?: number;
  onProgress?: (bytesSoFar: number) => void;
}

export interface ArtifactSource {
  /** A manifest or index by tag or digest. Throws (any error) when it does not exist or cannot be read. */
  getManifest(repository: string, reference: string, options?: FetchOptions): Promise<FetchedManifest>;
  /** The raw bytes of a blob, as a stream. The engine verifies the digest itself. */
  fetchBlob(repository: string, digest: string, options?: BlobFetchOptions): Promise<AsyncIterable<Uint8Array>>;
  /**
   * OCI 1.1 referrers API: the manifests whose subject is `digest`, or `undefined` when the registry has no referrers API
   * (then the `sha256-<hex>` tag is tried). Leave the method out when the source cannot ask.
   */
  getReferrers?(repository: string, digest: string, options?: FetchOptions): Promise<Descriptor[] | undefined>;
}
