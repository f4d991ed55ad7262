// Test helper: an in-memory ArtifactSource holding manifests (by tag and digest) and blobs, with fault switches.
// Lets the pull engine be tested without a registry; the registry-backed tests use the real thing.
import { createHash } from 'node:crypto';
import type { ArtifactSource, BlobFetchOptions, FetchedManifest } from '../../../core/artifacts/artifact-source';
import type { Descriptor } from '../../../core/artifacts/manifest-model';

export const digestOf = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

export class MemorySource implements ArtifactSource {
  readonly blobs = new Map<string, Buffer>();
  readonly manifests = new Map<string, { bytes: Buffer; mediaType: string }>();
  readonly blobFetches: string[] = [];
  /** Bytes served instead of the real blob, keyed by digest (to simulate tampering). */
  readonly tampered = new Map<string, Buffer>();
  /** Size of the pieces a blob is served in. */
  pieceBytes = 1000;
  /**
   * Runs before each piece of a blob is served (to slow a download down, watch it or hold it back); `fetch` counts the
   * earlier fetches of the same blob.
   */
  beforePiece?: (piece: { digest: string; offset: number; length: number; fetch: number }) => Promise<void> | void;

  blob(data: Buffer | string, mediaType: string, annotations?: Record<string, string>): Descriptor {
    const bytes = Buffer.from(data);
    const digest = digestOf(bytes);
    this.blobs.set(digest, bytes);
    return { mediaType, digest, size: bytes.length, ...(annotations ? { annotations } : {}) };
  }

  manifest(json: object, tag?: string, mediaType = 'application/vnd.oci.image.manifest.v1+json'): Descriptor {
    const bytes = Buffer.from(JSON.stringify(json));
    const digest = digestOf(bytes);
    this.manifests.set(digest, { bytes, mediaType });
    if (tag) this.manifests.set(tag, { bytes, mediaType });
    return { mediaType, digest, size: bytes.length };
  }

  async getManifest(_repository: string, reference: string): Promise<FetchedManifest> {
    const found = this.manifests.get(reference);
    if (!found) throw new Error(`manifest ${reference} not found`);
    return { digest: digestOf(found.bytes), mediaType: found.mediaType, bytes: found.bytes, json: JSON.parse(found.bytes.toString('utf8')) as unknown };
  }

  async fetchBlob(_repository: string, digest: string, options: BlobFetchOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    const fetch = this.blobFetches.filter((d) => d === digest).length;
    this.blobFetches.push(digest);
    const data = this.tampered.get(digest) ?? this.blobs.get(digest);
    if (!data) throw new Error(`blob ${digest} not found`);
    const { pieceBytes, beforePiece } = this;
    return (async function* () {
      for (let offset = 0; offset < data.length; offset += pieceBytes) {
        await beforePiece?.({ digest, offset, length: data.length, fetch });
        options.signal?.throwIfAborted(); // a DOMException AbortError, as fetch-style clients raise
        yield data.subarray(offset, offset + pieceBytes);
      }
    })();
  }
}
