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
import { releaseChartVariants, type ReleaseChart } from './release-chart';
import { ociRepositoryTarget, type SourceTarget } from './source-targets';
import { VariantFindings } from './variant-findings';

/** What the orchestration needs from the live service: resolution (cached there) and the values checks. */
export interface LiveDiagnosticsDeps {
  index: WorkspaceIndex;
  options: LiveOptions;
  resolveTarget(target: SourceTarget): Promise<LiveResolution>;
  /** The chart of one effective release (a variant), its source read as `cluster` applies it. */
  releaseChart(release: HelmReleaseModel, cluster: string | undefined): Promise<ReleaseChart | undefined>;
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
  // Per source, the same finding from several Kustomizations is one diagnostic; it names them where it holds for
  // only some, or where its value came through a variable.
  const perSource = new Map<string, { findings: VariantFindings; all: string[]; several: boolean }>();
  repos.forEach((r, i) => {
    const key = `${r.path}\u0000${r.model.object.documentIndex}`;
    const source = perSource.get(key) ?? { findings: new VariantFindings(), all: [], several: r.several };
    perSource.set(key, source);
    source.all.push(...r.effective.kustomizations);
    const hit = resolved[i];
    if (!hit || reportOnce(hit.target, hit.resolution, r.path, r.model.url?.range)) return;
    if (!out.has(r.path)) return;
    // Fixes edit the text as written: where a value comes from a variable, there is nothing right to write there.
    const viaVariables = r.effective.variables.length > 0;
    for (const d of ociRepositoryDiagnostics(index.textOf(r.path) ?? '', r.model, hit.resolution, options)) {
      source.findings.add(r.path, viaVariables ? { ...d, fixes: undefined } : d, r.effective.kustomizations, viaVariables);
    }
  });
  for (const { findings, all, several } of perSource.values()) for (const { path, diagnostic } of findings.results(several ? all : undefined)) push(path, diagnostic);
  // A release is checked once per variant whose chart differs (an overlay's version, a per-cluster source); a finding
  // that holds for only some variants names them. Zero or one variant: the release as written, as before.
  await mapBounded(
    index.helmReleases(),
    options.concurrency,
    async ({ path, model }) => {
      const variants = releaseChartVariants(index, options, model);
      const several = variants.length > 1;
      const findings = new VariantFindings();
      for (const variant of variants) {
        const release = several ? variant.model : model;
        const chart = await deps.releaseChart(variant.model, variant.clusters[0]);
        if (!chart) continue;
        // A fix edits the written value; where this variant's version is not the written one, it would not help.
        const rewritten = several && release.chart?.version?.value !== model.chart?.version?.value;
        const add = (p: string, d: FluxDiagnostic | undefined): void => findings.add(p, d && rewritten ? { ...d, fixes: undefined } : d, variant.kustomizations);
        const releaseName = `${release.object.namespace}/${release.object.name}`;
        if (chart.repository) {
          if (chart.resolution.state === 'failed') continue;
          if (chart.repository.via === 'chartRef') add(path, chartRefNotHelmChart(release, chart.repository.name, chart.resolution));
          const ends = chartVersionMismatch(release, releaseName, chart.repository.model, chart.repository.name, chart.resolution);
          add(path, ends.release);
          add(chart.repository.path, ends.repository);
        } else {
          if (reportOnce(chart.target, chart.resolution, path, release.chart?.chart?.range)) continue;
          add(path, chartVersionNoMatch(index.textOf(path) ?? '', release, chart.resolution));
        }
        if (out.has(path) && release.values) for (const d of await deps.valuesSchemaDiagnostics(path, release, chart)) add(path, d);
        if (out.has(path) && release.values && deps.upgradeDiagnostics) for (const d of await deps.upgradeDiagnostics(path, release, chart)) add(path, d);
      }
      for (const found of findings.results(several ? variants.flatMap((v) => v.kustomizations) : undefined)) push(found.path, found.diagnostic);
    },
    signal,
  );
  return out;
}
