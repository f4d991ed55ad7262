// Classifies a manifest as a Helm chart, a Flux artifact, a container image or something else.
// Reads media types only (OCI 1.1 artifactType first, then config, then layers); never fetches.
import { MediaType, type ImageManifest } from './manifest-model';

export type ArtifactKind = 'helm-chart' | 'flux-artifact' | 'container-image' | 'other';

/** OCI 1.1 effective type: `artifactType`, else the config's media type. */
export function effectiveArtifactType(manifest: ImageManifest): string {
  return manifest.artifactType ?? manifest.config.mediaType;
}

const IMAGE_LAYER = /^application\/vnd\.(oci\.image\.layer\.v1\.tar(\+gzip|\+zstd)?|docker\.image\.rootfs\.diff\.tar\.gzip)$/;

export function artifactKindOf(manifest: ImageManifest): ArtifactKind {
  const type = effectiveArtifactType(manifest);
  const layerTypes = manifest.layers.map((l) => l.mediaType);
  if (type === MediaType.helmConfig || layerTypes.includes(MediaType.helmChart)) return 'helm-chart';
  if (type === MediaType.fluxConfig || layerTypes.includes(MediaType.fluxContent)) return 'flux-artifact';
  if (type === MediaType.ociConfig || type === MediaType.dockerConfig) {
    return layerTypes.every((t) => IMAGE_LAYER.test(t)) ? 'container-image' : 'other';
  }
  return 'other';
}

/** Human label for the kind, used in summaries. */
export function describeKind(kind: ArtifactKind): string {
  return { 'helm-chart': 'Helm chart', 'flux-artifact': 'Flux artifact', 'container-image': 'Container image', other: 'OCI artifact' }[kind];
}
