// `--format sarif`: a minimal valid SARIF 2.1.0 log for code-scanning UIs: rules from the diagnostic codes,
// results with 1-based regions. Must not embed file contents or anything beyond the diagnostics.
import { DIAGNOSTIC_CODES } from '../../core/manifests/diagnostic-codes';
import type { Severity } from '../../core/diagnostic';
import type { CheckReport } from './check-report';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export interface SarifOptions {
  toolVersion?: string;
}

function describe(code: string): string {
  const known = (DIAGNOSTIC_CODES as Record<string, { description: string } | undefined>)[code];
  return known?.description ?? code;
}

/** A relative or absolute file path as a SARIF artifact URI (forward slashes, percent-encoded). */
export function sarifUri(path: string): string {
  const posix = path.replace(/\\/g, '/');
  if (/^[A-Za-z]:\//.test(posix)) return `file:///${encodeURI(posix)}`;
  if (posix.startsWith('/')) return `file://${encodeURI(posix)}`;
  return encodeURI(posix.replace(/^\.\//, ''));
}

export function toSarif(report: CheckReport, options: SarifOptions = {}): Record<string, unknown> {
  const ruleIds = [...new Set(report.files.flatMap((f) => f.diagnostics.map((d) => d.code)))].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const results = report.files.flatMap((file) =>
    file.diagnostics.map((d) => {
      const uri = sarifUri(file.path);
      return {
        ruleId: d.code,
        ruleIndex: ruleIndex.get(d.code),
        level: LEVEL[d.severity] ?? 'error',
        message: { text: d.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: uri.startsWith('file:') ? { uri } : { uri, uriBaseId: '%SRCROOT%' },
              region: {
                startLine: d.range.start.line + 1,
                startColumn: d.range.start.character + 1,
                endLine: d.range.end.line + 1,
                endColumn: d.range.end.character + 1,
              },
            },
          },
        ],
      };
    }),
  );
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'flux-oci',
            version: options.toolVersion ?? process.env.FLUX_OCI_VERSION ?? '0.1.0', // the package version, set at build time
            rules: ruleIds.map((id) => ({ id, name: id, shortDescription: { text: describe(id) } })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export function formatSarif(report: CheckReport, options: SarifOptions = {}): string {
  return `${JSON.stringify(toSarif(report, options), null, 2)}\n`;
}
