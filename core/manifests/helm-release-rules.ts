// Flux rules for HelmRelease (and HelmChart) beyond the CRD's structure: chart XOR chartRef, the chart
// version range, the OCIRepository-in-sourceRef mistake with its rewrite to chartRef, kubeConfig one-of.
import { isMap, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Fix } from '../diagnostic';
import type { RuleContext } from './rule-context';
import { checkVerifyIdentity } from './oci-repository-rules';
import { semverRangeError } from './version-syntax';
import { contentEnd, findPair, getMap, getNode, getPath, isPlaceholderValue, scalarString } from './yaml-ast';

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** The indentation step the document uses below `pair` (2 when it cannot tell). */
function indentStep(text: string, pair: Pair): number {
  const key = pair.key as Node;
  const value = pair.value;
  if (key.range && isMap(value) && !value.flow && value.items.length) {
    const firstKey = value.items[0].key as Node | null;
    if (firstKey?.range) {
      const step = columnOf(text, firstKey.range[0]) - columnOf(text, key.range[0]);
      if (step > 0 && step <= 8) return step;
    }
  }
  return 2;
}

function sourceText(ctx: RuleContext, node: Node | undefined): string | undefined {
  if (!node?.range) return undefined;
  const raw = ctx.text.slice(node.range[0], node.range[1]);
  return raw.includes('\n') ? undefined : raw;
}

/** Builds the edit replacing the whole `chart:` block with an equivalent `chartRef:` block. */
function chartRefFix(ctx: RuleContext, spec: YAMLMap, sourceRef: YAMLMap): Fix | undefined {
  const chartPair = findPair(spec, 'chart');
  const chartKey = chartPair?.key as Node | undefined;
  const chartValue = chartPair?.value as Node | undefined;
  if (!chartPair || !chartKey?.range || !chartValue?.range) return undefined;
  const name = sourceText(ctx, getNode(sourceRef, 'name'));
  if (!name) return undefined;
  const namespace = sourceText(ctx, getNode(sourceRef, 'namespace'));
  const indent = ' '.repeat(columnOf(ctx.text, chartKey.range[0]));
  const child = indent + ' '.repeat(indentStep(ctx.text, chartPair));
  const lines = ['chartRef:', `${child}kind: OCIRepository`, `${child}name: ${name}`];
  if (namespace) lines.push(`${child}namespace: ${namespace}`);
  const version = scalarString(getPath(spec, 'chart', 'spec', 'version'));
  return {
    title: version ? `Use spec.chartRef to the OCIRepository (set version '${version}' in its spec.ref instead)` : 'Use spec.chartRef to the OCIRepository',
    isPreferred: true,
    edits: [{ range: ctx.lineMap.rangeOf(chartKey.range[0], contentEnd(chartValue)), newText: lines.join('\n') }],
  };
}

/** A chart version is a semver range as Helm parses it (the same Masterminds library Flux uses); empty means latest. */
function checkChartVersion(ctx: RuleContext, node: Node | undefined, path: string): void {
  const version = scalarString(node);
  if (!node || version === undefined || version === '' || isPlaceholderValue(version)) return;
  const problem = semverRangeError(version);
  if (!problem) return;
  ctx.claim(path);
  ctx.report('helm-chart-version-invalid', `${path} '${version}' is not a semver version or range Helm accepts (${problem}); e.g. 1.2.3, 6.x or ">=5.1 <6".`, ctx.range(node));
}

export function checkHelmRelease(ctx: RuleContext): void {
  const spec = ctx.spec;
  if (!spec) return;
  checkChartVersion(ctx, getPath(spec, 'chart', 'spec', 'version'), 'spec.chart.spec.version');
  const hasChart = findPair(spec, 'chart') !== undefined;
  const hasChartRef = findPair(spec, 'chartRef') !== undefined;
  if (hasChart && hasChartRef) {
    ctx.report('helmrelease-chart-source-conflict', 'Set exactly one of spec.chart and spec.chartRef; this HelmRelease sets both.', ctx.keyRange(spec, 'chartRef'));
  } else if (!hasChart && !hasChartRef && !ctx.isPatch) {
    ctx.report(
      'helmrelease-chart-missing',
      'A HelmRelease needs spec.chartRef (an OCIRepository or HelmChart) or spec.chart (a chart from a HelmRepository, GitRepository or Bucket).',
      ctx.keyRange(ctx.root, 'spec'),
    );
  }
  const sourceRef = getMap(getMap(getMap(spec, 'chart'), 'spec'), 'sourceRef');
  const kindNode = getNode(sourceRef, 'kind');
  if (sourceRef && kindNode && scalarString(kindNode) === 'OCIRepository') {
    ctx.claim('spec.chart.spec.sourceRef.kind');
    const fix = hasChartRef ? undefined : chartRefFix(ctx, spec, sourceRef);
    ctx.report(
      'helmrelease-chart-source-oci',
      'chart.spec.sourceRef cannot point to an OCIRepository (only HelmRepository, GitRepository or Bucket); reference it with spec.chartRef instead.',
      ctx.range(kindNode),
      { fixes: fix ? [fix] : undefined },
    );
  }
  checkVerifyIdentity(ctx, getMap(getMap(getMap(spec, 'chart'), 'spec'), 'verify'), 'spec.chart.spec.verify');
  const kubeConfig = getMap(spec, 'kubeConfig');
  if (kubeConfig) {
    const count = ['configMapRef', 'secretRef'].filter((k) => findPair(kubeConfig, k)).length;
    if (count !== 1) {
      ctx.report('helmrelease-kubeconfig-one-of', `spec.kubeConfig needs exactly one of configMapRef or secretRef (it has ${count === 0 ? 'neither' : 'both'}).`, ctx.keyRange(spec, 'kubeConfig'));
    }
  }
}

export function checkHelmChart(ctx: RuleContext): void {
  const spec = ctx.spec;
  checkChartVersion(ctx, getNode(spec, 'version'), 'spec.version');
  if (!spec || !findPair(spec, 'verify')) return;
  const kind = scalarString(getPath(spec, 'sourceRef', 'kind'));
  if (kind !== undefined && kind !== 'HelmRepository') {
    ctx.report('helmchart-verify-source', `HelmChart spec.verify is only supported when spec.sourceRef.kind is HelmRepository (this one is ${kind}).`, ctx.keyRange(spec, 'verify'));
  }
}
