// `--format json`: the stable machine-readable shape of a check (0-based LSP positions). Later issues add
// fields (e.g. `resolved`); existing fields never change meaning. Must not include fixes or Secret values.
import type { CheckReport } from './check-report';

export interface JsonCheckOutput {
  files: Array<{
    path: string;
    diagnostics: Array<{
      severity: 'error' | 'warning' | 'information' | 'hint';
      code: string;
      message: string;
      range: { start: { line: number; character: number }; end: { line: number; character: number } };
    }>;
    objects: Array<{
      kind: string;
      apiVersion: string;
      name: string;
      /** The effective namespace: as the first Flux Kustomization applying the object sets it, else as written (or default). */
      namespace: string;
      /** One entry per Flux Kustomization applying the object (absent outside every Kustomization). */
      variants?: Array<{ kustomization: string; namespace: string; name: string }>;
      resolved?: { tag: string | null; digest: string };
    }>;
  }>;
}

export function toJsonOutput(report: CheckReport): JsonCheckOutput {
  return {
    files: report.files.map((file) => ({
      path: file.path,
      diagnostics: file.diagnostics.map((d) => ({
        severity: d.severity,
        code: d.code,
        message: d.message,
        range: {
          start: { line: d.range.start.line, character: d.range.start.character },
          end: { line: d.range.end.line, character: d.range.end.character },
        },
      })),
      objects: file.objects.map((o) => ({
        kind: o.kind,
        apiVersion: o.apiVersion,
        name: o.name,
        namespace: o.namespace,
        ...(o.variants ? { variants: o.variants.map((v) => ({ kustomization: v.kustomization, namespace: v.namespace, name: v.name })) } : {}),
        ...(o.resolved ? { resolved: { tag: o.resolved.tag, digest: o.resolved.digest } } : {}),
      })),
    })),
  };
}

export function formatJson(report: CheckReport): string {
  return `${JSON.stringify(toJsonOutput(report), null, 2)}\n`;
}
