// The OCI/Docker manifest and index shapes this engine reads, and their validation from untrusted JSON.
// Shapes and checks only; fetching is core/oci's job, choosing among layers is layer-selection.ts's.
import { ArtifactError } from './artifact-error';

export const MediaType = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  helmConfig: 'application/vnd.cncf.helm.config.v1+json',
  helmChart: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
  helmChartLegacy: 'application/tar+gzip',
  helmProvenance: 'application/vnd.cncf.helm.chart.provenance.v1.prov',
  fluxConfig: 'application/vnd.cncf.flux.config.v1+json',
  fluxContent: 'application/vnd.cncf.flux.content.v1.tar+gzip',
  cosignSignature: 'application/vnd.dev.cosign.simplesigning.v1+json',
} as const;

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
  artifactType?: string;
}

export interface ImageManifest {
  schemaVersion: number;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: number;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

const DIGEST = /^sha256:[a-f0-9]{64}$|^sha512:[a-f0-9]{128}$/;

export function isValidDigest(digest: string): boolean {
  return DIGEST.test(digest);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isRecord(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v)) if (typeof value === 'string') out[k] = value;
  return out;
}

function descriptor(v: unknown, where: string): Descriptor {
  if (!isRecord(v)) throw new ArtifactError('invalid-manifest', `The manifest's ${where} is not an object.`);
  const { mediaType, digest, size } = v;
  if (typeof mediaType !== 'string') throw new ArtifactError('invalid-manifest', `The manifest's ${where} has no mediaType.`);
  if (typeof digest !== 'string' || !isValidDigest(digest)) throw new ArtifactError('invalid-manifest', `The manifest's ${where} has an invalid digest.`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw new ArtifactError('invalid-manifest', `The manifest's ${where} has an invalid size.`);
  const out: Descriptor = { mediaType, digest, size };
  const annotations = stringMap(v.annotations);
  if (annotations) out.annotations = annotations;
  if (typeof v.artifactType === 'string') out.artifactType = v.artifactType;
  if (isRecord(v.platform) && typeof v.platform.os === 'string' && typeof v.platform.architecture === 'string') {
    out.platform = { os: v.platform.os, architecture: v.platform.architecture };
    if (typeof v.platform.variant === 'string') out.platform.variant = v.platform.variant;
  }
  return out;
}

export function isIndexMediaType(mediaType: string | undefined): boolean {
  return mediaType === MediaType.ociIndex || mediaType === MediaType.dockerList;
}

/** True when the JSON (with the response's media type) is an index rather than a manifest. */
export function looksLikeIndex(json: unknown, mediaType?: string): boolean {
  if (isIndexMediaType(mediaType)) return true;
  return isRecord(json) && (isIndexMediaType(typeof json.mediaType === 'string' ? json.mediaType : undefined) || (Array.isArray(json.manifests) && !('layers' in json)));
}

export function parseImageManifest(json: unknown): ImageManifest {
  if (!isRecord(json)) throw new ArtifactError('invalid-manifest', 'The manifest is not a JSON object.');
  if (json.schemaVersion !== 2) throw new ArtifactError('invalid-manifest', 'The manifest is not schemaVersion 2.');
  if (!Array.isArray(json.layers)) throw new ArtifactError('invalid-manifest', 'The manifest has no layers list.');
  const manifest: ImageManifest = {
    schemaVersion: 2,
    config: descriptor(json.config, 'config'),
    layers: json.layers.map((l, i) => descriptor(l, `layer ${i}`)),
  };
  if (typeof json.mediaType === 'string') manifest.mediaType = json.mediaType;
  if (typeof json.artifactType === 'string') manifest.artifactType = json.artifactType;
  if (json.subject !== undefined) manifest.subject = descriptor(json.subject, 'subject');
  const annotations = stringMap(json.annotations);
  if (annotations) manifest.annotations = annotations;
  return manifest;
}

export function parseImageIndex(json: unknown): ImageIndex {
  if (!isRecord(json) || !Array.isArray(json.manifests)) throw new ArtifactError('invalid-manifest', 'The index has no manifests list.');
  const index: ImageIndex = { schemaVersion: 2, manifests: json.manifests.map((m, i) => descriptor(m, `index entry ${i}`)) };
  if (typeof json.mediaType === 'string') index.mediaType = json.mediaType;
  const annotations = stringMap(json.annotations);
  if (annotations) index.annotations = annotations;
  return index;
}

/** The index entry Flux resolves to: linux/amd64 when present, else the first entry. */
export function selectIndexEntry(index: ImageIndex): Descriptor {
  const first = index.manifests[0];
  if (!first) throw new ArtifactError('invalid-manifest', 'The index lists no manifests.');
  return index.manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64') ?? first;
}
