// Picks the layer to open, by Flux's rules: layerSelector.mediaType (exact, first wins), else layers[0];
// for Helm charts the chart content layer, as helm-controller does. Pure; warns when the rules disagree.
import { ArtifactError } from './artifact-error';
import type { ArtifactKind } from './artifact-kind';
import { MediaType, type Descriptor, type ImageManifest } from './manifest-model';

export interface LayerSelectionOptions {
  /** OCIRepository `spec.layerSelector.mediaType`. */
  mediaType?: string;
}

export interface LayerSelection {
  layer: Descriptor;
  index: number;
  /** Why this layer: 'layer-selector', 'helm-chart-layer' or 'first-layer'. */
  rule: 'layer-selector' | 'helm-chart-layer' | 'first-layer';
  /** Set when Flux's plain OCIRepository rule (layers[0]) would pick a different layer. */
  warning?: string;
}

/** The layer an OCIRepository without a layerSelector hands on: always the first. */
export function fluxDefaultLayer(manifest: ImageManifest): Descriptor | undefined {
  return manifest.layers[0];
}

export function selectLayer(manifest: ImageManifest, kind: ArtifactKind, options: LayerSelectionOptions = {}): LayerSelection {
  if (manifest.layers.length === 0) throw new ArtifactError('no-matching-layer', 'The manifest has no layers.');
  if (options.mediaType !== undefined) {
    const index = manifest.layers.findIndex((l) => l.mediaType === options.mediaType);
    if (index === -1) {
      const present = [...new Set(manifest.layers.map((l) => l.mediaType))].join(', ');
      throw new ArtifactError('no-matching-layer', `No layer has media type "${options.mediaType}" (the manifest has: ${present}).`);
    }
    return { layer: manifest.layers[index]!, index, rule: 'layer-selector' };
  }
  if (kind === 'helm-chart') {
    let index = manifest.layers.findIndex((l) => l.mediaType === MediaType.helmChart);
    if (index === -1) index = manifest.layers.findIndex((l) => l.mediaType === MediaType.helmChartLegacy);
    if (index === -1) throw new ArtifactError('no-matching-layer', `The Helm chart has no "${MediaType.helmChart}" layer.`);
    const selection: LayerSelection = { layer: manifest.layers[index]!, index, rule: 'helm-chart-layer' };
    if (index !== 0) {
      selection.warning =
        `An OCIRepository without layerSelector would take layer 0 (${manifest.layers[0]!.mediaType}), not the chart; ` + `set spec.layerSelector.mediaType to "${selection.layer.mediaType}".`;
    }
    return selection;
  }
  return { layer: manifest.layers[0]!, index: 0, rule: 'first-layer' };
}

/** Whether a layer's media type names an archive this engine can extract (tar, tar+gzip). */
export function isExtractableLayer(mediaType: string): boolean {
  return /(^|[.+/])tar(\.gzip|\+gzip)?$/.test(mediaType) || mediaType === MediaType.helmChartLegacy;
}
