// The live (registry-backed) engine behind hover, completion, inlay hints, diagnostics and quick fixes: looks objects
// up in the workspace index, resolves them through RegistryClient with caching and cancellation. No LSP or vscode types.
import type { Fix, FluxDiagnostic } from '../diagnostic';
import type { HelmReleaseModel, OCIRepositoryModel } from '../manifests/object-types';
import { asMap, getMap, getNode } from '../manifests/yaml-ast';
import type { RegistryClient } from '../oci/registry-client';
import type { Position, Range } from '../text-range';
import type { WorkspaceIndex } from '../workspace/workspace-index';
import { isCancellation, mapBounded, throwIfAborted } from './bounded';
import { keyInfo, keysAt, loadChartValues, type ChartValues } from './chart-values';
import { validateValues, toValueNode } from './json-schema-validate';
import { digestCompletionItems, tagCompletionItems, valuesKeyItems, type LiveCompletionItem } from './live-completion';
import { chartRefNotHelmChart, chartVersionMismatch, chartVersionNoMatch, ociRepositoryDiagnostics, pinActions, registryProblemDiagnostic } from './live-diagnostics';
import { renderDisabledHover, renderSourceHover, shortDigest } from './live-hover';
import { liveOptions, networkBlockedReason, type LiveOptions } from './live-options';
import { resolveLiveSource, type LiveResolution } from './live-resolution';
import { ResolutionCache } from './resolution-cache';
import { helmChartTarget, helmRepositoryFacts, ociRepositoryTarget, type SourceTarget } from './source-targets';
import { valuesKeyContext, valuesPathAt } from './values-path';
import { completionContext } from '../manifests/completion-context';
import { sortTagsNewestFirst } from '../versions/sort-tags';
import { buildHelmReleaseModel, buildOciRepositoryModel } from '../manifests/object-models';
import { shiftDeep } from '../workspace/range-shift';
import type { DocumentResult } from '../manifests/document-analyzer';

export interface LiveHover {
  markdown: string;
  range: Range;
}

export interface LiveInlayHint {
  position: Position;
  label: string;
  tooltip?: string;
}

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

/** Where a HelmRelease's chart comes from, live. */
interface ReleaseChart {
  target: SourceTarget;
  resolution: LiveResolution;
  /** Set when the chart comes from an OCIRepository of the workspace. */
  repository?: { path: string; model: OCIRepositoryModel; name: string; via: 'chartRef' | 'sourceRef' };
}

function inside(range: Range | undefined, p: Position): boolean {
  if (!range) return false;
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}

function overlaps(a: Range, b: Range): boolean {
  return !(a.end.line < b.start.line || a.start.line > b.end.line);
}

const SEVERITY_OF_SCHEMA_ISSUE = 'error';

export class LiveService {
  private options: LiveOptions;
  private readonly resolutions: ResolutionCache<LiveResolution>;
  private readonly charts = new Map<string, Promise<ChartValues | undefined>>();
  private readonly digests = new Map<string, Promise<string | undefined>>();
  private refreshNext = false;
  private readonly documentModels = new WeakMap<DocumentResult, { startLine: number; documentIndex: number; value: { oci?: OCIRepositoryModel; helm?: HelmReleaseModel } }>();

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly client: RegistryClient,
    options: Partial<LiveOptions> = {},
  ) {
    this.options = liveOptions(options);
    this.resolutions = new ResolutionCache(() => this.options.resolutionTtlMs, () => this.now());
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  setOptions(partial: Partial<LiveOptions>): void {
    this.options = { ...this.options, ...partial };
    this.resolutions.clear();
  }

  /** Forget every live answer: the next request asks the registry again. */
  refresh(): void {
    this.resolutions.clear();
    this.charts.clear();
    this.digests.clear();
    this.client.clearCache();
    this.refreshNext = true;
  }

  /** Resolves a registry target (cached); without network permission, a 'disabled' resolution and no request. */
  async resolveTarget(target: SourceTarget, call: CallOptions = {}): Promise<LiveResolution> {
    const blocked = networkBlockedReason(this.options);
    if (blocked) {
      return { url: target.url, repository: target.repository, state: 'disabled', helmChart: target.helmChart, tags: [], ref: { kind: 'latest', candidates: [] }, matching: [], problem: { code: 'disabled', message: blocked } };
    }
    const refresh = this.refreshNext;
    const run = (): Promise<LiveResolution> =>
      this.resolutions.run(target.key, () =>
        resolveLiveSource({
          client: this.client,
          repository: target.repository,
          url: target.url,
          ref: target.ref,
          helmChart: target.helmChart,
          request: { ...target.credentials, signal: call.signal },
          refresh,
          matchingCount: this.options.hoverTagCount,
          onProgress: call.onProgress ?? this.options.onProgress,
        }),
      );
    this.refreshNext = false;
    try {
      return await run();
    } catch (error) {
      // A run shared with a caller who cancelled: start again for this caller.
      if (isCancellation(error) && !call.signal?.aborted) return run();
      throw error;
    }
  }

  /** The live resolution of one OCIRepository (undefined when it has no usable url). */
  async resolveRepository(path: string, model: OCIRepositoryModel, call: CallOptions = {}): Promise<LiveResolution | undefined> {
    void path;
    const target = ociRepositoryTarget(this.index, this.options, model);
    return target.ok ? this.resolveTarget(target.target, call) : undefined;
  }

  /**
   * The model of the document at a position, built for that one document (the index's modelAt builds every
   * model of the workspace, which made hovers allocation-heavy) and cached per analysed document.
   */
  private modelAt(path: string, position: Position): { oci?: OCIRepositoryModel; helm?: HelmReleaseModel } | undefined {
    const doc = this.index.documentAt(path, position);
    const object = doc?.object;
    const parsed = doc?.result.parsed;
    const root = asMap(parsed?.doc.contents);
    if (!doc || !object || !parsed || !root || !doc.result.object) return undefined;
    const cached = this.documentModels.get(doc.result);
    if (cached && cached.startLine === doc.startLine && cached.documentIndex === doc.documentIndex) return cached.value;
    let value: { oci?: OCIRepositoryModel; helm?: HelmReleaseModel } = {};
    if (object.kind === 'OCIRepository' && object.apiVersion.startsWith('source.toolkit.fluxcd.io/')) {
      const { object: _o, ...rest } = buildOciRepositoryModel(doc.result.object, root, parsed.lineMap);
      void _o;
      value = { oci: { ...shiftDeep(rest, doc.startLine), object } };
    } else if (object.kind === 'HelmRelease' && object.apiVersion.startsWith('helm.toolkit.fluxcd.io/')) {
      const { object: _o, ...rest } = buildHelmReleaseModel(doc.result.object, root, parsed.lineMap);
      void _o;
      value = { helm: { ...shiftDeep(rest, doc.startLine), object } };
    }
    this.documentModels.set(doc.result, { startLine: doc.startLine, documentIndex: doc.documentIndex, value });
    return value;
  }

  private ociModel(namespace: string, name: string): { path: string; model: OCIRepositoryModel } | undefined {
    const hit = this.index.findObject('OCIRepository', namespace, name);
    if (!hit) return undefined;
    return this.index.ociRepositories().find((r) => r.path === hit.path && r.model.object.documentIndex === hit.object.documentIndex);
  }

  private releaseOciSource(release: HelmReleaseModel): ReleaseChart['repository'] | undefined {
    const ns = release.object.namespace;
    const viaChartRef = release.chartRef?.kind?.value === 'OCIRepository' && release.chartRef.name ? { ref: release.chartRef, via: 'chartRef' as const } : undefined;
    const source = release.chart?.sourceRef;
    const viaSourceRef = source?.kind?.value === 'OCIRepository' && source.name ? { ref: source, via: 'sourceRef' as const } : undefined;
    const chosen = viaChartRef ?? viaSourceRef;
    if (!chosen) return undefined;
    const namespace = chosen.ref.namespace?.value ?? ns;
    const name = chosen.ref.name!.value;
    const found = this.ociModel(namespace, name);
    return found ? { ...found, name: `${namespace}/${name}`, via: chosen.via } : undefined;
  }

  /** Where a HelmRelease's chart comes from and what it resolves to now. */
  private async releaseChart(release: HelmReleaseModel, call: CallOptions): Promise<ReleaseChart | undefined> {
    const repository = this.releaseOciSource(release);
    if (repository) {
      const target = ociRepositoryTarget(this.index, this.options, repository.model);
      if (!target.ok) return undefined;
      return { target: target.target, resolution: await this.resolveTarget(target.target, call), repository };
    }
    const source = release.chart?.sourceRef;
    const chartName = release.chart?.chart?.value;
    if (source?.kind?.value !== 'HelmRepository' || !source.name || !chartName) return undefined;
    const namespace = source.namespace?.value ?? release.object.namespace;
    const facts = helmRepositoryFacts(this.index, namespace, source.name.value);
    if (!facts) return undefined;
    const target = helmChartTarget(this.index, this.options, facts, namespace, chartName, release.chart?.version?.value);
    if (!target.ok) return undefined;
    return { target: target.target, resolution: await this.resolveTarget(target.target, call) };
  }

  /** Live diagnostics grouped by file (every file when `paths` is omitted); includes both ends of version mismatches. */
  async diagnosticsFor(paths?: readonly string[], call: CallOptions = {}): Promise<Map<string, FluxDiagnostic[]>> {
    const out = new Map<string, FluxDiagnostic[]>();
    for (const p of paths ?? this.index.files()) out.set(p, []);
    const push = (path: string, d: FluxDiagnostic | undefined): void => {
      if (d) out.get(path)?.push(d);
    };
    if (networkBlockedReason(this.options)) return out;
    const reported = new Set<string>();
    const reportOnce = (target: SourceTarget, resolution: LiveResolution, path: string, range: Range | undefined): boolean => {
      if (resolution.state !== 'failed') return false;
      if (range && !reported.has(target.repositoryKey)) {
        reported.add(target.repositoryKey);
        push(path, registryProblemDiagnostic(resolution, range));
      }
      return true;
    };
    const repos = this.index.ociRepositories();
    const resolved = await mapBounded(repos, this.options.concurrency, async (r) => {
      const target = ociRepositoryTarget(this.index, this.options, r.model);
      return target.ok ? { target: target.target, resolution: await this.resolveTarget(target.target, call) } : undefined;
    }, call.signal);
    repos.forEach((r, i) => {
      const hit = resolved[i];
      if (!hit || reportOnce(hit.target, hit.resolution, r.path, r.model.url?.range)) return;
      if (!out.has(r.path)) return;
      for (const d of ociRepositoryDiagnostics(this.index.textOf(r.path) ?? '', r.model, hit.resolution, this.options)) push(r.path, d);
    });
    const releases = this.index.helmReleases();
    await mapBounded(releases, this.options.concurrency, async ({ path, model }) => {
      const chart = await this.releaseChart(model, call);
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
        push(path, chartVersionNoMatch(this.index.textOf(path) ?? '', model, chart.resolution));
      }
      if (out.has(path) && model.values) for (const d of await this.valuesSchemaDiagnostics(path, model, chart, call)) push(path, d);
    }, call.signal);
    return out;
  }

  private async chartValues(chart: ReleaseChart, call: CallOptions): Promise<ChartValues | undefined> {
    const artifact = chart.resolution.artifact;
    const cacheDir = this.options.chartCacheDir;
    if (!artifact || artifact.kind !== 'helm-chart' || !cacheDir) return undefined;
    const key = `${chart.target.repositoryKey}@${artifact.digest}`;
    let pending = this.charts.get(key);
    if (!pending) {
      (call.onProgress ?? this.options.onProgress)?.(`Pulling chart ${chart.resolution.url}@${shortDigest(artifact.digest)}…`);
      pending = loadChartValues(this.client, chart.target.repository, { ...chart.target.credentials, signal: call.signal }, artifact.digest, cacheDir).then((r) => (r.ok ? r.chart : undefined));
      this.charts.set(key, pending);
      pending.catch(() => this.charts.delete(key));
    }
    return pending;
  }

  private async valuesSchemaDiagnostics(path: string, release: HelmReleaseModel, chart: ReleaseChart, call: CallOptions): Promise<FluxDiagnostic[]> {
    const values = await this.chartValues(chart, call);
    if (!values?.schema) return [];
    const doc = this.index.documents(path).find((d) => d.documentIndex === release.object.documentIndex);
    const parsed = doc?.result.parsed;
    const node = getNode(getMap(asMap(parsed?.doc.contents), 'spec'), 'values');
    if (!doc || !parsed || !node) return [];
    const tree = toValueNode(node, parsed.lineMap, doc.startLine);
    return validateValues(values.schema, tree).map((issue) => ({
      severity: SEVERITY_OF_SCHEMA_ISSUE,
      code: 'live-values-schema',
      message: `${issue.message} (values.schema.json of chart ${values.chartName ?? chart.resolution.url})`,
      range: issue.range,
    }));
  }

  /** Hover for an OCIRepository's url/ref fields, a HelmRelease's chart source and version, and spec.values keys. */
  async hoverAt(path: string, position: Position, call: CallOptions = {}): Promise<LiveHover | undefined> {
    const at = this.modelAt(path, position);
    if (at?.oci) {
      const m = at.oci;
      const fields = [m.url, m.ref?.tag, m.ref?.semver, m.ref?.digest];
      const field = fields.find((f) => f && (inside(f.range, position) || inside(f.keyRange, position)));
      if (!field) return undefined;
      const range = field.range;
      const blocked = networkBlockedReason(this.options);
      if (blocked) return { markdown: renderDisabledHover(m.url?.value, blocked), range };
      const resolution = await this.resolveRepository(path, m, call);
      return resolution ? { markdown: renderSourceHover(resolution, this.now()), range } : undefined;
    }
    if (at?.helm) {
      const m = at.helm;
      const field = [m.chart?.version, m.chart?.chart, m.chartRef?.name, m.chart?.sourceRef?.name].find((f) => f && (inside(f.range, position) || inside(f.keyRange, position)));
      if (field) {
        const blocked = networkBlockedReason(this.options);
        if (blocked) return { markdown: renderDisabledHover(undefined, blocked), range: field.range };
        const chart = await this.releaseChart(m, call);
        return chart ? { markdown: renderSourceHover(chart.resolution, this.now()), range: field.range } : undefined;
      }
      if (m.values && inside(m.values, position)) return this.valuesHover(path, m, position, call);
    }
    return undefined;
  }

  private async valuesHover(path: string, release: HelmReleaseModel, position: Position, call: CallOptions): Promise<LiveHover | undefined> {
    const doc = this.index.documentAt(path, position);
    const located = doc ? valuesPathAt(doc, position) : undefined;
    if (!located || networkBlockedReason(this.options)) return undefined;
    const chart = await this.releaseChart(release, call);
    const values = chart ? await this.chartValues(chart, call) : undefined;
    const info = keyInfo(values?.values, located.path.filter((p) => p !== '[]'));
    if (!info) return undefined;
    const lines = [`**${located.path.join('.')}** (chart ${values?.chartName ?? ''} values.yaml)`];
    if (info.comment) lines.push('', info.comment);
    lines.push('', 'Default:', '```yaml', info.defaultText, '```');
    return { markdown: lines.join('\n'), range: located.range };
  }

  /** Completion for ref.tag / ref.semver / ref.digest, chart.spec.version and spec.values keys. */
  async completionsAt(path: string, position: Position, call: CallOptions = {}): Promise<LiveCompletionItem[] | undefined> {
    const text = this.index.textOf(path);
    const at = this.modelAt(path, position);
    if (text === undefined || !at || networkBlockedReason(this.options)) return undefined;
    const lines = text.split(/\r?\n/);
    const ctx = completionContext(lines, position.line, position.character);
    if (at.helm && ctx?.type === 'key') {
      const values = valuesKeyContext(text, position);
      if (!values) return undefined;
      const chart = await this.releaseChart(at.helm, call);
      const chartValues = chart ? await this.chartValues(chart, call) : undefined;
      return chartValues ? valuesKeyItems(keysAt(chartValues.values, values.path), values.prefix, values.siblings) : undefined;
    }
    if (ctx?.type !== 'value') return undefined;
    const range: Range = { start: { line: position.line, character: position.character - ctx.prefix.length }, end: position };
    const field = ctx.path.join('.');
    let target: SourceTarget | undefined;
    let kind: 'tag' | 'semver' | 'digest' | 'version';
    if (at.oci && (field === 'spec.ref.tag' || field === 'spec.ref.semver' || field === 'spec.ref.digest')) {
      const t = ociRepositoryTarget(this.index, this.options, at.oci);
      if (!t.ok) return undefined;
      target = t.target;
      kind = ctx.key as 'tag' | 'semver' | 'digest';
    } else if (at.helm && field === 'spec.chart.spec.version') {
      const repo = this.releaseOciSource(at.helm);
      const t = repo ? ociRepositoryTarget(this.index, this.options, repo.model) : undefined;
      if (t?.ok) target = { ...t.target, helmChart: true };
      else {
        const source = at.helm.chart?.sourceRef;
        const chartName = at.helm.chart?.chart?.value;
        const namespace = source?.namespace?.value ?? at.helm.object.namespace;
        const facts = source?.kind?.value === 'HelmRepository' && source.name && chartName ? helmRepositoryFacts(this.index, namespace, source.name.value) : undefined;
        const h = facts && chartName ? helmChartTarget(this.index, this.options, facts, namespace, chartName, undefined) : undefined;
        if (h?.ok) target = h.target;
      }
      kind = 'version';
    } else return undefined;
    if (!target) return undefined;
    (call.onProgress ?? this.options.onProgress)?.(`Listing tags of ${target.repositoryKey}…`);
    let listing;
    try {
      listing = await this.client.listTags(target.repository, { ...target.credentials, signal: call.signal });
    } catch (error) {
      if (isCancellation(error, call.signal)) throw error;
      return [];
    }
    const sorted = sortTagsNewestFirst(listing.tags, target.helmChart);
    if (kind !== 'digest') return tagCompletionItems(sorted, kind, target.helmChart, range);
    const recent = sorted.slice(0, this.options.recentDigestCount);
    const digests = await mapBounded(recent, this.options.concurrency, async (tag) => ({ tag, digest: await this.digestOf(target!, tag, call) }), call.signal);
    return digestCompletionItems(digests.filter((d): d is { tag: string; digest: string } => d.digest !== undefined), range);
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

  /** Inlay hints after each ref (and chart version) in `range`: the resolved tag and short digest, or that nothing matches. */
  async inlayHints(path: string, range: Range, call: CallOptions = {}): Promise<LiveInlayHint[]> {
    if (networkBlockedReason(this.options)) return [];
    const hints: LiveInlayHint[] = [];
    for (const { path: p, model } of this.index.ociRepositories()) {
      if (p !== path) continue;
      const anchor = model.ref?.digest ?? model.ref?.semver ?? model.ref?.tag ?? model.url;
      if (!anchor || !overlaps(anchor.range, range)) continue;
      throwIfAborted(call.signal);
      const resolution = await this.resolveRepository(p, model, call);
      const hint = resolution && hintFor(resolution);
      if (hint) hints.push({ position: anchor.range.end, ...hint });
    }
    for (const { path: p, model } of this.index.helmReleases()) {
      const anchor = model.chart?.version;
      if (p !== path || !anchor || !overlaps(anchor.range, range)) continue;
      const chart = await this.releaseChart(model, call);
      const hint = chart && !chart.repository ? hintFor(chart.resolution) : undefined;
      if (hint) hints.push({ position: anchor.range.end, ...hint });
    }
    return hints;
  }

  /** Quick actions at a position that no diagnostic carries: pin an OCIRepository to its resolved digest. */
  async actionsAt(path: string, position: Position, call: CallOptions = {}): Promise<Fix[]> {
    const m = this.modelAt(path, position)?.oci;
    const text = this.index.textOf(path);
    if (!m || text === undefined || !inside(m.object.range, position) || networkBlockedReason(this.options)) return [];
    const resolution = await this.resolveRepository(path, m, call);
    return resolution ? pinActions(text, m, resolution) : [];
  }
}

function hintFor(resolution: LiveResolution): { label: string; tooltip?: string } | undefined {
  if (resolution.state === 'resolved' && resolution.artifact) {
    const what = resolution.tag ?? resolution.artifact.chart?.version ?? '';
    return { label: ` → ${what}${what ? ' ' : ''}@${shortDigest(resolution.artifact.digest)}`, tooltip: `Flux resolves this to ${resolution.url}${resolution.tag ? `:${resolution.tag}` : ''}@${resolution.artifact.digest}` };
  }
  if (resolution.state === 'unresolved' && resolution.refProblem) {
    const label = resolution.refProblem.code === 'no-match' ? ' → no matching tag' : resolution.refProblem.code === 'tag-not-found' ? ' → tag not found' : resolution.refProblem.code === 'digest-not-found' ? ' → digest not found' : undefined;
    return label ? { label, tooltip: resolution.refProblem.message } : undefined;
  }
  return undefined;
}
