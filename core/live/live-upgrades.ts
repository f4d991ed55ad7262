// The live upgrade views of a workspace: the "Upgrading to X" hover section, the "Preview Upgrade to X…" lenses and
// the report behind them, per variant of an object its Kustomizations apply differently. The report is upgrade-advisor's.
import type { HelmReleaseModel, OCIRepositoryModel } from '../manifests/object-types';
import type { Position, Range } from '../text-range';
import type { WorkspaceIndex } from '../workspace/workspace-index';
import type { CallOptions } from './call-options';
import type { DocumentModels } from './document-models';
import { effectiveOciModels, type EffectiveModel } from './effective-models';
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
   * Set when an object's variants do not all upgrade alike: the Flux Kustomizations (namespace/name) whose variant this
   * upgrade is, the first of which picks it in upgradeReportAt.
   */
  kustomizations?: string[];
}

/** Which upgrade to report: the variant applied by `kustomization`, else the one upgrading to `to`. */
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
  withProgress(call: CallOptions): CallOptions;
}

/** The chart an upgrade is about, the release whose values count, and the Kustomizations it is only for (variants differ). */
interface UpgradeSubject {
  chart: ReleaseChart;
  release: { path: string; model: HelmReleaseModel } | undefined;
  only: string[] | undefined;
}

/** One variant's chart (as its own cluster applies it) and the upgrade its source offers next. */
interface VariantUpgrade {
  kustomizations: string[];
  chart: ReleaseChart;
  next: UpgradeStep | undefined;
}

/** The variant `choice` names (its Kustomization, else the one upgrading to `to`), else the first with a newer version, else the first. */
function pickVariant(upgrades: readonly VariantUpgrade[], { kustomization, to }: UpgradeChoice): VariantUpgrade | undefined {
  return (
    (kustomization !== undefined ? upgrades.find((u) => u.kustomizations.includes(kustomization)) : undefined) ??
    (to !== undefined ? upgrades.find((u) => u.next?.to === to) : undefined) ??
    upgrades.find((u) => u.next) ??
    upgrades[0]
  );
}

/** The picked variant's Kustomizations when the variants do not all upgrade alike (so a hover does not speak for all). */
function onlyFor(upgrades: readonly VariantUpgrade[], picked: VariantUpgrade): string[] | undefined {
  const alike = upgrades.every((u) => u.next?.from === picked.next?.from && u.next?.to === picked.next?.to);
  return alike || !picked.kustomizations.length ? undefined : picked.kustomizations;
}

/** One lens per distinct upgrade at `range`, named after its Kustomizations unless every variant upgrades alike. */
function lensesAt(range: Range, upgrades: readonly VariantUpgrade[]): UpgradeLens[] {
  const distinct = new Map<string, { to: string; kustomizations: string[] }>();
  for (const { next, kustomizations } of upgrades) {
    if (!next) continue;
    const key = `${next.from}\u0000${next.to}`;
    const entry = distinct.get(key) ?? { to: next.to, kustomizations: [] };
    entry.kustomizations.push(...kustomizations);
    distinct.set(key, entry);
  }
  const alike = distinct.size === 1 && upgrades.every((u) => u.next);
  return [...distinct.values()].map(({ to, kustomizations }) => ({ range, to, ...(alike || !kustomizations.length ? {} : { kustomizations }) }));
}

export class LiveUpgrades {
  constructor(private readonly deps: LiveUpgradesDeps) {}

  /** A release's chart variants that resolve to a chart, each with its next upgrade: one entry when all apply it alike. */
  private async releaseUpgrades(release: HelmReleaseModel, call: CallOptions): Promise<VariantUpgrade[]> {
    const out: VariantUpgrade[] = [];
    for (const { effective, chart } of await this.deps.releaseCharts(release, call)) {
      if (chart && isChartResolution(chart.resolution)) out.push({ kustomizations: effective.kustomizations, chart, next: upgradeSteps(chart.resolution).next });
    }
    return out;
  }

  /** An OCIRepository's variants that resolve to a chart (one per distinct registry target), each with its next upgrade. */
  private async sourceUpgrades(path: string, source: OCIRepositoryModel, call: CallOptions): Promise<VariantUpgrade[]> {
    const { index } = this.deps;
    const byTarget = new Map<string, VariantUpgrade | undefined>();
    const out: VariantUpgrade[] = [];
    for (const effective of effectiveOciModels(index, source)) {
      const target = ociRepositoryTarget(index, this.deps.options(), effective.model, effective.clusters[0]);
      if (!target.ok) continue;
      if (byTarget.has(target.target.key)) {
        byTarget.get(target.target.key)?.kustomizations.push(...effective.kustomizations);
        continue;
      }
      const resolution = await this.deps.resolveTarget(target.target, call);
      const upgrade = isChartResolution(resolution)
        ? {
            kustomizations: [...effective.kustomizations],
            chart: { target: target.target, resolution, repository: { path, model: source, name: `${source.object.namespace}/${source.object.name}`, via: 'chartRef' as const } },
            next: upgradeSteps(resolution).next,
          }
        : undefined;
      byTarget.set(target.target.key, upgrade);
      if (upgrade) out.push(upgrade);
    }
    return out;
  }

  /**
   * The chart source under a position (an OCIRepository, or a HelmRelease's chart) and the release whose values count.
   * For an object applied differently by several Kustomizations: the variant `choice` picks (see pickVariant).
   */
  private async upgradeSubject(path: string, position: Position, call: CallOptions, choice: UpgradeChoice = {}): Promise<UpgradeSubject | undefined> {
    const at = this.deps.models.at(path, position);
    let upgrades: VariantUpgrade[];
    let release: UpgradeSubject['release'];
    if (at?.helm) {
      upgrades = await this.releaseUpgrades(at.helm, call);
      release = { path, model: at.helm };
    } else if (at?.oci) {
      upgrades = await this.sourceUpgrades(path, at.oci, call);
      release = releasesUsing(this.deps.index, path, at.oci)[0];
    } else {
      return undefined;
    }
    const picked = pickVariant(upgrades, choice);
    return picked && { chart: picked.chart, release, only: onlyFor(upgrades, picked) };
  }

  /**
   * The upgrade report for the source or release under a position, to `to` (default: the newer version outside the
   * range, else the version the range moved to); undefined when nothing there has a chart.
   */
  async reportAt(path: string, position: Position, choice: UpgradeChoice = {}, call: CallOptions = {}): Promise<ReportResult | undefined> {
    const blocked = networkBlockedReason(this.deps.options());
    if (blocked) return { ok: false, message: blocked };
    const subject = await this.upgradeSubject(path, position, call, choice);
    return subject && this.report(subject, choice.to, call);
  }

  /** The report for a subject, to `to` (default: the newer version outside the range, else the one the range moved to). */
  private async report(subject: UpgradeSubject, to: string | undefined, call: CallOptions): Promise<ReportResult> {
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
    const result = await this.report(subject, next.to, call);
    const report = result.ok ? renderUpgradeHoverSection(result.report) : `**Upgrading to ${inertMarkdown(next.to)}**: no report (${inertMarkdown(result.message)})`;
    const section = subject.only ? `${report}\n\n(as applied by ${subject.only.map(inertMarkdown).join(', ')})` : report;
    return { ...hover, markdown: `${hover.markdown}\n\n---\n\n${section}`, upgradeTo: next.to };
  }

  /** "Preview Upgrade to X…" places: each release's chart source field and each OCIRepository ref with a newer version outside it. */
  async lenses(path: string, call: CallOptions = {}): Promise<UpgradeLens[]> {
    if (networkBlockedReason(this.deps.options())) return [];
    const out: UpgradeLens[] = [];
    for (const { model } of this.deps.index.helmReleases().filter((r) => r.path === path)) {
      const range = model.chartRef?.name?.range ?? model.chart?.chart?.range;
      if (range) out.push(...lensesAt(range, await this.releaseUpgrades(model, call)));
    }
    for (const { model } of this.deps.index.ociRepositories().filter((r) => r.path === path)) {
      const range = model.ref?.semver?.range ?? model.ref?.tag?.range;
      if (range) out.push(...lensesAt(range, await this.sourceUpgrades(path, model, call)));
    }
    return out;
  }
}
