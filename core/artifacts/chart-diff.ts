// What changed between two extracted Helm charts outside values.yaml: the Chart.yaml fields an upgrade depends on
// (version, appVersion, kubeVersion, dependencies, deprecated), CRDs under crds/ and templates added or removed.
import { join } from 'node:path';
import type { ChartMetadata } from './chart-metadata';
import { compareTrees } from './compare';
import type { ExtractedFile } from './safe-extract';

/** One extracted chart: its tree in the content cache and its parsed Chart.yaml. */
export interface ExtractedChart {
  root: string;
  files: readonly ExtractedFile[];
  chart?: ChartMetadata;
}

export type ChartFieldChange =
  | { field: 'version' | 'appVersion' | 'kubeVersion'; before?: string; after?: string }
  | { field: 'deprecated'; before: boolean; after: boolean }
  | { field: 'dependency'; name: string; before?: string; after?: string; change: 'added' | 'removed' | 'version' };

export interface FileListChange {
  added: string[];
  removed: string[];
  changed: string[];
}

export interface ChartDiff {
  chartYaml: ChartFieldChange[];
  /** Files under crds/ (the chart's own and its bundled subcharts'), chart-relative. */
  crds: FileListChange;
  /** Files under templates/ added or removed (changed templates are the normal case and not listed). */
  templates: Omit<FileListChange, 'changed'>;
}

/** The chart directory inside the tree (`<name>/` for packaged charts), found from Chart.yaml. */
function chartDir(files: readonly ExtractedFile[]): string {
  const chartYaml = files.find((f) => /^[^/]+\/Chart\.yaml$/.test(f.path));
  return chartYaml ? chartYaml.path.slice(0, chartYaml.path.indexOf('/') + 1) : '';
}

/** The tree re-rooted at its chart directory, so charts whose top folder was renamed still line up. */
function rooted(chart: ExtractedChart): { root: string; files: ExtractedFile[] } {
  const dir = chartDir(chart.files);
  const files = chart.files.filter((f) => f.path.startsWith(dir)).map((f) => ({ path: f.path.slice(dir.length), size: f.size }));
  return { root: dir ? join(chart.root, dir) : chart.root, files };
}

const isCrd = (path: string): boolean => /^(charts\/[^/]+\/)*crds\//.test(path);
const isTemplate = (path: string): boolean => /^templates\//.test(path) && !/^templates\/tests\//.test(path) && !path.endsWith('/NOTES.txt') && path !== 'templates/NOTES.txt';

function dependencyKey(d: { name: string; alias?: string }): string {
  return d.alias ? `${d.name} (as ${d.alias})` : d.name;
}

/** Chart.yaml fields that differ, in the order a reader cares about them. */
export function chartYamlChanges(before: ChartMetadata | undefined, after: ChartMetadata | undefined): ChartFieldChange[] {
  const out: ChartFieldChange[] = [];
  for (const field of ['version', 'appVersion', 'kubeVersion'] as const) {
    const a = before?.[field];
    const b = after?.[field];
    if (a !== b) out.push({ field, ...(a !== undefined ? { before: a } : {}), ...(b !== undefined ? { after: b } : {}) });
  }
  const wasDeprecated = before?.deprecated === true;
  const isDeprecated = after?.deprecated === true;
  if (wasDeprecated !== isDeprecated) out.push({ field: 'deprecated', before: wasDeprecated, after: isDeprecated });
  const old = new Map((before?.dependencies ?? []).map((d) => [dependencyKey(d), d]));
  const now = new Map((after?.dependencies ?? []).map((d) => [dependencyKey(d), d]));
  for (const [name, d] of now) {
    const previous = old.get(name);
    if (!previous) out.push({ field: 'dependency', name, change: 'added', ...(d.version ? { after: d.version } : {}) });
    else if (previous.version !== d.version)
      out.push({ field: 'dependency', name, change: 'version', ...(previous.version ? { before: previous.version } : {}), ...(d.version ? { after: d.version } : {}) });
  }
  for (const [name, d] of old) if (!now.has(name)) out.push({ field: 'dependency', name, change: 'removed', ...(d.version ? { before: d.version } : {}) });
  return out;
}

/** Compares two extracted charts: Chart.yaml fields, CRD files (by content) and the template file list (by path). */
export async function diffCharts(before: ExtractedChart, after: ExtractedChart): Promise<ChartDiff> {
  const left = rooted(before);
  const right = rooted(after);
  const crdsOf = (tree: { root: string; files: ExtractedFile[] }) => ({ root: tree.root, files: tree.files.filter((f) => isCrd(f.path)) });
  const crds = await compareTrees(crdsOf(left), crdsOf(right));
  const templatesOf = (tree: { files: ExtractedFile[] }) => new Set(tree.files.map((f) => f.path).filter(isTemplate));
  const oldTemplates = templatesOf(left);
  const newTemplates = templatesOf(right);
  const paths = (changes: Array<{ path: string }>) => changes.map((c) => c.path);
  return {
    chartYaml: chartYamlChanges(before.chart, after.chart),
    crds: { added: paths(crds.added), removed: paths(crds.removed), changed: paths(crds.changed) },
    templates: { added: [...newTemplates].filter((p) => !oldTemplates.has(p)).sort(), removed: [...oldTemplates].filter((p) => !newTemplates.has(p)).sort() },
  };
}
