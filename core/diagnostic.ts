// The diagnostic record every core check returns: severity, stable code, message, exact range,
// and optional fixes as plain text edits. The server and CLI turn these into LSP/JSON/SARIF.
import type { Range, TextEdit } from './text-range';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A quick fix: one or more edits to the same file the diagnostic belongs to. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  isPreferred?: boolean;
}

export interface FluxDiagnostic {
  severity: Severity;
  /** Stable, kebab-case identifier such as `api-version-removed` or `oci-ref-unknown-field`. */
  code: string;
  /** One or two sentences for a person. Never contains a credential or a Secret's value. */
  message: string;
  range: Range;
  fixes?: Fix[];
}
