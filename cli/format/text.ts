// `--format text` (default): one compiler-style line per diagnostic (`path:line:col: severity code: message`,
// 1-based) and a summary line. Must not colour or wrap: the output is for terminals, editors and grep alike.
import { countBySeverity, type CheckReport } from './check-report';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function formatText(report: CheckReport): string {
  const lines: string[] = [];
  for (const file of report.files) {
    const sorted = [...file.diagnostics].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    for (const d of sorted) {
      lines.push(`${file.path}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code}: ${d.message.replace(/\s*\n\s*/g, ' ')}`);
    }
    for (const o of file.objects) {
      if (o.resolved) lines.push(`${file.path}: ${o.kind} ${o.namespace}/${o.name} resolves to ${o.resolved.tag ?? '(digest)'} ${o.resolved.digest}`);
    }
  }
  const counts = countBySeverity(report);
  const objects = report.files.reduce((sum, f) => sum + f.objects.length, 0);
  const notes = counts.information + counts.hint;
  const problems = counts.error + counts.warning + notes;
  const scope = `${plural(report.files.length, 'file')}, ${plural(objects, 'object')}`;
  lines.push(problems === 0 ? `No problems found (${scope}).` : `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(notes, 'note')} (${scope}).`);
  return `${lines.join('\n')}\n`;
}
