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
  /** The descriptor's size, when known (a source may choose how to download by it). */
  expectedSize?: number;
}

/** Where `downloadBlob` pushes bytes: each chunk is valid only during `write`; a promise from `settle` means "wait". */
export interface BlobSink {
  write(chunk: Uint8Array): void;
  settle(): Promise<void> | undefined;
}

export interface ArtifactSource {
  /** A manifest or index by tag or digest. Throws (any error) when it does not exist or cannot be read. */
  getManifest(repository: string, reference: string, options?: FetchOptions): Promise<FetchedManifest>;
  /** The raw bytes of a blob, as a stream. The engine verifies the digest itself. */
  fetchBlob(repository: string, digest: string, options?: BlobFetchOptions): Promise<AsyncIterable<Uint8Array>>;
  /**
   * The same bytes pushed into a sink, resolving when all have arrived (preferred for layers: a source can then read
   * through one reused buffer). The engine still verifies the digest itself. Optional: without it, fetchBlob is used.
   */
  downloadBlob?(repository: string, digest: string, sink: BlobSink, options?: BlobFetchOptions): Promise<void>;
  /**
   * OCI 1.1 referrers API: the manifests whose subject is `digest`, or `undefined` when the registry has no referrers API
   * (then the `sha256-<hex>` tag is tried). Leave the method out when the source cannot ask.
   */
  getReferrers?(repository: string, digest: string, options?: FetchOptions): Promise<Descriptor[] | undefined>;
}
