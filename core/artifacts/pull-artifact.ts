// Orchestrates a pull: manifest (index → linux/amd64 or first) → layer chosen as Flux would → verified blob
// in the content cache → safely extracted tree → chart metadata. Talks to a registry only through ArtifactSource.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ArtifactError, throwIfCancelled, toArtifactProblem, type ArtifactResult } from './artifact-error';
import { artifactKindOf, type ArtifactKind } from './artifact-kind';
import type { ArtifactSource, FetchedManifest } from './artifact-source';
import { chartMetadataFromObject, findChartYaml, parseChartYaml, type ChartMetadata } from './chart-metadata';
import { BLOB_WRITE_BATCH_BYTES, ContentCache, type BlobTap } from './content-cache';
import { readThrough } from './file-reading';
import { formatBytes, resolveLimits, type ExtractLimits } from './limits';
import { isValidDigest, looksLikeIndex, MediaType, parseImageIndex, parseImageManifest, selectIndexEntry, type ImageManifest } from './manifest-model';
import { isExtractableLayer, selectLayer, type LayerSelection } from './layer-selection';
import type { ExtractedFile, ExtractedTree, SkippedLink } from './safe-extract';
import { startStreamedExtraction } from './streamed-extraction';
import { findSignatures, type SignatureReport } from './signatures';

export type PullPhase = 'manifest' | 'config' | 'layer' | 'extract' | 'signatures';

export interface PullProgress {
  phase: PullPhase;
  /** Bytes received so far in this phase (layer/config); 0 for phases without a byte count. */
  bytes: number;
  totalBytes?: number;
}

export interface PullRequest {
  source: ArtifactSource;
  /** Cache directory (or an existing ContentCache). */
  cache: string | ContentCache;
  repository: string;
  /** Tag or `sha256:…` digest. */
  reference: string;
  /** How to show the reference to people (e.g. `oci://host/repo:tag`); defaults to repository:reference. */
  displayReference?: string;
  /** OCIRepository `spec.layerSelector.mediaType`. */
  layerMediaType?: string;
  limits?: Partial<ExtractLimits>;
  signal?: AbortSignal;
  onProgress?: (progress: PullProgress) => void;
  /** Container image layers are listed, never downloaded, unless this is set. */
  extractImageLayers?: boolean;
  /** Look for signatures (referrers API / tags); costs extra requests. */
  checkSignatures?: boolean;
}

export interface PulledArtifact {
  reference: string;
  repository: string;
  /** Digest of the image manifest (after index resolution). */
  digest: string;
  manifestMediaType: string;
  /** Set when the reference named an index; `digest` is then the chosen entry. */
  indexDigest?: string;
  manifest: ImageManifest;
  /** The config blob parsed as JSON, when it is JSON and small. */
  config?: unknown;
  kind: ArtifactKind;
  layer: LayerSelection;
  /** False for container images pulled without extractImageLayers. */
  extracted: boolean;
  /** Directory holding the extracted files (inside the cache; treat as read-only). */
  root?: string;
  files: ExtractedFile[];
  skippedSymlinks: SkippedLink[];
  chart?: ChartMetadata;
  /** Why chart metadata could not be read, when the artifact is a chart. */
  chartProblem?: string;
  annotations: Record<string, string>;
  signatures?: SignatureReport;
}

const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

function verifyManifestDigest(fetched: FetchedManifest, requested: string): void {
  const actual = `sha256:${createHash('sha256').update(fetched.bytes).digest('hex')}`;
  if (isValidDigest(requested) && requested.startsWith('sha256:') && actual !== requested) {
    throw new ArtifactError('digest-mismatch', `The manifest fetched for ${requested} hashes to ${actual}.`);
  }
  if (fetched.digest.startsWith('sha256:') && fetched.digest !== actual) {
    throw new ArtifactError('digest-mismatch', `The manifest's reported digest ${fetched.digest} does not match its content (${actual}).`);
  }
}

/** Gives a tap a blob that is already cached (another process stored it meanwhile), as if it were arriving. */
async function replayInto(tap: BlobTap, path: string): Promise<void> {
  try {
    for await (const chunk of readThrough(path, BLOB_WRITE_BATCH_BYTES)) await tap.take(chunk);
  } catch (error) {
    tap.end({ error });
    throw error;
  }
  tap.end();
}

async function blobIntoCache(request: PullRequest, cache: ContentCache, digest: string, size: number, phase: PullPhase, tap?: BlobTap): Promise<string> {
  const cached = await cache.verifiedBlob(digest, size);
  if (cached) {
    request.onProgress?.({ phase, bytes: size, totalBytes: size });
    if (tap) await replayInto(tap, cached);
    return cached;
  }
  const storeOptions = {
    expectedSize: size,
    signal: request.signal,
    onProgress: (bytes: number) => request.onProgress?.({ phase, bytes, totalBytes: size }),
    ...(tap ? { tap } : {}),
  };
  const { source } = request;
  if (source.downloadBlob) {
    return cache.storeBlobFrom(digest, (sink) => source.downloadBlob!(request.repository, digest, sink, { signal: request.signal, maxBytes: size, expectedSize: size }), storeOptions);
  }
  const stream = await source.fetchBlob(request.repository, digest, { signal: request.signal, maxBytes: size });
  return cache.storeBlob(digest, stream, storeOptions);
}

/** Downloads an archive layer and extracts it at the same time; a blob problem comes first, then the archive's own. */
async function extractWhileDownloading(request: PullRequest, cache: ContentCache, digest: string, size: number, limits: ExtractLimits): Promise<ExtractedTree> {
  const extraction = startStreamedExtraction(cache, digest, { limits, signal: request.signal });
  try {
    await blobIntoCache(request, cache, digest, size, 'layer', extraction.tap);
  } catch (error) {
    extraction.tap.end({ error }); // when the blob failed before the cache saw it (the source refused); else ignored
    await extraction.tree.catch(() => undefined); // its staging folder is gone before the error is reported
    throw error;
  }
  request.onProgress?.({ phase: 'extract', bytes: 0 });
  return extraction.tree;
}

/** A safe single file name for a non-archive layer: its title annotation's last segment, else "layer". */
function singleFileName(selection: LayerSelection): string {
  const title = selection.layer.annotations?.['org.opencontainers.image.title'] ?? '';
  const last = title.split(/[\\/]/).pop() ?? '';
  return /^[A-Za-z0-9._-]{1,100}$/.test(last) && last !== '.' && last !== '..' ? last : 'layer';
}

async function resolveManifest(request: PullRequest): Promise<{ fetched: FetchedManifest; manifest: ImageManifest; indexDigest?: string }> {
  const options = { signal: request.signal };
  request.onProgress?.({ phase: 'manifest', bytes: 0 });
  let fetched = await request.source.getManifest(request.repository, request.reference, options);
  verifyManifestDigest(fetched, request.reference);
  let indexDigest: string | undefined;
  if (looksLikeIndex(fetched.json, fetched.mediaType)) {
    indexDigest = fetched.digest;
    const entry = selectIndexEntry(parseImageIndex(fetched.json));
    throwIfCancelled(request.signal);
    fetched = await request.source.getManifest(request.repository, entry.digest, options);
    verifyManifestDigest(fetched, entry.digest);
    if (looksLikeIndex(fetched.json, fetched.mediaType)) throw new ArtifactError('invalid-manifest', 'The index points to another index; nested indexes are not supported.');
  }
  return { fetched, manifest: parseImageManifest(fetched.json), ...(indexDigest ? { indexDigest } : {}) };
}

async function readConfig(request: PullRequest, cache: ContentCache, manifest: ImageManifest): Promise<unknown> {
  const { config } = manifest;
  if (config.mediaType === MediaType.ociEmpty || config.size > MAX_CONFIG_BYTES || !/json/.test(config.mediaType)) return undefined;
  const path = await blobIntoCache(request, cache, config.digest, config.size, 'config');
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

async function readChart(root: string, files: ExtractedFile[], config: unknown): Promise<{ chart?: ChartMetadata; chartProblem?: string }> {
  const chartYaml = findChartYaml(files.map((f) => f.path));
  if (chartYaml) {
    const parsed = parseChartYaml(await readFile(join(root, chartYaml), 'utf8'));
    return parsed.ok ? { chart: parsed.chart } : { chartProblem: parsed.message };
  }
  if (config !== undefined) {
    const parsed = chartMetadataFromObject(config, 'The Helm config blob');
    return parsed.ok ? { chart: parsed.chart } : { chartProblem: parsed.message };
  }
  return { chartProblem: 'The chart has no Chart.yaml.' };
}

async function pull(request: PullRequest): Promise<PulledArtifact> {
  const limits = resolveLimits(request.limits);
  const cache = typeof request.cache === 'string' ? new ContentCache(request.cache) : request.cache;
  throwIfCancelled(request.signal);
  const { fetched, manifest, indexDigest } = await resolveManifest(request);
  const kind = artifactKindOf(manifest);
  const layer = selectLayer(manifest, kind, { mediaType: request.layerMediaType });
  const config = await readConfig(request, cache, manifest);

  const pulled: PulledArtifact = {
    reference: request.displayReference ?? `${request.repository}${isValidDigest(request.reference) ? '@' : ':'}${request.reference}`,
    repository: request.repository,
    digest: fetched.digest,
    manifestMediaType: fetched.mediaType || manifest.mediaType || MediaType.ociManifest,
    ...(indexDigest ? { indexDigest } : {}),
    manifest,
    ...(config !== undefined ? { config } : {}),
    kind,
    layer,
    extracted: false,
    files: [],
    skippedSymlinks: [],
    annotations: manifest.annotations ?? {},
  };

  const wantsContent = kind !== 'container-image' || request.extractImageLayers === true;
  if (wantsContent) {
    if (layer.layer.size > limits.maxBytes) {
      throw new ArtifactError('too-many-bytes', `The selected layer is ${formatBytes(layer.layer.size)} compressed, more than the ${formatBytes(limits.maxBytes)} limit (fluxOci.pull.maxBytes).`);
    }
    // Two pulls of the same layer in one process (say, inspect clicked twice) share one download and extraction.
    const key = `layer:${layer.layer.digest}:${limits.maxBytes}:${limits.maxFiles}`;
    const shared = () =>
      cache.singleFlight(key, async () => {
        const { digest, size, mediaType } = layer.layer;
        // Nothing cached yet: extract while downloading (the tree is kept only once the blob verifies).
        if (isExtractableLayer(mediaType) && !(await cache.hasBlob(digest)) && !(await cache.extractedTree(digest, limits))) {
          return extractWhileDownloading(request, cache, digest, size, limits);
        }
        const blob = await blobIntoCache(request, cache, digest, size, 'layer');
        throwIfCancelled(request.signal);
        request.onProgress?.({ phase: 'extract', bytes: 0 });
        return (
          (await cache.extractedTree(digest, limits)) ??
          (isExtractableLayer(mediaType) ? await cache.storeTree(digest, blob, { limits, signal: request.signal }) : await cache.storeSingleFileTree(digest, blob, singleFileName(layer)))
        );
      });
    // If the shared run was cancelled by its own caller (not us), run it again for this caller.
    const tree = await shared().catch((error: unknown) => {
      // (Cancelled however it surfaced: the cache's own check, or an AbortError from the source's request.)
      if (toArtifactProblem(error).code === 'cancelled' && !request.signal?.aborted) return shared();
      throw error;
    });
    pulled.extracted = true;
    pulled.root = cache.treePath(layer.layer.digest);
    pulled.files = tree.files;
    pulled.skippedSymlinks = tree.skippedSymlinks;
    if (kind === 'helm-chart' && isExtractableLayer(layer.layer.mediaType)) Object.assign(pulled, await readChart(pulled.root, tree.files, config));
  }
  if (kind === 'helm-chart' && !pulled.chart && !pulled.chartProblem && config !== undefined) {
    const parsed = chartMetadataFromObject(config, 'The Helm config blob');
    if (parsed.ok) pulled.chart = parsed.chart;
  }
  if (request.checkSignatures) {
    request.onProgress?.({ phase: 'signatures', bytes: 0 });
    // Signatures are attached to what the reference names: the index when it is one (cosign and Flux verify that digest).
    pulled.signatures = await findSignatures(request.source, request.repository, indexDigest ?? fetched.digest, request.signal);
  }
  return pulled;
}

/**
 * Pulls and (safely) extracts an artifact into the content cache. Never throws: problems — refused
 * archives, digest mismatches, registry errors, cancellation — come back as `{ ok: false, problem }`.
 */
export async function pullArtifact(request: PullRequest): Promise<ArtifactResult<PulledArtifact>> {
  try {
    return { ok: true, value: await pull(request) };
  } catch (error) {
    const problem = toArtifactProblem(error, request.signal);
    if (problem.code !== 'io' || error instanceof ArtifactError) return { ok: false, problem };
    // Errors from the registry client (RegistryError and the like) keep their message; a digest mismatch stays one.
    const code = (error as { code?: unknown }).code;
    return { ok: false, problem: { ...problem, code: code === 'digest-mismatch' ? 'digest-mismatch' : 'registry' } };
  }
}
