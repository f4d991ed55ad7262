// Orchestrates the workspace-wide live diagnostics: resolves every OCIRepository and every HelmRelease's chart (bounded
// concurrency, cancellable), reports an unreachable HOST once (on the first source using it) and other registry trouble
// once per repository, and files both ends of mismatches.
import type { FluxDiagnostic } from '../diagnostic';
import type { HelmReleaseModel } from '../manifests/object-types';
import type { Range } from '../text-range';
import type { WorkspaceIndex } from '../workspace/workspace-index';
import { mapBounded } from './bounded';
import { effectiveOciModels } from './effective-models';
import { chartRefNotHelmChart, chartVersionMismatch, chartVersionNoMatch, hostProblemDiagnostic, ociRepositoryDiagnostics, registryProblemDiagnostic } from './live-diagnostics';
import { isHostProblem, machineLooksOffline } from './unreachable-hosts';
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
  let offline: boolean | undefined;
  const reportOnce = (target: SourceTarget, resolution: LiveResolution, path: string, range: Range | undefined): boolean => {
    if (resolution.state !== 'failed') return false;
    const hostWide = isHostProblem(resolution.problem);
    const key = hostWide ? `host:${target.repository.registry}` : target.repositoryKey;
    if (range && !reported.has(key)) {
      reported.add(key);
      if (hostWide) push(path, hostProblemDiagnostic(resolution, range, (offline ??= machineLooksOffline())));
      else push(path, registryProblemDiagnostic(resolution, range));
    }
    return true;
  };
  // One check per distinct effective model (each Flux Kustomization applying the source differently).
  const repos = index.ociRepositories().flatMap((r) => {
    const effectives = effectiveOciModels(index, r.model);
    return effectives.map((e) => ({ ...r, effective: e, several: effectives.length > 1 }));
  });
  const resolved = await mapBounded(
    repos,
    options.concurrency,
    async (r) => {
      const target = ociRepositoryTarget(index, options, r.effective.model);
      return target.ok ? { target: target.target, resolution: await deps.resolveTarget(target.target) } : undefined;
    },
    signal,
  );
  // The same finding from several Kustomizations is one diagnostic naming them all.
  const findings = new Map<string, { path: string; diagnostic: FluxDiagnostic; kustomizations: string[]; several: boolean }>();
  repos.forEach((r, i) => {
    const hit = resolved[i];
    if (!hit || reportOnce(hit.target, hit.resolution, r.path, r.model.url?.range)) return;
    if (!out.has(r.path)) return;
    // Fixes edit the text as written: where a value comes from a variable, there is nothing right to write there.
    const viaVariables = r.effective.variables.length > 0;
    for (const d of ociRepositoryDiagnostics(index.textOf(r.path) ?? '', r.model, hit.resolution, options)) {
      const key = `${r.path}\u0000${d.code}\u0000${d.message}\u0000${d.range.start.line}`;
      const found = findings.get(key);
      if (found) found.kustomizations.push(...r.effective.kustomizations);
      else findings.set(key, { path: r.path, diagnostic: viaVariables ? { ...d, fixes: undefined } : d, kustomizations: [...r.effective.kustomizations], several: r.several || viaVariables });
    }
  });
  for (const { path, diagnostic, kustomizations, several } of findings.values()) {
    const { fixes, ...rest } = diagnostic;
    const shown: FluxDiagnostic = { ...rest, message: several && kustomizations.length ? `${rest.message} (as applied by ${kustomizations.join(', ')})` : rest.message, ...(fixes ? { fixes } : {}) };
    push(path, shown);
  }
  await mapBounded(
    index.helmReleases(),
    options.concurrency,
    async ({ path, model }) => {
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
    },
    signal,
  );
  return out;
}
