// Renders an upgrade report: the full Markdown page (Preview Upgrade), the short "Upgrading to X" hover section and
// plain text for the CLI. Text only; every registry- or chart-supplied string is shown as code or escaped.
import type { FindingLevel, UpgradeFinding, UpgradeReport } from './upgrade-report';

export const PREVIEW_UPGRADE_COMMAND = 'fluxOci.previewUpgrade';

const code = (text: string): string => `\`${text.replace(/`/g, "'").replace(/[\r\n]+/g, ' ')}\``;
/** Text from charts and registries as inert Markdown: no links, images, HTML, emphasis or table breaks can be formed. */
export const inertMarkdown = (text: string): string => text.replace(/[\\`*_[\]<|~!]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
const cell = inertMarkdown;
/** A code span inside a table cell: a `|` would end the cell even there. */
const codeCell = (text: string): string => code(text).replace(/\|/g, '\\|');
const LEVEL_LABEL: Record<FindingLevel, string> = { breaking: 'Breaking', notable: 'Worth a look', info: 'Also changed' };
const LEVEL_ICON: Record<FindingLevel, string> = { breaking: '⛔', notable: '⚠', info: '•' };

function versionLine(report: UpgradeReport): string {
  const side = (s: UpgradeReport['from']) => `${code(s.tag)}${s.appVersion ? ` (app ${code(s.appVersion)})` : ''}`;
  return `${side(report.from)} → ${side(report.to)}`;
}

function summary(report: UpgradeReport): string {
  const count = (level: FindingLevel) => report.findings.filter((f) => f.level === level).length;
  const breaking = count('breaking');
  return `${breaking} breaking, ${count('notable')} worth a look, ${count('info')} other change${count('info') === 1 ? '' : 's'}`;
}

/** A `[Preview Upgrade to X…](command:…)` link carrying the document position and target version. */
export function previewUpgradeLink(uri: string, position: { line: number; character: number }, to: string): string {
  return `[Preview Upgrade to ${to.replace(/[[\]]/g, '')}…](command:${PREVIEW_UPGRADE_COMMAND}?${encodeURIComponent(JSON.stringify([{ uri, position, to }]))})`;
}

/** The hover section: the breaking findings first, then a few others, then how much more the full report holds. */
export function renderUpgradeHoverSection(report: UpgradeReport, options: { limit?: number; link?: string } = {}): string {
  const limit = options.limit ?? 6;
  const lines = [`**Upgrading to ${code(report.to.tag)}** from ${code(report.from.tag)}${report.valuesOf ? ` for ${inertMarkdown(report.valuesOf)}` : ''}: ${summary(report)}`];
  const shown = report.findings.filter((f) => f.level !== 'info').slice(0, limit);
  const rest = report.findings.filter((f) => f.level === 'info').slice(0, Math.max(0, Math.min(3, limit - shown.length)));
  for (const f of [...shown, ...rest]) lines.push(`- ${LEVEL_ICON[f.level]} ${inertMarkdown(f.message)}`);
  const more = report.findings.length - shown.length - rest.length;
  if (more > 0) lines.push(`- …and ${more} more`);
  if (report.findings.length === 0) lines.push('- Nothing in values.yaml, values.schema.json, Chart.yaml, crds/ or templates/ affects this release.');
  if (options.link) lines.push('', options.link);
  return lines.join('\n');
}

function findingsTable(findings: UpgradeFinding[]): string[] {
  const out = ['| | Subject | What changes |', '|---|---|---|'];
  for (const f of findings) out.push(`| ${LEVEL_ICON[f.level]} | ${codeCell(f.subject)} | ${cell(f.message)} |`);
  return out;
}

/** The full Markdown report, for the preview beside the values.yaml diff. */
export function renderUpgradeMarkdown(report: UpgradeReport): string {
  const out = [
    `# Upgrade ${code(report.chart)}: ${versionLine(report)}`,
    '',
    `Source ${code(report.source)}; ${report.valuesOf ? `values of ${inertMarkdown(report.valuesOf)}` : 'no release values checked'}.`,
    '',
    `**${summary(report)}.**`,
    '',
  ];
  for (const level of ['breaking', 'notable', 'info'] as const) {
    const findings = report.findings.filter((f) => f.level === level && f.topic !== 'default');
    if (findings.length === 0) continue;
    out.push(`## ${LEVEL_LABEL[level]}`, '', ...findingsTable(findings), '');
  }
  const defaults = report.values.changedDefaults;
  if (defaults.length) {
    out.push('## Changed defaults of keys this release does not set', '', '| Key | Before | After |', '|---|---|---|');
    for (const d of defaults) out.push(`| ${codeCell(d.path)} | ${codeCell(d.before)} | ${codeCell(d.after)} |`);
    if (report.values.changedDefaultsTotal > defaults.length) out.push('', `…and ${report.values.changedDefaultsTotal - defaults.length} deeper ones.`);
    out.push('');
  }
  if (report.values.addedKeys) out.push(`${report.values.addedKeys} key${report.values.addedKeys === 1 ? '' : 's'} new in values.yaml.`, '');
  out.push(`_Digests: ${code(report.from.digest)} → ${code(report.to.digest)}_`);
  return `${out.join('\n')}\n`;
}

/** Plain text for the CLI: one line per finding, breaking first, then a summary. */
export function renderUpgradeText(report: UpgradeReport): string {
  const lines = [`${report.chart} ${report.from.tag} -> ${report.to.tag} (${report.source})${report.valuesOf ? `, values of ${report.valuesOf}` : ''}`];
  for (const f of report.findings) {
    const where = f.range ? `:${f.range.start.line + 1}:${f.range.start.character + 1}` : '';
    lines.push(`  ${f.level.padEnd(8)} ${f.topic.padEnd(8)} ${f.subject}${where}: ${f.message}`);
  }
  if (report.values.changedDefaultsTotal > report.values.changedDefaults.length)
    lines.push(`  info     default  …and ${report.values.changedDefaultsTotal - report.values.changedDefaults.length} more changed defaults`);
  lines.push(`${summary(report)}.`);
  return `${lines.join('\n')}\n`;
}
