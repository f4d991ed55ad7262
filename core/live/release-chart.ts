// Where a HelmRelease's chart comes from: the workspace OCIRepository named by chartRef or chart.spec.sourceRef, or a
// HelmRepository of `type: oci` plus the chart name. Registry targets only; resolving them is the caller's job.
import type { HelmReleaseModel, OCIRepositoryModel } from '../manifests/object-types';
import type { WorkspaceIndex } from '../workspace/workspace-index';
import { effectiveHelmModels } from './effective-models';
import type { LiveOptions } from './live-options';
import type { LiveResolution } from './live-resolution';
import { helmChartTarget, helmRepositoryFacts, ociRepositoryTarget, type SourceTarget } from './source-targets';

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
export function releaseChartTarget(index: WorkspaceIndex, options: LiveOptions, written: HelmReleaseModel): { target: SourceTarget; repository?: ReleaseOciSource } | undefined {
  const release = effectiveHelmModels(index, written)[0].model;
  const repository = releaseOciSource(index, release);
  if (repository) {
    const target = ociRepositoryTarget(index, options, repository.model);
    return target.ok ? { target: target.target, repository } : undefined;
  }
  const target = helmRepositoryChartTarget(index, options, release, release.chart?.version?.value);
  return target ? { target } : undefined;
}

/** The target whose tags complete a release's chart.spec.version: the chart's repository with every tag. */
export function chartVersionCompletionTarget(index: WorkspaceIndex, options: LiveOptions, written: HelmReleaseModel): SourceTarget | undefined {
  const release = effectiveHelmModels(index, written)[0].model;
  const repository = releaseOciSource(index, release);
  const viaOci = repository ? ociRepositoryTarget(index, options, repository.model) : undefined;
  if (viaOci?.ok) return { ...viaOci.target, helmChart: true };
  return helmRepositoryChartTarget(index, options, release, undefined);
}
