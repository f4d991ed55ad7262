// The live answer for one OCI source: tags, the tag Flux would pick, its digest, creation time and chart
// facts, or why there is none. Talks to the registry only through RegistryClient; never renders text.
import { artifactKindOf, type ArtifactKind } from '../artifacts/artifact-kind';
import { chartMetadataFromObject } from '../artifacts/chart-metadata';
import { looksLikeIndex, MediaType, parseImageIndex, parseImageManifest, selectIndexEntry, type ImageManifest } from '../artifacts/manifest-model';
import { isRegistryError, type NetworkFailure, type RegistryErrorCode } from '../oci/errors';
import type { RegistryClient, RequestOptions, ResultSource } from '../oci/registry-client';
import type { RepositoryRef } from '../oci/reference';
import { compareVersions } from '../versions/flux-version';
import { parseListedTag } from '../versions/helm-tags';
import { resolveRef, type OciRefInput, type ResolutionResult } from '../versions/resolve-tag';
import { sortTagsNewestFirst } from '../versions/sort-tags';
import { isCancellation, throwIfAborted } from './bounded';

export interface ChartFacts {
  name: string;
  version: string;
  appVersion?: string;
}

export interface ArtifactFacts {
  /** Digest of what the reference names (the index when it is one): what `ref.digest` pins. */
  digest: string;
  /** Digest of the image manifest actually used (differs from `digest` for an index). */
  manifestDigest: string;
  kind: ArtifactKind;
  created?: string;
  chart?: ChartFacts;
  layerMediaTypes: string[];
  annotations: Record<string, string>;
  /** Digest of the Helm chart content layer, when there is one. */
  chartLayerDigest?: string;
}

export type RefProblemCode = 'tag-not-found' | 'digest-not-found' | 'no-match' | 'invalid-range' | 'invalid-filter';

export interface LiveProblem {
  code: RegistryErrorCode | 'disabled' | 'invalid-url' | 'invalid-manifest' | 'cancelled';
  message: string;
  /** For connection failures: what kind (a host-wide problem is reported once per host). */
  network?: NetworkFailure;
}

export interface LiveResolution {
  /** `oci://host/repository` */
  url: string;
  repository: RepositoryRef;
  /** 'resolved': artifact known; 'unresolved': the ref names nothing; 'failed': registry trouble; 'disabled': no network allowed. */
  state: 'resolved' | 'unresolved' | 'failed' | 'disabled';
  helmChart: boolean;
  /** The semver range, for semver refs. */
  range?: string;
  /** Every tag, newest version first, then the rest in listing order (empty for digest refs: those are not listed). */
  tags: string[];
  tagSource?: ResultSource;
  fetchedAt?: number;
  ref: ResolutionResult;
  /** The tag Flux pulls (absent for digest refs and failures). */
  tag?: string;
  artifact?: ArtifactFacts;
  /** Matching tags, newest first (semver refs), at most a handful. */
  matching: string[];
  /** The newest stable version tag of the repository. */
  newestTag?: string;
  /** The newest stable version tag when the ref does not select it (outside the range / not the pinned tag). */
  newerOutside?: string;
  refProblem?: { code: RefProblemCode; message: string };
  problem?: LiveProblem;
}

export interface ResolveSourceInput {
  client: RegistryClient;
  repository: RepositoryRef;
  url: string;
  ref: OciRefInput;
  helmChart: boolean;
  request: RequestOptions;
  refresh?: boolean;
  matchingCount?: number;
  onProgress?: (message: string) => void;
}

const MAX_CONFIG_BYTES = 256 * 1024;

function newestStable(sortedTags: string[], helmChart: boolean): string | undefined {
  return sortedTags.find((t) => {
    const v = parseListedTag(t, helmChart);
    return v !== undefined && v.prerelease === '';
  });
}

function problemOf(error: unknown, signal: AbortSignal | undefined): LiveProblem {
  if (isCancellation(error, signal)) return { code: 'cancelled', message: 'The request was cancelled.' };
  if (isRegistryError(error)) return { code: error.code, message: error.message, ...(error.details.network ? { network: error.details.network } : {}) };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'invalid-manifest', message };
}

async function readManifest(input: ResolveSourceInput, reference: string): Promise<{ digest: string; manifestDigest: string; manifest: ImageManifest }> {
  const first = await input.client.getManifest(input.repository, reference, input.request);
  if (!looksLikeIndex(first.json, first.mediaType)) return { digest: first.digest, manifestDigest: first.digest, manifest: parseImageManifest(first.json) };
  throwIfAborted(input.request.signal);
  const entry = selectIndexEntry(parseImageIndex(first.json));
  const inner = await input.client.getManifest(input.repository, entry.digest, input.request);
  return { digest: first.digest, manifestDigest: inner.digest, manifest: parseImageManifest(inner.json) };
}

async function readConfig(input: ResolveSourceInput, manifest: ImageManifest): Promise<Record<string, unknown> | undefined> {
  const { config } = manifest;
  if (config.mediaType === MediaType.ociEmpty || config.size > MAX_CONFIG_BYTES || !/json/.test(config.mediaType)) return undefined;
  try {
    const bytes = await input.client.fetchBlobBuffer(input.repository, config.digest, { ...input.request, maxBytes: MAX_CONFIG_BYTES, expectedSize: config.size });
    const parsed = JSON.parse(bytes.toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch (error) {
    if (isCancellation(error, input.request.signal)) throw error;
    return undefined;
  }
}

/** Facts about the artifact a tag or digest names: digest, kind, created, chart name/version/appVersion. */
export async function readArtifactFacts(input: ResolveSourceInput, reference: string): Promise<ArtifactFacts> {
  const { digest, manifestDigest, manifest } = await readManifest(input, reference);
  const kind = artifactKindOf(manifest);
  const config = await readConfig(input, manifest);
  const annotations = manifest.annotations ?? {};
  const created = annotations['org.opencontainers.image.created'] ?? (typeof config?.created === 'string' ? config.created : undefined);
  const facts: ArtifactFacts = { digest, manifestDigest, kind, layerMediaTypes: manifest.layers.map((l) => l.mediaType), annotations };
  if (created) facts.created = created;
  if (kind === 'helm-chart') {
    const meta = config ? chartMetadataFromObject(config, 'The Helm config blob') : undefined;
    if (meta?.ok) facts.chart = { name: meta.chart.name, version: meta.chart.version, ...(meta.chart.appVersion ? { appVersion: meta.chart.appVersion } : {}) };
    const layer = manifest.layers.find((l) => l.mediaType === MediaType.helmChart) ?? manifest.layers.find((l) => l.mediaType === MediaType.helmChartLegacy);
    if (layer) facts.chartLayerDigest = layer.digest;
  }
  return facts;
}

/** Lists tags, picks the tag as Flux would, and reads the chosen artifact's facts. Never throws except on cancellation. */
export async function resolveLiveSource(input: ResolveSourceInput): Promise<LiveResolution> {
  const signal = input.request.signal;
  const base: LiveResolution = {
    url: input.url,
    repository: input.repository,
    state: 'failed',
    helmChart: input.helmChart,
    tags: [],
    ref: resolveRef({ tags: [], ref: {}, helmChart: input.helmChart }),
    matching: [],
  };
  if (input.ref.digest) return resolveDigestRef(input, base);
  input.onProgress?.(`Listing tags of ${input.repository.registry}/${input.repository.repository}…`);
  let listing;
  try {
    listing = await input.client.listTags(input.repository, { ...input.request, refresh: input.refresh });
  } catch (error) {
    const problem = problemOf(error, signal);
    if (problem.code === 'cancelled') throw error;
    return { ...base, problem };
  }
  const tags = sortTagsNewestFirst(listing.tags, input.helmChart);
  const ref = resolveRef({ tags: listing.tags, ref: input.ref, helmChart: input.helmChart });
  const newestTag = newestStable(tags, input.helmChart);
  const out: LiveResolution = { ...base, state: 'unresolved', tags, tagSource: listing.source, fetchedAt: listing.fetchedAt, ref, newestTag };
  if (ref.kind === 'semver' && input.ref.semver !== undefined) out.range = input.ref.semver;
  if (ref.kind === 'semver') {
    const matching = new Set(ref.candidates.filter((c) => c.status === 'chosen' || c.status === 'lower').map((c) => c.tag));
    out.matching = tags.filter((t) => matching.has(t)).slice(0, input.matchingCount ?? 5);
    const newest = newestTag ? ref.candidates.find((c) => c.tag === newestTag) : undefined;
    if (newest && newest.status === 'outside-range') out.newerOutside = newestTag;
  }
  if (ref.error) {
    out.refProblem = { code: ref.error.code, message: ref.error.message };
    return out;
  }
  const reference = ref.digest ?? ref.tag!;
  if (ref.tag) out.tag = ref.tag;
  if (ref.kind === 'tag' && newestTag && newestTag !== ref.tag) {
    const pinned = parseListedTag(ref.tag!, input.helmChart);
    const newest = parseListedTag(newestTag, input.helmChart);
    if (pinned && newest && compareVersions(newest, pinned) > 0) out.newerOutside = newestTag;
  }
  return readArtifactInto(input, out, reference);
}

/** Reads the artifact `reference` names into `out`: resolved, or why the ref names nothing, or registry trouble. */
async function readArtifactInto(input: ResolveSourceInput, out: LiveResolution, reference: string): Promise<LiveResolution> {
  const signal = input.request.signal;
  try {
    throwIfAborted(signal);
    out.artifact = await readArtifactFacts(input, reference);
    out.state = 'resolved';
  } catch (error) {
    const problem = problemOf(error, signal);
    if (problem.code === 'cancelled') throw error;
    if (problem.code === 'tag-not-found') out.refProblem = { code: 'tag-not-found', message: problem.message };
    else if (problem.code === 'not-found' && out.ref.kind === 'digest' && !/^Repository /.test(problem.message)) out.refProblem = { code: 'digest-not-found', message: problem.message };
    else {
      out.state = 'failed';
      out.problem = problem;
    }
  }
  return out;
}

/**
 * `ref.digest` wins over everything (Flux pulls `<url>@<digest>` without listing tags), so neither is the listing
 * needed nor may its failure (a registry that refuses tag listing) hide a digest that exists.
 */
async function resolveDigestRef(input: ResolveSourceInput, base: LiveResolution): Promise<LiveResolution> {
  const ref = resolveRef({ tags: [], ref: input.ref, helmChart: input.helmChart });
  const out: LiveResolution = { ...base, state: 'unresolved', ref, fetchedAt: Date.now() };
  input.onProgress?.(`Reading ${input.repository.registry}/${input.repository.repository}@${input.ref.digest}…`);
  return readArtifactInto(input, out, ref.digest!);
}
