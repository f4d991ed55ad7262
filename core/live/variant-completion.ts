// Completion of a ref or chart version across an object's variants: the union of the tags (and recent digests) of
// every repository its Kustomizations read, each item noting which Kustomizations alone have it. Registry reads go
// through the caller's deps; no LSP types.
import { sortTagsNewestFirst } from '../versions/sort-tags';
import type { Range } from '../text-range';
import { mapBounded } from './bounded';
import { digestCompletionItems, tagCompletionItems, type LiveCompletionItem } from './live-completion';
import type { SourceTarget, VariantTarget } from './source-targets';

export interface VariantListingDeps {
  /** The repository's tags; undefined when the registry did not answer (cancellation throws). */
  listTags(target: SourceTarget): Promise<string[] | undefined>;
  digestOf(target: SourceTarget, tag: string): Promise<string | undefined>;
  concurrency: number;
  recentDigestCount: number;
  signal?: AbortSignal;
}

/**
 * Items for `kind` from every target. One target: exactly the single-repository list. Several (variants reading
 * different repositories): the union, newest first, with `only flux-system/apps-production` on what some lack —
 * the written value applies to every variant, so the user sees all choices and which clusters each one fits.
 */
export async function variantCompletionItems(deps: VariantListingDeps, targets: VariantTarget[], kind: 'tag' | 'semver' | 'digest' | 'version', range: Range): Promise<LiveCompletionItem[]> {
  const listings = await mapBounded(targets, deps.concurrency, (t) => deps.listTags(t.target), deps.signal);
  const holders = new Map<string, VariantTarget[]>();
  targets.forEach((t, i) => {
    for (const tag of listings[i] ?? []) holders.set(tag, [...(holders.get(tag) ?? []), t]);
  });
  const all = targets.flatMap((t) => t.kustomizations);
  const onlyIn = (having: readonly VariantTarget[]): string | undefined => {
    if (targets.length < 2) return undefined;
    const kustomizations = having.flatMap((t) => t.kustomizations);
    return all.some((k) => !kustomizations.includes(k)) ? `only ${kustomizations.join(', ')}` : undefined;
  };
  const helmChart = targets[0]?.target.helmChart ?? false;
  const sorted = sortTagsNewestFirst([...holders.keys()], helmChart);
  if (kind !== 'digest') return tagCompletionItems(sorted, kind, helmChart, range, (tag) => onlyIn(holders.get(tag) ?? []));
  const wanted = sorted.slice(0, deps.recentDigestCount).flatMap((tag) => (holders.get(tag) ?? []).map((holder) => ({ tag, holder })));
  const found = await mapBounded(wanted, deps.concurrency, async ({ tag, holder }) => ({ tag, holder, digest: await deps.digestOf(holder.target, tag) }), deps.signal);
  // The same tag and digest in several repositories (a mirror per cluster) is one item.
  const items = new Map<string, { tag: string; digest: string; having: VariantTarget[] }>();
  for (const { tag, holder, digest } of found) {
    if (digest === undefined) continue;
    const key = `${tag}\u0000${digest}`;
    const hit = items.get(key);
    if (hit) hit.having.push(holder);
    else items.set(key, { tag, digest, having: [holder] });
  }
  return digestCompletionItems(
    [...items.values()].map(({ tag, digest, having }) => ({ tag, digest, ...(onlyIn(having) ? { note: onlyIn(having) } : {}) })),
    range,
  );
}

/** One variant's items (e.g. the values keys of its chart) and the Kustomizations it stands for. */
export interface VariantItems {
  items: LiveCompletionItem[];
  kustomizations: string[];
}

/** The union of several variants' items by label, in first-seen order, noting the Kustomizations alone offering one. */
export function mergeVariantItems(lists: VariantItems[]): LiveCompletionItem[] {
  if (lists.length === 1) return lists[0]!.items;
  const all = lists.flatMap((l) => l.kustomizations);
  const merged = new Map<string, { item: LiveCompletionItem; kustomizations: string[] }>();
  for (const list of lists) {
    for (const item of list.items) {
      const hit = merged.get(item.label);
      if (hit) hit.kustomizations.push(...list.kustomizations);
      else merged.set(item.label, { item, kustomizations: [...list.kustomizations] });
    }
  }
  return [...merged.values()].map(({ item, kustomizations }, i) => {
    const some = all.some((k) => !kustomizations.includes(k));
    const detail = some ? [item.detail, `only ${kustomizations.join(', ')}`].filter(Boolean).join(' · ') : item.detail;
    return { ...item, ...(detail !== undefined ? { detail } : {}), sortText: `${item.sortText.split('-')[0]}-${String(i).padStart(5, '0')}` };
  });
}
