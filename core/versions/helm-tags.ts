// Owns the Helm-chart tag convention: OCI tags cannot hold `+`, so Helm pushes `1.0.0+build` as `1.0.0_build`.
// Must not parse versions itself (see flux-version.ts).
import { parseFluxTagVersion, type FluxVersion } from './flux-version';

/** `layerSelector.mediaType` (and chart layer type) that makes Flux treat an OCI artifact as a Helm chart. */
export const HELM_CHART_CONTENT_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';

/** The text Flux parses for a Helm chart tag: every `_` becomes `+`. */
export function helmTagToVersionText(tag: string): string {
  return tag.replaceAll('_', '+');
}

/** The OCI tag Helm uses for a version text: every `+` becomes `_`. */
export function versionTextToHelmTag(text: string): string {
  return text.replaceAll('+', '_');
}

/** Parses a listed tag the way Flux does, applying the Helm mapping first for charts. */
export function parseListedTag(tag: string, helmChart: boolean): FluxVersion | undefined {
  return parseFluxTagVersion(helmChart ? helmTagToVersionText(tag) : tag);
}
