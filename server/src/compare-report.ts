// Renders the file-level differences between two pulled artifacts as a markdown page (added/removed/changed with sizes).
// Pure formatting of the core's TreeComparison; paths are shown as code so registry-supplied names cannot inject markup.
import type { TreeComparison } from '../../core/artifacts/compare';
import { formatBytes } from '../../core/artifacts/limits';

const code = (text: string): string => `\`${text.replace(/`/g, "'").replace(/[\r\n|]/g, ' ')}\``;

export function renderComparison(left: string, right: string, comparison: TreeComparison): string {
  const out = [`# ${code(left)} → ${code(right)}`, ''];
  const total = comparison.added.length + comparison.removed.length + comparison.changed.length;
  out.push(
    total === 0
      ? `No file differs (${comparison.unchanged} identical).`
      : `${comparison.added.length} added, ${comparison.removed.length} removed, ${comparison.changed.length} changed, ${comparison.unchanged} unchanged.`,
    '',
  );
  if (comparison.added.length) {
    out.push('## Added', '', '| Path | Size |', '|---|---:|');
    for (const f of comparison.added) out.push(`| ${code(f.path)} | ${formatBytes(f.sizeAfter ?? 0)} |`);
    out.push('');
  }
  if (comparison.removed.length) {
    out.push('## Removed', '', '| Path | Size |', '|---|---:|');
    for (const f of comparison.removed) out.push(`| ${code(f.path)} | ${formatBytes(f.sizeBefore ?? 0)} |`);
    out.push('');
  }
  if (comparison.changed.length) {
    out.push('## Changed', '', '| Path | Before | After |', '|---|---:|---:|');
    for (const f of comparison.changed) out.push(`| ${code(f.path)} | ${formatBytes(f.sizeBefore ?? 0)} | ${formatBytes(f.sizeAfter ?? 0)} |`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
