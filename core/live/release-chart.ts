// Where a HelmRelease's chart comes from: the workspace OCIRepository named by chartRef or chart.spec.sourceRef, or a
// HelmRepository of `type: oci` plus the chart name. Registry targets only; resolving them is the caller's job.
import type { HelmReleaseModel, OCIRepositoryModel } from '../manifests/object-types';
import type { WorkspaceIndex } from '../workspace/workspace-index';
import { effectiveHelmModels, type EffectiveModel } from './effective-models';
import type { LiveOptions } from './live-options';
import type { LiveResolution } from './live-resolution';
import { helmChartTarget, helmRepositoryFacts, ociRepositoryTarget, type SourceTarget, type VariantTarget } from './source-targets';

/** The workspace OCIRepository a release's chart comes from. */
export interface ReleaseOciSource {
  path: string;
  model: OCIRepositoryModel;
  /** `namespace/name` */
  name: string;
  via: 'chartRef' | 'sourceRef';
}

/** Where a HelmRelease's chart comes from, live. */
export interface ReleaseChart {
  target: SourceTarget;
  resolution: LiveResolution;
  /** Set when the chart comes from an OCIRepository of the workspace. */
  repository?: ReleaseOciSource;
}

function ociModel(index: WorkspaceIndex, namespace: string, name: string): { path: string; model: OCIRepositoryModel } | undefined {
  const hit = index.findObject('OCIRepository', namespace, name);
  if (!hit) return undefined;
  return index.ociRepositories().find((r) => r.path === hit.path && r.model.object.documentIndex === hit.object.documentIndex);
}

/** The workspace OCIRepository named by the release's chartRef (preferred) or chart.spec.sourceRef. */
export function releaseOciSource(index: WorkspaceIndex, release: HelmReleaseModel): ReleaseOciSource | undefined {
  const viaChartRef = release.chartRef?.kind?.value === 'OCIRepository' && release.chartRef.name ? { ref: release.chartRef, via: 'chartRef' as const } : undefined;
  const source = release.chart?.sourceRef;
  const viaSourceRef = source?.kind?.value === 'OCIRepository' && source.name ? { ref: source, via: 'sourceRef' as const } : undefined;
  const chosen = viaChartRef ?? viaSourceRef;
  if (!chosen) return undefined;
  const namespace = chosen.ref.namespace?.value ?? release.object.namespace;
  const name = chosen.ref.name!.value;
  const found = ociModel(index, namespace, name);
  return found ? { ...found, name: `${namespace}/${name}`, via: chosen.via } : undefined;
}

/** The chart of a release from a `type: oci` HelmRepository; `version` narrows the ref (undefined lists every tag). */
export function helmRepositoryChartTarget(index: WorkspaceIndex, options: LiveOptions, release: HelmReleaseModel, version: string | undefined): SourceTarget | undefined {
  const source = release.chart?.sourceRef;
  const chartName = release.chart?.chart?.value;
  if (source?.kind?.value !== 'HelmRepository' || !source.name || !chartName) return undefined;
  const namespace = source.namespace?.value ?? release.object.namespace;
  const facts = helmRepositoryFacts(index, namespace, source.name.value);
  if (!facts) return undefined;
  const target = helmChartTarget(index, options, facts, namespace, chartName, version);
  return target.ok ? target.target : undefined;
}

/** The registry target of a release's chart, and the OCIRepository it goes through when there is one. */
export function releaseChartTarget(index: WorkspaceIndex, options: LiveOptions, written: HelmReleaseModel, cluster?: string): { target: SourceTarget; repository?: ReleaseOciSource } | undefined {
  const effectives = effectiveHelmModels(index, written);
  const chosen = effectives.find((e) => cluster !== undefined && e.clusters.includes(cluster)) ?? effectives[0];
  return variantChartTarget(index, options, chosen.model, cluster ?? chosen.clusters[0]);
}

/** The registry target of one effective release (a variant), its OCIRepository read as `cluster` applies it. */
export function variantChartTarget(
  index: WorkspaceIndex,
  options: LiveOptions,
  release: HelmReleaseModel,
  cluster: string | undefined,
): { target: SourceTarget; repository?: ReleaseOciSource } | undefined {
  const repository = releaseOciSource(index, release);
  if (repository) {
    const target = ociRepositoryTarget(index, options, repository.model, cluster);
    return target.ok ? { target: target.target, repository } : undefined;
  }
  const target = helmRepositoryChartTarget(index, options, release, release.chart?.version?.value);
  return target ? { target } : undefined;
}

/**
 * The targets whose tags complete a release's chart.spec.version: the chart repository (every tag) of each variant,
 * one entry per distinct repository with the Kustomizations reading it (one entry when nothing differs).
 */
export function chartVersionCompletionTargets(index: WorkspaceIndex, options: LiveOptions, written: HelmReleaseModel): VariantTarget[] {
  const out = new Map<string, VariantTarget>();
  for (const variant of releaseChartVariants(index, options, written)) {
    const release = variant.model;
    const repository = releaseOciSource(index, release);
    const viaOci = repository ? ociRepositoryTarget(index, options, repository.model, variant.clusters[0]) : undefined;
    const target = viaOci?.ok ? { ...viaOci.target, helmChart: true } : helmRepositoryChartTarget(index, options, release, undefined);
    if (!target) continue;
    const hit = out.get(target.repositoryKey);
    if (hit) hit.kustomizations.push(...variant.kustomizations);
    else out.set(target.repositoryKey, { target, kustomizations: [...variant.kustomizations] });
  }
  return [...out.values()];
}

/**
 * A release's effective models split where its chart resolves differently: the same release in two clusters whose
 * sources differ (a base's OCIRepository with a per-cluster `${VAR}`) gives one entry per cluster.
 */
export function releaseChartVariants(index: WorkspaceIndex, options: LiveOptions, written: HelmReleaseModel): Array<EffectiveModel<HelmReleaseModel>> {
  const out = new Map<string, EffectiveModel<HelmReleaseModel>>();
  effectiveHelmModels(index, written).forEach((effective, i) => {
    const clusters: Array<string | undefined> = effective.clusters.length ? effective.clusters : [undefined];
    clusters.forEach((cluster, j) => {
      const key = `${i}\u0000${releaseChartTarget(index, options, written, cluster)?.target.key ?? ''}`;
      const label = effective.kustomizations[j];
      const hit = out.get(key);
      if (hit) {
        if (label !== undefined) hit.kustomizations.push(label);
        if (cluster !== undefined) hit.clusters.push(cluster);
      } else out.set(key, { ...effective, kustomizations: label !== undefined ? [label] : [], clusters: cluster !== undefined ? [cluster] : [] });
    });
  });
  return [...out.values()];
}
