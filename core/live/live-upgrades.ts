// The live upgrade views of a workspace: the "Upgrading to X" hover section, the "Preview Upgrade to X…" lenses and
// the report behind them, per variant of a release its Kustomizations apply differently. The report is upgrade-advisor's.
import type { HelmReleaseModel, OCIRepositoryModel } from '../manifests/object-types';
import type { Position, Range } from '../text-range';
import type { WorkspaceIndex } from '../workspace/workspace-index';
import type { CallOptions } from './call-options';
import type { DocumentModels } from './document-models';
import type { EffectiveModel } from './effective-models';
import type { LiveOptions } from './live-options';
import { networkBlockedReason } from './live-options';
import type { LiveResolution } from './live-resolution';
import type { LiveHover } from './live-service';
import type { ReleaseChart } from './release-chart';
import { ociRepositoryTarget, type SourceTarget } from './source-targets';
import { isChartResolution, releasesUsing, releaseValuesLabel, releaseValuesNode, upgradeSteps, type ReportResult, type UpgradeAdvisor, type UpgradeStep } from './upgrade-advisor';
import { inertMarkdown, renderUpgradeHoverSection } from './upgrade-render';

/** Where "Preview Upgrade to X…" applies in a file: the field it sits on and the version it previews. */
export interface UpgradeLens {
  range: Range;
  to: string;
  /**
   * Set when a release's variants do not all upgrade alike: the Flux Kustomizations (namespace/name) whose variant this
   * upgrade is, the first of which picks it in upgradeReportAt.
   */
  kustomizations?: string[];
}

/** Which upgrade of a release to report: its variant applied by `kustomization`, else the one upgrading to `to`. */
export interface UpgradeChoice {
  to?: string;
  kustomization?: string;
}

/** What the upgrade views need from the live service: its index and models, and how it resolves sources. */
export interface LiveUpgradesDeps {
  index: WorkspaceIndex;
  models: DocumentModels;
  options: () => LiveOptions;
  advisor: UpgradeAdvisor;
  releaseCharts(release: HelmReleaseModel, call: CallOptions): Promise<Array<{ effective: EffectiveModel<HelmReleaseModel>; chart: ReleaseChart | undefined }>>;
  resolveTarget(target: SourceTarget, call: CallOptions): Promise<LiveResolution>;
  resolveRepository(path: string, model: OCIRepositoryModel, call: CallOptions): Promise<LiveResolution | undefined>;
  withProgress(call: CallOptions): CallOptions;
}

export class LiveUpgrades {
  constructor(private readonly deps: LiveUpgradesDeps) {}

  /**
   * A release's chart variants that resolve to a chart, each with the upgrade its source offers next (as its own
   * cluster applies it): one entry for a release that every Kustomization applies alike.
   */
  private async releaseUpgrades(release: HelmReleaseModel, call: CallOptions) {
    const out: Array<{ kustomizations: string[]; chart: ReleaseChart; next: UpgradeStep | undefined }> = [];
    for (const { effective, chart } of await this.deps.releaseCharts(release, call)) {
      if (chart && isChartResolution(chart.resolution)) out.push({ kustomizations: effective.kustomizations, chart, next: upgradeSteps(chart.resolution).next });
    }
    return out;
  }

  /**
   * The chart source under a position (an OCIRepository, or a HelmRelease's chart) and the release whose values count.
   * For a release applied differently by several Kustomizations: the variant `choice` names, else the first with a newer
   * version, else the first.
   */
  private async upgradeSubject(path: string, position: Position, call: CallOptions, choice: UpgradeChoice = {}) {
    const at = this.deps.models.at(path, position);
    if (at?.helm) {
      const upgrades = await this.releaseUpgrades(at.helm, call);
      const { kustomization, to } = choice;
      const picked =
        (kustomization !== undefined ? upgrades.find((u) => u.kustomizations.includes(kustomization)) : undefined) ??
        (to !== undefined ? upgrades.find((u) => u.next?.to === to) : undefined) ??
        upgrades.find((u) => u.next) ??
        upgrades[0];
      if (!picked) return undefined;
      // Named when the variants do not all upgrade alike, so that a hover does not speak for every cluster.
      const alike = upgrades.every((u) => u.next?.from === picked.next?.from && u.next?.to === picked.next?.to);
      return { chart: picked.chart, release: { path, model: at.helm }, ...(alike || !picked.kustomizations.length ? {} : { only: picked.kustomizations }) };
    }
    if (!at?.oci) return undefined;
    const target = ociRepositoryTarget(this.deps.index, this.deps.options(), at.oci);
    if (!target.ok) return undefined;
    const resolution = await this.deps.resolveTarget(target.target, call);
    if (!isChartResolution(resolution)) return undefined;
    const chart = { target: target.target, resolution, repository: { path, model: at.oci, name: `${at.oci.object.namespace}/${at.oci.object.name}`, via: 'chartRef' as const } };
    return { chart, release: releasesUsing(this.deps.index, path, at.oci)[0] };
  }

  /**
   * The upgrade report for the source or release under a position, to `to` (default: the newer version outside the
   * range, else the version the range moved to); undefined when nothing there has a chart.
   */
  async reportAt(path: string, position: Position, choice: UpgradeChoice = {}, call: CallOptions = {}): Promise<ReportResult | undefined> {
    const blocked = networkBlockedReason(this.deps.options());
    if (blocked) return { ok: false, message: blocked };
    const { to } = choice;
    const subject = await this.upgradeSubject(path, position, call, choice);
    if (!subject) return undefined;
    const { resolution } = subject.chart;
    const steps = upgradeSteps(resolution);
    const step = to && resolution.tag ? { from: resolution.tag, to } : (steps.next ?? steps.now);
    if (!step) return { ok: false, message: resolution.tag ? `No newer version than ${resolution.tag} was found in ${resolution.url}.` : `${resolution.url} does not resolve to a chart version now.` };
    const release = subject.release;
    const values = release ? releaseValuesNode(this.deps.index, release.path, release.model) : undefined;
    return this.deps.advisor.report(subject.chart, step, values, release ? releaseValuesLabel(this.deps.index, release.path, release.model) : undefined, this.deps.withProgress(call));
  }

  /** Appends "Upgrading to X" to a source hover when a newer version exists outside the range. */
  async withSection(path: string, position: Position, hover: LiveHover, call: CallOptions): Promise<LiveHover> {
    const subject = await this.upgradeSubject(path, position, call);
    const next = subject ? upgradeSteps(subject.chart.resolution).next : undefined;
    if (!subject || !next) return hover;
    const result = await this.reportAt(path, position, { to: next.to }, call);
    if (!result) return hover;
    const report = result.ok ? renderUpgradeHoverSection(result.report) : `**Upgrading to ${inertMarkdown(next.to)}**: no report (${inertMarkdown(result.message)})`;
    const section = 'only' in subject && subject.only ? `${report}\n\n(as applied by ${subject.only.map(inertMarkdown).join(', ')})` : report;
    return { ...hover, markdown: `${hover.markdown}\n\n---\n\n${section}`, upgradeTo: next.to };
  }

  /** "Preview Upgrade to X…" places: each release's chart source field and each OCIRepository ref with a newer version outside it. */
  async lenses(path: string, call: CallOptions = {}): Promise<UpgradeLens[]> {
    if (networkBlockedReason(this.deps.options())) return [];
    const out: UpgradeLens[] = [];
    for (const { model } of this.deps.index.helmReleases().filter((r) => r.path === path)) {
      const range = model.chartRef?.name?.range ?? model.chart?.chart?.range;
      if (!range) continue;
      // One lens per distinct upgrade; named after its Kustomizations unless every variant upgrades alike.
      const upgrades = await this.releaseUpgrades(model, call);
      const distinct = new Map<string, { to: string; kustomizations: string[] }>();
      for (const { next, kustomizations } of upgrades) {
        if (!next) continue;
        const key = `${next.from}\u0000${next.to}`;
        const entry = distinct.get(key) ?? { to: next.to, kustomizations: [] };
        entry.kustomizations.push(...kustomizations);
        distinct.set(key, entry);
      }
      const alike = distinct.size === 1 && upgrades.every((u) => u.next);
      for (const { to, kustomizations } of distinct.values()) out.push({ range, to, ...(alike || !kustomizations.length ? {} : { kustomizations }) });
    }
    for (const { model } of this.deps.index.ociRepositories().filter((r) => r.path === path)) {
      const range = model.ref?.semver?.range ?? model.ref?.tag?.range;
      const resolution = range ? await this.deps.resolveRepository(path, model, call) : undefined;
      const next = resolution && isChartResolution(resolution) ? upgradeSteps(resolution).next : undefined;
      if (range && next) out.push({ range, to: next.to });
    }
    return out;
  }
}
