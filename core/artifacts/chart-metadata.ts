// Helm chart metadata from Chart.yaml text (or the Helm config blob's JSON), parsed with `yaml`.
// Reads fields leniently and never throws: a broken Chart.yaml gives a problem value, not an exception.
import { parse } from 'yaml';

export interface ChartDependency {
  name: string;
  version?: string;
  repository?: string;
  condition?: string;
  alias?: string;
}

export interface ChartMetadata {
  name: string;
  version: string;
  apiVersion?: string;
  appVersion?: string;
  description?: string;
  type?: string;
  kubeVersion?: string;
  /** Chart.yaml `deprecated: true`. */
  deprecated?: boolean;
  dependencies: ChartDependency[];
  annotations?: Record<string, string>;
}

export type ChartMetadataResult = { ok: true; chart: ChartMetadata } | { ok: false; message: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** YAML turns `appVersion: 1.10` into a number; Helm keeps it as written, so numbers become strings. */
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);

export function chartMetadataFromObject(doc: unknown, source = 'Chart.yaml'): ChartMetadataResult {
  if (!isRecord(doc)) return { ok: false, message: `${source} is not a mapping.` };
  const name = text(doc.name);
  const version = text(doc.version);
  if (!name) return { ok: false, message: `${source} has no name.` };
  if (!version) return { ok: false, message: `${source} has no version.` };
  const chart: ChartMetadata = { name, version, dependencies: [] };
  const optional = ['apiVersion', 'appVersion', 'description', 'type', 'kubeVersion'] as const;
  for (const key of optional) {
    const value = text(doc[key]);
    if (value !== undefined) chart[key] = value;
  }
  if (doc.deprecated === true) chart.deprecated = true;
  if (Array.isArray(doc.dependencies)) {
    for (const dep of doc.dependencies) {
      if (!isRecord(dep) || !text(dep.name)) continue;
      const entry: ChartDependency = { name: text(dep.name)! };
      for (const key of ['version', 'repository', 'condition', 'alias'] as const) {
        const value = text(dep[key]);
        if (value !== undefined) entry[key] = value;
      }
      chart.dependencies.push(entry);
    }
  }
  if (isRecord(doc.annotations)) {
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(doc.annotations)) {
      const value = text(v);
      if (value !== undefined) annotations[k] = value;
    }
    chart.annotations = annotations;
  }
  return { ok: true, chart };
}

export function parseChartYaml(source: string): ChartMetadataResult {
  let doc: unknown;
  try {
    doc = parse(source, { maxAliasCount: 100 });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, message: `Chart.yaml is not valid YAML: ${reason}` };
  }
  return chartMetadataFromObject(doc);
}

/**
 * Where Chart.yaml lives in an extracted chart: `<chart>/Chart.yaml` (the packaged layout), else a
 * top-level `Chart.yaml`. Takes the extracted file list.
 */
export function findChartYaml(paths: readonly string[]): string | undefined {
  return paths.find((p) => /^[^/]+\/Chart\.yaml$/.test(p)) ?? paths.find((p) => p === 'Chart.yaml');
}
