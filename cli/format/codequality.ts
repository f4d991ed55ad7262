// `--format codequality`: GitLab's Code Quality report (a JSON array of CodeClimate-style issues) for merge request
// widgets (`artifacts:reports:codequality`). Diagnostics only; never file contents.
import { createHash } from 'node:crypto';
import type { Severity } from '../../core/diagnostic';
import type { CheckReport } from './check-report';

/** GitLab's severities are info, minor, major, critical and blocker; an error stops Flux from reconciling: major. */
const SEVERITY: Record<Severity, 'major' | 'minor' | 'info'> = { error: 'major', warning: 'minor', information: 'info', hint: 'info' };

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'major' | 'minor' | 'info';
  location: { path: string; lines: { begin: number; end: number } };
}

export function toCodeQuality(report: CheckReport): CodeQualityIssue[] {
  const seen = new Map<string, number>();
  return report.files.flatMap((file) => {
    const path = file.path.replace(/\\/g, '/').replace(/^\.\//, '');
    return file.diagnostics.map((d) => {
      // Stable across edits elsewhere in the file (no line number); the occurrence count keeps repeats distinct.
      const identity = `${path}\0${d.code}\0${d.message}`;
      const occurrence = (seen.get(identity) ?? 0) + 1;
      seen.set(identity, occurrence);
      return {
        description: d.message,
        check_name: d.code,
        fingerprint: createHash('sha256').update(`${identity}\0${occurrence}`).digest('hex'),
        severity: SEVERITY[d.severity] ?? 'major',
        location: { path, lines: { begin: d.range.start.line + 1, end: d.range.end.line + 1 } },
      };
    });
  });
}

export function formatCodeQuality(report: CheckReport): string {
  return `${JSON.stringify(toCodeQuality(report), null, 2)}\n`;
}
