// The live (registry-backed) engine behind hover, completion, inlay hints, diagnostics and quick fixes: one cached,
// cancellable resolution per registry target, composed with the per-feature modules. No LSP or vscode types.
import { isHostProblem } from './unreachable-hosts';
import type { Fix, FluxDiagnostic } from '../diagnostic';
import { completionContext } from '../manifests/completion-context';
import type { HelmReleaseModel, OCIRepositoryModel } from '../manifests/object-types';
import type { RegistryClient } from '../oci/registry-client';
import type { Position, Range } from '../text-range';
import type { WorkspaceIndex } from '../workspace/workspace-index';
import { isCancellation } from './bounded';
import type { CallOptions } from './call-options';
import { keysAt } from './chart-values';
import { DocumentModels, inside } from './document-models';
import { describeVariables, effectiveOciModels, type EffectiveModel } from './effective-models';
import { ImageAutomationLive, type ImagePolicySummary } from './image-automation-live';
import { valuesKeyItems, type LiveCompletionItem } from './live-completion';
import { pinActions } from './live-diagnostics';
import { renderDisabledHover, renderSourceHover } from './live-hover';
import { collectInlayHints, type LiveInlayHint } from './live-inlay-hints';
import { LiveUpgrades, type UpgradeChoice, type UpgradeLens } from './live-upgrades';
import { liveOptions, networkBlockedReason, type LiveOptions } from './live-options';
import { resolveLiveSource, type LiveResolution } from './live-resolution';
import { ChartValuesLoader, valuesKeyHover, valuesSchemaDiagnostics } from './live-values';
import { chartVersionCompletionTargets, releaseChartTarget, releaseChartVariants, variantChartTarget, type ReleaseChart } from './release-chart';
import { ResolutionCache } from './resolution-cache';
import { UpgradeAdvisor, type ReportResult } from './upgrade-advisor';
import { ociRepositoryListingTargets, ociRepositoryTarget, type SourceTarget, type VariantTarget } from './source-targets';
import { mergeVariantItems, variantCompletionItems, type VariantItems } from './variant-completion';
import { valuesKeyContext } from './values-path';
import { collectLiveDiagnostics } from './workspace-live-diagnostics';

export type { LiveInlayHint } from './live-inlay-hints';
export type { ImagePolicySummary } from './image-automation-live';
export type { UpgradeChoice, UpgradeLens } from './live-upgrades';
export type { CallOptions } from './call-options';

export interface LiveHover {
  markdown: string;
  range: Range;
  /** Set when the hover carries an "Upgrading to X" section: the version X. */
  upgradeTo?: string;
}

export class LiveService {
  private options: LiveOptions;
  private readonly resolutions: ResolutionCache<LiveResolution>;
  private readonly chartValues: ChartValuesLoader;
  private readonly digests = new Map<string, Promise<string | undefined>>();
  private readonly models: DocumentModels;
  private readonly images: ImageAutomationLive;
  private readonly upgrades: UpgradeAdvisor;
  private readonly upgradeViews: LiveUpgrades;
  private refreshNext = false;

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly client: RegistryClient,
    options: Partial<LiveOptions> = {},
  ) {
    this.options = liveOptions(options);
    this.resolutions = new ResolutionCache(
      () => this.options.resolutionTtlMs,
      () => this.now(),
    );
    this.chartValues = new ChartValuesLoader(client, () => this.options.chartCacheDir);
    this.models = new DocumentModels(index);
    this.images = new ImageAutomationLive(index, client, () => this.options);
    this.upgrades = new UpgradeAdvisor(
      client,
      () => this.options,
      () => this.now(),
    );
    this.upgradeViews = new LiveUpgrades({
      index,
      models: this.models,
      options: () => this.options,
      advisor: this.upgrades,
      releaseCharts: (release, call) => this.releaseCharts(release, call),
      resolveTarget: (target, call) => this.resolveTarget(target, call),
      withProgress: (call) => this.withProgress(call),
    });
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** The caller's progress reporter, else the service-wide one. */
  private withProgress(call: CallOptions): CallOptions {
    const onProgress = call.onProgress ?? this.options.onProgress;
    return { ...call, ...(onProgress ? { onProgress } : {}) };
  }

  setOptions(partial: Partial<LiveOptions>): void {
    this.options = { ...this.options, ...partial };
    this.resolutions.clear();
    this.images.clear();
  }

  /** Forget every live answer: the next request asks the registry again. */
  refresh(): void {
    this.resolutions.clear();
    this.chartValues.clear();
    this.digests.clear();
    this.upgrades.clear();
    this.client.clearCache();
    this.images.clear(true);
    this.refreshNext = true;
  }

  /**
   * Forgets the resolutions that failed because their host could not be reached (other answers stay cached), so the
   * next run asks those hosts again: the quiet retry once the network is back. Returns how many were forgotten.
   */
  forgetUnreachableHosts(): number {
    return this.resolutions.forgetWhere((r) => r.state === 'failed' && isHostProblem(r.problem));
  }

  /** Resolves a registry target (cached); without network permission, a 'disabled' resolution and no request. */
  async resolveTarget(target: SourceTarget, call: CallOptions = {}): Promise<LiveResolution> {
    const blocked = networkBlockedReason(this.options);
    if (blocked) {
      return {
        url: target.url,
        repository: target.repository,
        state: 'disabled',
        helmChart: target.helmChart,
        tags: [],
        ref: { kind: 'latest', candidates: [] },
        matching: [],
        problem: { code: 'disabled', message: blocked },
      };
    }
    const refresh = this.refreshNext;
    this.refreshNext = false;
    // The resolution is shared and outlives a cancelled caller (see ResolutionCache.run): no caller's signal reaches it.
    return this.resolutions.run(
      target.key,
      () =>
        resolveLiveSource({
          client: this.client,
          repository: target.repository,
          url: target.url,
          ref: target.ref,
          helmChart: target.helmChart,
          request: { ...target.credentials },
          refresh,
          matchingCount: this.options.hoverTagCount,
          onProgress: call.onProgress ?? this.options.onProgress,
        }),
      call.signal,
    );
  }

  /** The live resolution of one OCIRepository (undefined when it has no usable url). */
  async resolveRepository(path: string, model: OCIRepositoryModel, call: CallOptions = {}): Promise<LiveResolution | undefined> {
    void path;
    const target = ociRepositoryTarget(this.index, this.options, model);
    return target.ok ? this.resolveTarget(target.target, call) : undefined;
  }

  /** Where a HelmRelease's chart comes from and what it resolves to now. */
  private async releaseChart(release: HelmReleaseModel, call: CallOptions, cluster?: string): Promise<ReleaseChart | undefined> {
    const found = releaseChartTarget(this.index, this.options, release, cluster);
    return found ? { ...found, resolution: await this.resolveTarget(found.target, call) } : undefined;
  }

  /** The chart of one effective release (a variant of a HelmRelease), its source read as `cluster` applies it. */
  private async variantChart(release: HelmReleaseModel, cluster: string | undefined, call: CallOptions): Promise<ReleaseChart | undefined> {
    const found = variantChartTarget(this.index, this.options, release, cluster);
    return found ? { ...found, resolution: await this.resolveTarget(found.target, call) } : undefined;
  }

  /** A release's chart per distinct variant (as its own cluster applies it), for features showing every variant. */
  private async releaseCharts(release: HelmReleaseModel, call: CallOptions): Promise<Array<{ effective: EffectiveModel<HelmReleaseModel>; chart: ReleaseChart | undefined }>> {
    const out = [];
    for (const effective of releaseChartVariants(this.index, this.options, release)) out.push({ effective, chart: await this.variantChart(effective.model, effective.clusters[0], call) });
    return out;
  }

  /** Live diagnostics grouped by file (every file when `paths` is omitted); includes both ends of version mismatches. */
  async diagnosticsFor(paths?: readonly string[], call: CallOptions = {}): Promise<Map<string, FluxDiagnostic[]>> {
    const withProgress = this.withProgress(call);
    const sources = await collectLiveDiagnostics(
      {
        index: this.index,
        options: this.options,
        resolveTarget: (target) => this.resolveTarget(target, call),
        releaseChart: (release, cluster) => this.variantChart(release, cluster, call),
        valuesSchemaDiagnostics: (path, release, chart) => valuesSchemaDiagnostics(this.index, this.chartValues, path, release, chart, withProgress),
        upgradeDiagnostics: (path, release, chart) => this.upgrades.diagnostics(this.index, path, release, chart, withProgress),
      },
      paths,
      call.signal,
    );
    for (const [path, list] of await this.images.diagnostics(paths, withProgress)) {
      if (paths && !sources.has(path)) continue;
      sources.set(path, [...(sources.get(path) ?? []), ...list]);
    }
    return sources;
  }

  /** Hover: image automation (a `$imagepolicy` marker or an ImagePolicy) above the OCI source hover of the same place. */
  async hoverAt(path: string, position: Position, call: CallOptions = {}): Promise<LiveHover | undefined> {
    const image = await this.images.hoverAt(path, position, this.withProgress(call));
    const source = await this.sourceHoverAt(path, position, call);
    if (image && source) return { markdown: `${image.markdown}\n\n---\n\n${source.markdown}`, range: source.range };
    return image ?? source;
  }

  /** Hover for an OCIRepository's url/ref fields, a HelmRelease's chart source and version, and spec.values keys. */
  private async sourceHoverAt(path: string, position: Position, call: CallOptions = {}): Promise<LiveHover | undefined> {
    const at = this.models.at(path, position);
    if (at?.oci) {
      const m = at.oci;
      const fields = [m.url, m.ref?.tag, m.ref?.semver, m.ref?.digest];
      const field = fields.find((f) => f && (inside(f.range, position) || inside(f.keyRange, position)));
      if (!field) return undefined;
      const range = field.range;
      const blocked = networkBlockedReason(this.options);
      if (blocked) return { markdown: renderDisabledHover(m.url?.value, blocked), range };
      const hover = await this.variantHover(effectiveOciModels(this.index, m), range, async (model) => {
        const resolution = await this.resolveRepository(path, model, call);
        return resolution && renderSourceHover(resolution, this.now());
      });
      return hover ? this.upgradeViews.withSection(path, position, hover, call) : undefined;
    }
    if (at?.helm) {
      const m = at.helm;
      const field = [m.chart?.version, m.chart?.chart, m.chartRef?.name, m.chart?.sourceRef?.name].find((f) => f && (inside(f.range, position) || inside(f.keyRange, position)));
      if (field) {
        const blocked = networkBlockedReason(this.options);
        if (blocked) return { markdown: renderDisabledHover(undefined, blocked), range: field.range };
        const hover = await this.variantHover(releaseChartVariants(this.index, this.options, m), field.range, async (_model, effective) => {
          const chart = await this.releaseChart(m, call, effective.clusters[0]);
          return chart && renderSourceHover(chart.resolution, this.now());
        });
        return hover ? this.upgradeViews.withSection(path, position, hover, call) : undefined;
      }
      if (m.values && inside(m.values, position) && !networkBlockedReason(this.options)) {
        // One section per variant whose chart says something else about the key (a default only one version has).
        const sections: Array<{ markdown: string; kustomizations: string[] }> = [];
        let range: Range | undefined;
        const charts = await this.releaseCharts(m, call);
        for (const { effective, chart } of charts) {
          const hover = chart && (await valuesKeyHover(this.index, this.chartValues, path, position, () => Promise.resolve(chart), this.withProgress(call)));
          if (!hover) continue;
          range = hover.range;
          const same = sections.find((x) => x.markdown === hover.markdown);
          if (same) same.kustomizations.push(...effective.kustomizations);
          else sections.push({ markdown: hover.markdown, kustomizations: [...effective.kustomizations] });
        }
        if (!range || !sections.length) return undefined;
        const everywhere = sections.length === 1 && sections[0]!.kustomizations.length === charts.flatMap((c) => c.effective.kustomizations).length;
        if (charts.length === 1 || everywhere) return { markdown: sections[0]!.markdown, range };
        return { markdown: sections.map((x) => `**As applied by ${x.kustomizations.join(', ')}**\n\n${x.markdown}`).join('\n\n---\n\n'), range };
      }
    }
    return undefined;
  }

  /**
   * One hover section per distinct effective model (Kustomizations that apply the object differently), each saying
   * which `${VAR}` became what and from where; a single section without a heading when nothing differs.
   */
  private async variantHover<T>(effectives: Array<EffectiveModel<T>>, range: Range, render: (model: T, effective: EffectiveModel<T>) => Promise<string | undefined>): Promise<LiveHover | undefined> {
    const sections: string[] = [];
    for (const effective of effectives) {
      const body = await render(effective.model, effective);
      const variables = describeVariables(effective);
      if (!body && !variables.length) continue;
      const heading = effectives.length > 1 ? [`**As applied by ${effective.kustomizations.join(', ')}**`, ''] : [];
      sections.push([...heading, ...variables.map((line) => `${line}  `), ...(variables.length ? [''] : []), body ?? 'No registry target: a variable has no known value.'].join('\n'));
    }
    return sections.length ? { markdown: sections.join('\n\n---\n\n'), range } : undefined;
  }

  /** Completion for ref.tag / ref.semver / ref.digest, chart.spec.version and spec.values keys. */
  async completionsAt(path: string, position: Position, call: CallOptions = {}): Promise<LiveCompletionItem[] | undefined> {
    const text = this.index.textOf(path);
    const at = this.models.at(path, position);
    if (text === undefined || !at || networkBlockedReason(this.options)) return undefined;
    const lines = text.split(/\r?\n/);
    const ctx = completionContext(lines, position.line, position.character);
    if (at.helm && ctx?.type === 'key') {
      const values = valuesKeyContext(text, position);
      if (!values) return undefined;
      // Each variant's chart (overlays may pick other versions or sources): the keys of all, noting those some lack.
      const lists: VariantItems[] = [];
      const seen = new Map<string, VariantItems>();
      for (const variant of releaseChartVariants(this.index, this.options, at.helm)) {
        const chart = await this.variantChart(variant.model, variant.clusters[0], call);
        const known = chart && seen.get(chart.target.key);
        if (known) known.kustomizations.push(...variant.kustomizations);
        const chartValues = chart && !known ? await this.chartValues.load(chart, this.withProgress(call)) : undefined;
        if (!chart || !chartValues) continue;
        const list = { items: valuesKeyItems(keysAt(chartValues.values, values.path), values.prefix, values.siblings), kustomizations: [...variant.kustomizations] };
        seen.set(chart.target.key, list);
        lists.push(list);
      }
      return lists.length ? mergeVariantItems(lists) : undefined;
    }
    if (ctx?.type !== 'value') return undefined;
    const range: Range = { start: { line: position.line, character: position.character - ctx.prefix.length }, end: position };
    const field = ctx.path.join('.');
    let targets: VariantTarget[];
    let kind: 'tag' | 'semver' | 'digest' | 'version';
    if (at.oci && (field === 'spec.ref.tag' || field === 'spec.ref.semver' || field === 'spec.ref.digest')) {
      targets = ociRepositoryListingTargets(this.index, this.options, at.oci);
      kind = ctx.key as 'tag' | 'semver' | 'digest';
    } else if (at.helm && field === 'spec.chart.spec.version') {
      targets = chartVersionCompletionTargets(this.index, this.options, at.helm);
      kind = 'version';
    } else return undefined;
    if (!targets.length) return undefined;
    const progress = this.withProgress(call).onProgress;
    const listTags = async (target: SourceTarget): Promise<string[] | undefined> => {
      progress?.(`Listing tags of ${target.repositoryKey}…`);
      try {
        return (await this.client.listTags(target.repository, { ...target.credentials, signal: call.signal })).tags;
      } catch (error) {
        if (isCancellation(error, call.signal)) throw error;
        return undefined;
      }
    };
    const deps = {
      listTags,
      digestOf: (target: SourceTarget, tag: string) => this.digestOf(target, tag, call),
      concurrency: this.options.concurrency,
      recentDigestCount: this.options.recentDigestCount,
    };
    return variantCompletionItems({ ...deps, ...(call.signal ? { signal: call.signal } : {}) }, targets, kind, range);
  }

  private digestOf(target: SourceTarget, tag: string, call: CallOptions): Promise<string | undefined> {
    const key = `${target.repositoryKey}:${tag}`;
    let pending = this.digests.get(key);
    if (!pending) {
      pending = this.client.headManifest(target.repository, tag, { ...target.credentials, signal: call.signal }).then(
        (h) => h.digest,
        (error: unknown) => {
          this.digests.delete(key);
          if (isCancellation(error, call.signal)) throw error;
          return undefined;
        },
      );
      this.digests.set(key, pending);
    }
    return pending;
  }

  /**
   * The upgrade report for the source or release under a position, to `to` (default: the newer version outside the
   * range, else the version the range moved to); undefined when nothing there has a chart.
   */
  upgradeReportAt(path: string, position: Position, choice: UpgradeChoice = {}, call: CallOptions = {}): Promise<ReportResult | undefined> {
    return this.upgradeViews.reportAt(path, position, choice, call);
  }

  /** "Preview Upgrade to X…" places: each release's chart source field and each OCIRepository ref with a newer version outside it. */
  upgradeLenses(path: string, call: CallOptions = {}): Promise<UpgradeLens[]> {
    return this.upgradeViews.lenses(path, call);
  }

  /** Inlay hints after each ref (and chart version) in `range`: the resolved tag and short digest, or that nothing matches. */
  async inlayHints(path: string, range: Range, call: CallOptions = {}): Promise<LiveInlayHint[]> {
    if (networkBlockedReason(this.options)) return [];
    const sources = await collectInlayHints(
      { index: this.index, resolveRepository: (model) => this.resolveRepository(path, model, call), releaseCharts: (release) => this.releaseCharts(release, call) },
      path,
      range,
      call.signal,
    );
    return [...sources, ...(await this.images.inlayHints(path, range, call))];
  }

  /** Every ImagePolicy of the workspace and the tag it selects now (for the OCI Sources view). */
  imagePolicies(call: CallOptions = {}): Promise<ImagePolicySummary[]> {
    return this.images.listPolicies(this.withProgress(call));
  }

  /** Quick actions at a position that no diagnostic carries: pin an OCIRepository to its resolved digest. */
  async actionsAt(path: string, position: Position, call: CallOptions = {}): Promise<Fix[]> {
    const m = this.models.at(path, position)?.oci;
    const text = this.index.textOf(path);
    if (!m || text === undefined || !inside(m.object.range, position) || networkBlockedReason(this.options)) return [];
    const resolution = await this.resolveRepository(path, m, call);
    return resolution ? pinActions(text, m, resolution) : [];
  }
}
