// Builds completion records for ref.tag / ref.semver / ref.digest / chart.spec.version from a tag listing,
// and for spec.values keys from the chart's values.yaml. Plain records; the server maps them to LSP items.
import type { Range } from '../text-range';
import { isPrerelease, rangeSnippets } from '../versions/completion-hints';
import { parseListedTag } from '../versions/helm-tags';
import type { ValueKeyInfo } from './chart-values';

export interface LiveCompletionItem {
  label: string;
  kind: 'tag' | 'range' | 'digest' | 'values-key';
  detail?: string;
  documentation?: string;
  /** Text to insert (defaults to label). */
  insertText?: string;
  /** Keeps the registry's order (newest first) in the list. */
  sortText: string;
  /** Range the item replaces (the value typed so far). */
  range?: Range;
  prerelease?: boolean;
}

const pad = (n: number): string => String(n).padStart(5, '0');

const withNote = (detail: string, note: string | undefined): string => (note ? `${detail} · ${note}` : detail);

/**
 * Tags newest first (prereleases marked); for semver fields, the range snippets of the newest stable tag first.
 * `noteOf` adds to a tag's detail (e.g. which Kustomizations alone have it).
 */
export function tagCompletionItems(
  sortedTags: string[],
  field: 'tag' | 'semver' | 'version',
  helmChart: boolean,
  range?: Range,
  noteOf: (tag: string) => string | undefined = () => undefined,
): LiveCompletionItem[] {
  const items: LiveCompletionItem[] = [];
  if (field !== 'tag') {
    const newest = sortedTags.map((t) => parseListedTag(t, helmChart)).find((v) => v !== undefined && v.prerelease === '');
    if (newest) {
      rangeSnippets(newest).forEach((snippet, i) =>
        items.push({ label: snippet, kind: 'range', detail: 'range', sortText: `0-${pad(i)}`, insertText: JSON.stringify(snippet), ...(range ? { range } : {}) }),
      );
    }
  }
  sortedTags.forEach((tag, i) => {
    const prerelease = isPrerelease(tag, helmChart);
    const version = field === 'version' && helmChart ? tag.replaceAll('_', '+') : tag;
    items.push({
      label: version,
      kind: 'tag',
      detail: withNote(prerelease ? 'prerelease' : i === 0 ? 'newest' : 'tag', noteOf(tag)),
      sortText: `1-${pad(i)}`,
      prerelease,
      ...(/^[0-9.]+$/.test(version) || /[+:]/.test(version) ? { insertText: JSON.stringify(version) } : {}),
      ...(range ? { range } : {}),
    });
  });
  return items;
}

export function digestCompletionItems(digests: Array<{ tag: string; digest: string; note?: string }>, range?: Range): LiveCompletionItem[] {
  return digests.map((d, i) => ({ label: d.digest, kind: 'digest', detail: withNote(`tag ${d.tag}`, d.note), sortText: `1-${pad(i)}`, ...(range ? { range } : {}) }));
}

export function valuesKeyItems(keys: ValueKeyInfo[], prefix: string, siblings: Set<string>): LiveCompletionItem[] {
  return keys
    .filter((k) => !siblings.has(k.key) && k.key.startsWith(prefix))
    .map((k, i) => ({
      label: k.key,
      kind: 'values-key',
      detail: k.kind === 'scalar' ? `default: ${k.defaultText}` : k.kind,
      documentation: [k.comment, k.kind === 'scalar' ? undefined : '```yaml\n' + k.defaultText + '\n```'].filter(Boolean).join('\n\n') || undefined,
      insertText: k.kind === 'scalar' ? `${k.key}: ` : `${k.key}:\n`,
      sortText: `0-${pad(i)}`,
    }));
}
