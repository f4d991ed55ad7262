// The chart-values features of a HelmRelease's spec.values: the chart's values.yaml and values.schema.json pulled once
// per chart digest, schema diagnostics on the release's values and hover docs for a values key. No LSP types.
import type { FluxDiagnostic } from '../diagnostic';
import type { HelmReleaseModel } from '../manifests/object-types';
import { asMap, getMap, getNode } from '../manifests/yaml-ast';
import type { RegistryClient } from '../oci/registry-client';
import type { Position } from '../text-range';
import type { WorkspaceIndex } from '../workspace/workspace-index';
import { chartDownloadDeadline, keyInfo, loadChartValues, type ChartValues } from './chart-values';
import { goDurationMs } from './go-duration';
import { toValueNode, validateValues } from './json-schema-validate';
import { shortDigest } from './live-hover';
import type { ReleaseChart } from './release-chart';
import { valuesPathAt } from './values-path';

export interface ValuesCall {
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

const SEVERITY_OF_SCHEMA_ISSUE = 'error';

/** Pulls and parses each chart's values once per repository and digest; a failed pull is forgotten so it can be retried. */
export class ChartValuesLoader {
  private readonly charts = new Map<string, Promise<ChartValues | undefined>>();

  constructor(
    private readonly client: RegistryClient,
    private readonly cacheDir: () => string | undefined,
  ) {}

  load(chart: ReleaseChart, call: ValuesCall): Promise<ChartValues | undefined> {
    const artifact = chart.resolution.artifact;
    const cacheDir = this.cacheDir();
    if (!artifact || artifact.kind !== 'helm-chart' || !cacheDir) return Promise.resolve(undefined);
    const key = `${chart.target.repositoryKey}@${artifact.digest}`;
    let pending = this.charts.get(key);
    if (!pending) {
      call.onProgress?.(`Pulling chart ${chart.resolution.url}@${shortDigest(artifact.digest)}…`);
      const deadline = chartDownloadDeadline(goDurationMs(chart.repository?.model.timeout?.value), this.client.requestTimeoutMs);
      pending = loadChartValues(this.client, chart.target.repository, { ...chart.target.credentials, signal: call.signal }, artifact.digest, cacheDir, deadline).then((r) =>
        r.ok ? r.chart : undefined,
      );
      this.charts.set(key, pending);
      pending.catch(() => this.charts.delete(key));
    }
    return pending;
  }

  clear(): void {
    this.charts.clear();
  }
}

/** Diagnostics from the chart's values.schema.json on the release's spec.values (none without a schema). */
export async function valuesSchemaDiagnostics(
  index: WorkspaceIndex,
  loader: ChartValuesLoader,
  path: string,
  release: HelmReleaseModel,
  chart: ReleaseChart,
  call: ValuesCall,
): Promise<FluxDiagnostic[]> {
  const values = await loader.load(chart, call);
  if (!values?.schema) return [];
  const doc = index.documents(path).find((d) => d.documentIndex === release.object.documentIndex);
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

/** Hover markdown for the spec.values key under `position`: its default and comment from the chart's values.yaml. */
export async function valuesKeyHover(
  index: WorkspaceIndex,
  loader: ChartValuesLoader,
  path: string,
  position: Position,
  chart: () => Promise<ReleaseChart | undefined>,
  call: ValuesCall,
): Promise<{ markdown: string; range: { start: Position; end: Position } } | undefined> {
  const doc = index.documentAt(path, position);
  const located = doc ? valuesPathAt(doc, position) : undefined;
  if (!located) return undefined;
  const release = await chart();
  const values = release ? await loader.load(release, call) : undefined;
  const info = keyInfo(
    values?.values,
    located.path.filter((p) => p !== '[]'),
  );
  if (!info) return undefined;
  const lines = [`**${located.path.join('.')}** (chart ${values?.chartName ?? ''} values.yaml)`];
  if (info.comment) lines.push('', info.comment);
  lines.push('', 'Default:', '```yaml', info.defaultText, '```');
  return { markdown: lines.join('\n'), range: located.range };
}
