// The upgrade report of a HelmRelease between two chart versions, built from both pulled charts and the release's
// values, and its findings ranked breaking → notable → info. Pure composition: no registry calls, no rendering.
import type { Document } from 'yaml';
import { diffCharts, type ChartFieldChange, type ExtractedChart, type FileListChange } from '../artifacts/chart-diff';
import type { Range } from '../text-range';
import type { ValueNode } from './json-schema-validate';
import { imageChanges, type ImageChange } from './upgrade-images';
import { indexValuesKeys } from './values-key-index';
import { compareValuesForUpgrade, type ValuesUpgrade } from './values-upgrade';

/** One end of the upgrade: the tag and what it held. */
export interface UpgradeSide {
  tag: string;
  digest: string;
  chartVersion?: string;
  appVersion?: string;
}

/** A pulled, digest-verified chart version with its values files read. */
export interface LoadedChart {
  side: UpgradeSide;
  chartName?: string;
  extracted: ExtractedChart;
  values?: Document.Parsed;
  schema?: unknown;
}

export interface UpgradeReport {
  /** `oci://host/repo` */
  source: string;
  chart: string;
  from: UpgradeSide;
  to: UpgradeSide;
  /** Whose values were checked (`HelmRelease flux-system/podinfo`, a values file), when any. */
  valuesOf?: string;
  values: ValuesUpgrade;
  images: ImageChange[];
  chartYaml: ChartFieldChange[];
  crds: FileListChange;
  templates: Omit<FileListChange, 'changed'>;
  findings: UpgradeFinding[];
  /** How many findings are breaking. */
  breaking: number;
}

export type FindingLevel = 'breaking' | 'notable' | 'info';

export interface UpgradeFinding {
  level: FindingLevel;
  /** What it is about: 'value', 'schema', 'chart', 'crd', 'template', 'image', 'default'. */
  topic: 'value' | 'schema' | 'chart' | 'crd' | 'template' | 'image' | 'default';
  /** The values path, file or field it concerns. */
  subject: string;
  message: string;
  /** Where the release sets the value, for findings about the release's own values. */
  range?: Range;
}

export interface BuildReportInput {
  source: string;
  from: LoadedChart;
  to: LoadedChart;
  /** The release's values with ranges (absent: only the chart's own changes are reported). */
  release?: ValueNode;
  valuesOf?: string;
  defaultsLimit?: number;
}

const RANK: Record<FindingLevel, number> = { breaking: 0, notable: 1, info: 2 };

/** The scalar the release sets at a values path, as text. */
function releaseScalarAt(release: ValueNode | undefined, path: readonly string[]): string | undefined {
  let node = release;
  for (const step of path) node = node?.kind === 'map' ? node.entries.find((e) => e.key === step)?.value : undefined;
  return node?.kind === 'scalar' && node.value !== null ? String(node.value) : undefined;
}

function chartFieldFinding(change: ChartFieldChange, to: string): UpgradeFinding {
  switch (change.field) {
    case 'deprecated':
      return change.after
        ? { level: 'notable', topic: 'chart', subject: 'deprecated', message: `Chart version ${to} is marked deprecated.` }
        : { level: 'info', topic: 'chart', subject: 'deprecated', message: `Chart version ${to} is no longer deprecated.` };
    case 'dependency': {
      const what = change.change === 'added' ? `added${change.after ? ` (${change.after})` : ''}` : change.change === 'removed' ? 'removed' : `${change.before ?? '?'} → ${change.after ?? '?'}`;
      return { level: change.change === 'removed' ? 'notable' : 'info', topic: 'chart', subject: `dependency ${change.name}`, message: `Dependency ${change.name}: ${what}.` };
    }
    case 'kubeVersion':
      return {
        level: 'notable',
        topic: 'chart',
        subject: 'kubeVersion',
        message: `kubeVersion constraint: ${change.before ?? '(none)'} → ${change.after ?? '(none)'}; the cluster must satisfy it or the install fails.`,
      };
    default:
      return { level: 'info', topic: 'chart', subject: change.field, message: `${change.field}: ${change.before ?? '(none)'} → ${change.after ?? '(none)'}.` };
  }
}

/** The report's findings, breaking first. */
export function upgradeFindings(report: Omit<UpgradeReport, 'findings' | 'breaking'>): UpgradeFinding[] {
  const to = report.to.tag;
  const from = report.from.tag;
  const out: UpgradeFinding[] = [];
  for (const d of report.values.dropped) {
    const rename = d.renamedTo ? ` It was likely renamed to ${d.renamedTo} (${d.renamedBecause}).` : '';
    const what = d.reason === 'type-changed' ? `${d.path} is no longer a map in ${to}'s values.yaml (it was in ${from})` : `${d.path} is no longer in ${to}'s values.yaml (${from} had it)`;
    out.push({ level: 'breaking', topic: 'value', subject: d.path, message: `${what}; the value the release sets is ignored.${rename}`, ...(d.range ? { range: d.range } : {}) });
  }
  for (const r of report.values.rejected) {
    out.push({
      level: r.introduced ? 'breaking' : 'notable',
      topic: 'schema',
      subject: r.path,
      message: `${to}'s values.schema.json rejects ${r.message.replace(/\.$/, '')} (${from} ${r.introduced ? 'accepted it' : 'rejected it too'}).`,
      ...(r.range ? { range: r.range } : {}),
    });
  }
  for (const path of report.crds.removed) out.push({ level: 'breaking', topic: 'crd', subject: path, message: `CRD file ${path} is gone in ${to}; its resources are no longer managed by the chart.` });
  for (const path of report.crds.added)
    out.push({ level: 'notable', topic: 'crd', subject: path, message: `CRD file ${path} is new in ${to}; Helm creates crds/ only per spec.upgrade.crds (default Skip on upgrade).` });
  for (const path of report.crds.changed)
    out.push({ level: 'notable', topic: 'crd', subject: path, message: `CRD file ${path} changed in ${to}; Helm does not update CRDs on upgrade unless spec.upgrade.crds is CreateReplace.` });
  for (const change of report.chartYaml) out.push(chartFieldFinding(change, to));
  for (const path of report.templates.removed) out.push({ level: 'notable', topic: 'template', subject: path, message: `Template ${path} is gone in ${to}; Helm deletes what it rendered.` });
  for (const path of report.templates.added) out.push({ level: 'info', topic: 'template', subject: path, message: `Template ${path} is new in ${to}.` });
  for (const image of report.images) {
    const pinned = image.releaseSets !== undefined ? ` (the release sets ${image.releaseSets}, which wins)` : '';
    out.push({
      level: 'info',
      topic: 'image',
      subject: image.path,
      message: `Image ${image.repository}: ${image.before} → ${image.after}${image.followsAppVersion ? ' (follows appVersion)' : ''}${pinned}.`,
    });
  }
  for (const d of report.values.changedDefaults) out.push({ level: 'info', topic: 'default', subject: d.path, message: `Default of ${d.path}: ${d.before} → ${d.after}.` });
  return out.sort((a, b) => RANK[a.level] - RANK[b.level]);
}

/** Compares two loaded chart versions for a release's values. */
export async function buildUpgradeReport(input: BuildReportInput): Promise<UpgradeReport> {
  const { from, to, release } = input;
  const before = indexValuesKeys(from.values);
  const after = indexValuesKeys(to.values);
  const values = compareValuesForUpgrade({
    release,
    before,
    after,
    beforeSchema: from.schema,
    afterSchema: to.schema,
    ...(input.defaultsLimit !== undefined ? { defaultsLimit: input.defaultsLimit } : {}),
  });
  const diff = await diffCharts(from.extracted, to.extracted);
  const images = imageChanges(before, after, { before: from.side.appVersion, after: to.side.appVersion }, (path) => releaseScalarAt(release, path));
  const base = {
    source: input.source,
    chart: to.chartName ?? from.chartName ?? input.source.split('/').pop() ?? input.source,
    from: from.side,
    to: to.side,
    ...(input.valuesOf ? { valuesOf: input.valuesOf } : {}),
    values,
    images,
    chartYaml: diff.chartYaml,
    crds: diff.crds,
    templates: diff.templates,
  };
  const findings = upgradeFindings(base);
  return { ...base, findings, breaking: findings.filter((f) => f.level === 'breaking').length };
}
