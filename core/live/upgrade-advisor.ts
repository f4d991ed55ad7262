// Upgrade safety in the live engine: which version steps matter for a release (the move its range made now, the newer
// version outside it), their reports from the pulled charts, and the diagnostics on the values they break. No LSP types.
import type { FluxDiagnostic } from '../diagnostic';
import type { HelmReleaseModel, OCIRepositoryModel } from '../manifests/object-types';
import { asMap, getMap, getNode } from '../manifests/yaml-ast';
import type { RegistryClient } from '../oci/registry-client';
import type { WorkspaceIndex } from '../workspace/workspace-index';
import { isCancellation } from './bounded';
import { chartDownloadDeadline } from './chart-values';
import { goDurationMs } from './go-duration';
import { toValueNode, type ValueNode } from './json-schema-validate';
import type { LiveOptions } from './live-options';
import type { LiveResolution } from './live-resolution';
import { releaseOciSource, type ReleaseChart } from './release-chart';
import { ChartVersionLoader } from './upgrade-charts';
import { buildUpgradeReport, type UpgradeReport } from './upgrade-report';

export const UPGRADE_CODES = {
  /** The version the range resolves to now drops or rejects a value the release sets (compared with the match before it). */
  breaksNow: 'live-upgrade-breaks',
  /** Only the newer version outside the range would drop or reject it. */
  wouldBreak: 'live-upgrade-would-break',
} as const;

export interface UpgradeStep {
  from: string;
  to: string;
  /** 'now': the range already selects `to` (`from` is the match before it); 'next': `to` is newer, outside the range. */
  when: 'now' | 'next';
}

/** A report, and whether its source is reached over plain HTTP (`insecure: true`), for pulling the same versions again. */
export type ReportResult = { ok: true; report: UpgradeReport; insecure: boolean } | { ok: false; message: string };

export interface UpgradeCall {
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

/** Whether a resolution names a Helm chart (only charts have upgrade reports: Flux artifacts and images have no values.yaml). */
export function isChartResolution(resolution: LiveResolution): boolean {
  return resolution.artifact ? resolution.artifact.kind === 'helm-chart' : resolution.helmChart;
}

/** The version moves worth a report for a resolution: the one a semver range made, and the one to the newer version outside it. */
export function upgradeSteps(resolution: LiveResolution): { now?: UpgradeStep; next?: UpgradeStep } {
  if (resolution.state !== 'resolved' || !resolution.tag) return {};
  const out: { now?: UpgradeStep; next?: UpgradeStep } = {};
  const previous = resolution.ref.kind === 'semver' && resolution.matching[0] === resolution.tag ? resolution.matching[1] : undefined;
  if (previous) out.now = { from: previous, to: resolution.tag, when: 'now' };
  if (resolution.newerOutside && resolution.newerOutside !== resolution.tag) out.next = { from: resolution.tag, to: resolution.newerOutside, when: 'next' };
  return out;
}

function releaseSpec(index: WorkspaceIndex, path: string, release: HelmReleaseModel) {
  const doc = index.documents(path).find((d) => d.documentIndex === release.object.documentIndex);
  const parsed = doc?.result.parsed;
  return { doc, parsed, spec: getMap(asMap(parsed?.doc.contents), 'spec') };
}

/** A release's spec.values with file ranges, when it sets any. */
export function releaseValuesNode(index: WorkspaceIndex, path: string, release: HelmReleaseModel): ValueNode | undefined {
  const { doc, parsed, spec } = releaseSpec(index, path, release);
  const node = getNode(spec, 'values');
  return doc && parsed && node ? toValueNode(node, parsed.lineMap, doc.startLine) : undefined;
}

/** `HelmRelease ns/name`, saying so when spec.valuesFrom adds values the report cannot see. */
export function releaseValuesLabel(index: WorkspaceIndex, path: string, release: HelmReleaseModel): string {
  const from = getNode(releaseSpec(index, path, release).spec, 'valuesFrom');
  return `${releaseLabel(release)}${from ? ' (spec.valuesFrom not included)' : ''}`;
}

/** The HelmReleases whose chart comes from this OCIRepository, those with values first. */
export function releasesUsing(index: WorkspaceIndex, path: string, model: OCIRepositoryModel): Array<{ path: string; model: HelmReleaseModel }> {
  const using = index.helmReleases().filter((r) => {
    const source = releaseOciSource(index, r.model);
    return source?.path === path && source.model.object.documentIndex === model.object.documentIndex;
  });
  return [...using.filter((r) => r.model.values), ...using.filter((r) => !r.model.values)];
}

export const releaseLabel = (release: HelmReleaseModel): string => `HelmRelease ${release.object.namespace}/${release.object.name}`;

function whatSelects(resolution: LiveResolution): string {
  return resolution.range !== undefined ? `the range ${resolution.range}` : 'the source';
}

export class UpgradeAdvisor {
  private readonly charts: ChartVersionLoader;

  constructor(
    private readonly client: RegistryClient,
    private readonly options: () => LiveOptions,
    now: () => number,
  ) {
    this.charts = new ChartVersionLoader(() => this.options().resolutionTtlMs, now);
  }

  /** The report for one step of a release's chart (both versions pulled and verified, cached per digest). */
  async report(
    chart: Pick<ReleaseChart, 'target' | 'resolution' | 'repository'>,
    step: Pick<UpgradeStep, 'from' | 'to'>,
    values: ValueNode | undefined,
    valuesOf: string | undefined,
    call: UpgradeCall,
  ): Promise<ReportResult> {
    const cacheDir = this.options().chartCacheDir;
    if (!cacheDir) return { ok: false, message: 'No chart cache folder is configured.' };
    const { target } = chart;
    // Reports feed hovers, lenses and diagnostics: each chart download is bounded like any live answer's.
    const deadline = chartDownloadDeadline(goDurationMs(chart.repository?.model.timeout?.value), this.client.requestTimeoutMs);
    const load = (reference: string) => {
      call.onProgress?.(`Pulling chart ${target.url}:${reference}…`);
      return this.charts.load(`${target.repositoryKey}|${target.key}`, {
        client: this.client,
        repository: target.repository,
        request: { ...target.credentials, signal: call.signal },
        reference,
        cacheDir,
        deadline,
      });
    };
    // A load shared with a caller who cancelled fails with that cancellation: load again for this caller.
    const loadForMe = (reference: string) =>
      load(reference).catch((error: unknown) => {
        if (isCancellation(error) && !call.signal?.aborted) return load(reference);
        throw error;
      });
    try {
      const [from, to] = await Promise.all([loadForMe(step.from), loadForMe(step.to)]);
      if (!from.ok) return from;
      if (!to.ok) return to;
      const report = await buildUpgradeReport({ source: target.url, from: from.chart, to: to.chart, ...(values ? { release: values } : {}), ...(valuesOf ? { valuesOf } : {}) });
      return { ok: true, report, insecure: target.repository.insecure === true };
    } catch (error) {
      // Only the caller's own cancellation travels on; a cache file that cannot be read is a report that cannot be made.
      if (isCancellation(error, call.signal)) throw error;
      return { ok: false, message: `The upgrade report from ${step.from} to ${step.to} could not be made: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  /** Warnings on values the version selected now drops or rejects, and hints on those only the newer version would. */
  async diagnostics(index: WorkspaceIndex, path: string, release: HelmReleaseModel, chart: ReleaseChart, call: UpgradeCall): Promise<FluxDiagnostic[]> {
    const values = releaseValuesNode(index, path, release);
    if (!values || !isChartResolution(chart.resolution)) return [];
    const steps = upgradeSteps(chart.resolution);
    const wanted = [steps.now, this.options().newerVersionHints ? steps.next : undefined].filter((s): s is UpgradeStep => s !== undefined);
    const out: FluxDiagnostic[] = [];
    const warned = new Set<string>();
    for (const step of wanted) {
      const result = await this.report(chart, step, values, releaseLabel(release), call);
      if (!result.ok) continue;
      const { report } = result;
      for (const finding of report.findings) {
        if (finding.level !== 'breaking' || !finding.range || (finding.topic !== 'value' && finding.topic !== 'schema')) continue;
        // A hint only where the version selected now does not already break the value.
        if (step.when === 'now') warned.add(finding.subject);
        else if (warned.has(finding.subject)) continue;
        const lead =
          step.when === 'now'
            ? `Chart ${report.chart} ${step.to}, which ${whatSelects(chart.resolution)} resolves to now (after ${step.from}), breaks this value at the next reconcile: `
            : `Upgrading chart ${report.chart} from ${step.from} to ${step.to} (${chart.resolution.range !== undefined ? `outside the range ${chart.resolution.range}` : `the source pins ${step.from}`}) would break this value: `;
        out.push({
          severity: step.when === 'now' ? 'warning' : 'hint',
          code: step.when === 'now' ? UPGRADE_CODES.breaksNow : UPGRADE_CODES.wouldBreak,
          message: `${lead}${finding.message}`,
          range: finding.range,
        });
      }
    }
    return out;
  }

  clear(): void {
    this.charts.clear();
  }
}
