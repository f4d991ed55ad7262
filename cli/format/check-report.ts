// The result of `flux-oci check` that every output format renders: files in order, each with its diagnostics
// and the Kubernetes objects found. Holds no rendering and no file-system access.
import type { FluxDiagnostic } from '../../core/diagnostic';
import type { AnalyzedObject } from '../../core/workspace/workspace-index';

export interface CheckedFile {
  /** The path as the user named it (joined with the walked sub-path), for display. */
  path: string;
  diagnostics: FluxDiagnostic[];
  objects: CheckedObject[];
}

/** An object of the report; `resolved` is set by `--online` for OCIRepositories that resolve. */
export type CheckedObject = AnalyzedObject & { resolved?: { tag: string | null; digest: string } };

export interface CheckReport {
  files: CheckedFile[];
}

export function countBySeverity(report: CheckReport): Record<FluxDiagnostic['severity'], number> {
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const file of report.files) for (const d of file.diagnostics) counts[d.severity]++;
  return counts;
}
