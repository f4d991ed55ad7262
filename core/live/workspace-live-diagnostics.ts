// Orchestrates the workspace-wide live diagnostics: resolves every OCIRepository and every HelmRelease's chart (bounded
// concurrency, cancellable), reports an unreachable registry once per repository, and files both ends of mismatches.
import type { FluxDiagnostic } from '../diagnostic';
import type { HelmReleaseModel } from '../manifests/object-types';
import type { Range } from '../text-range';
import type { WorkspaceIndex } from '../workspace/workspace-index';
import { mapBounded } from './bounded';
import { chartRefNotHelmChart, chartVersionMismatch, chartVersionNoMatch, ociRepositoryDiagnostics, registryProblemDiagnostic } from './live-diagnostics';
import { networkBlockedReason, type LiveOptions } from './live-options';
import type { LiveResolution } from './live-resolution';
import type { ReleaseChart } from './release-chart';
import { ociRepositoryTarget, type SourceTarget } from './source-targets';

/** What the orchestration needs from the live service: resolution (cached there) and the values checks. */
export interface LiveDiagnosticsDeps {
  index: WorkspaceIndex;
  options: LiveOptions;
  resolveTarget(target: SourceTarget): Promise<LiveResolution>;
  releaseChart(release: HelmReleaseModel): Promise<ReleaseChart | undefined>;
  valuesSchemaDiagnostics(path: string, release: HelmReleaseModel, chart: ReleaseChart): Promise<FluxDiagnostic[]>;
  /** Values the chart version selected now (or a newer one) drops or rejects. */
  upgradeDiagnostics?(path: string, release: HelmReleaseModel, chart: ReleaseChart): Promise<FluxDiagnostic[]>;
}

/** Live diagnostics grouped by file (every file when `paths` is omitted); includes both ends of version mismatches. */
export async function collectLiveDiagnostics(deps: LiveDiagnosticsDeps, paths: readonly string[] | undefined, signal: AbortSignal | undefined): Promise<Map<string, FluxDiagnostic[]>> {
  const { index, options } = deps;
  const out = new Map<string, FluxDiagnostic[]>();
  for (const p of paths ?? index.files()) out.set(p, []);
  const push = (path: string, d: FluxDiagnostic | undefined): void => {
    if (d) out.get(path)?.push(d);
  };
  if (networkBlockedReason(options)) return out;
  const reported = new Set<string>();
  const reportOnce = (target: SourceTarget, resolution: LiveResolution, path: string, range: Range | undefined): boolean => {
    if (resolution.state !== 'failed') return false;
    if (range && !reported.has(target.repositoryKey)) {
      reported.add(target.repositoryKey);
      push(path, registryProblemDiagnostic(resolution, range));
    }
    return true;
  };
  const repos = index.ociRepositories();
  const resolved = await mapBounded(repos, options.concurrency, async (r) => {
    const target = ociRepositoryTarget(index, options, r.model);
    return target.ok ? { target: target.target, resolution: await deps.resolveTarget(target.target) } : undefined;
  }, signal);
  repos.forEach((r, i) => {
    const hit = resolved[i];
    if (!hit || reportOnce(hit.target, hit.resolution, r.path, r.model.url?.range)) return;
    if (!out.has(r.path)) return;
    for (const d of ociRepositoryDiagnostics(index.textOf(r.path) ?? '', r.model, hit.resolution, options)) push(r.path, d);
  });
  await mapBounded(index.helmReleases(), options.concurrency, async ({ path, model }) => {
    const chart = await deps.releaseChart(model);
    if (!chart) return;
    const releaseName = `${model.object.namespace}/${model.object.name}`;
    if (chart.repository) {
      if (chart.resolution.state === 'failed') return;
      if (chart.repository.via === 'chartRef') push(path, chartRefNotHelmChart(model, chart.repository.name, chart.resolution));
      const ends = chartVersionMismatch(model, releaseName, chart.repository.model, chart.repository.name, chart.resolution);
      push(path, ends.release);
      push(chart.repository.path, ends.repository);
    } else {
      if (reportOnce(chart.target, chart.resolution, path, model.chart?.chart?.range)) return;
      push(path, chartVersionNoMatch(index.textOf(path) ?? '', model, chart.resolution));
    }
    if (out.has(path) && model.values) for (const d of await deps.valuesSchemaDiagnostics(path, model, chart)) push(path, d);
    if (out.has(path) && model.values && deps.upgradeDiagnostics) for (const d of await deps.upgradeDiagnostics(path, model, chart)) push(path, d);
  }, signal);
  return out;
}
