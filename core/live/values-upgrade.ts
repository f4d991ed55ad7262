// What a chart version change does to one release's values: keys it sets that the new values.yaml dropped (with the
// likely rename), values the new values.schema.json rejects, and changed defaults of keys it leaves alone. Pure.
import type { Range } from '../text-range';
import { validateValues, type ValueNode } from './json-schema-validate';
import { displayPath, pathKey, type IndexedKey, type ValuesKeyIndex } from './values-key-index';

export interface DroppedValue {
  /** `ui.color` */
  path: string;
  /** 'removed': the key is gone; 'type-changed': the release sets keys inside what is no longer a map. */
  reason: 'removed' | 'type-changed';
  /** The key the new chart most likely moved it to. */
  renamedTo?: string;
  /** Why that key was suggested: same name, same comment, same default. */
  renamedBecause?: string;
  /** Where the release sets it (absent for values given without positions). */
  range?: Range;
}

export interface RejectedValue {
  path: string;
  message: string;
  /** False when the old chart's schema rejected it too (not caused by this upgrade). */
  introduced: boolean;
  range?: Range;
}

export interface ChangedDefault {
  path: string;
  before: string;
  after: string;
  depth: number;
}

export interface ValuesUpgrade {
  dropped: DroppedValue[];
  rejected: RejectedValue[];
  /** Shallowest first, at most the limit asked for. */
  changedDefaults: ChangedDefault[];
  changedDefaultsTotal: number;
  /** Keys the new values.yaml declares that the old one did not. */
  addedKeys: number;
}

export interface ValuesUpgradeInput {
  /** The release's values (spec.values or a values file), with ranges. */
  release?: ValueNode;
  before: ValuesKeyIndex;
  after: ValuesKeyIndex;
  beforeSchema?: unknown;
  afterSchema?: unknown;
  /** How many changed defaults to keep (default 20). */
  defaultsLimit?: number;
}

type MapNode = Extract<ValueNode, { kind: 'map' }>;

const normalise = (text: string | undefined): string =>
  (text ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
const trivialDefault = (key: IndexedKey): boolean => key.kind !== 'scalar' || key.scalar === '' || key.scalar === null || key.scalar === false || key.scalar === true || key.scalar === 0;

function kindOf(node: ValueNode): IndexedKey['kind'] {
  return node.kind === 'map' ? 'map' : node.kind === 'seq' ? 'list' : 'scalar';
}

/** The new key an old key most likely became: same leaf name, same comment, or the same non-trivial default. */
export function likelyRename(old: IndexedKey | undefined, leaf: string, releaseKind: IndexedKey['kind'], candidates: readonly IndexedKey[]): { key: IndexedKey; because: string } | undefined {
  let best: { key: IndexedKey; score: number; because: string[] } | undefined;
  for (const candidate of candidates) {
    if (candidate.kind !== releaseKind) continue;
    const because: string[] = [];
    let score = 0;
    if (candidate.key === leaf) {
      score += 3;
      because.push('same name');
    }
    if (old?.comment && candidate.comment && normalise(old.comment) === normalise(candidate.comment)) {
      score += 3;
      because.push('same comment');
    }
    if (old && !trivialDefault(old) && old.defaultText === candidate.defaultText) {
      score += 2;
      because.push('same default');
    }
    if (old && old.kind === candidate.kind && old.scalar !== undefined && typeof old.scalar === typeof candidate.scalar) score += 1;
    if (score < 3) continue;
    const closer = best && score === best.score && candidate.path.length < best.key.path.length;
    if (!best || score > best.score || closer) best = { key: candidate, score, because };
  }
  return best ? { key: best.key, because: best.because.join(', ') } : undefined;
}

/** The release's own leaf keys under a node (a scalar or list is its own leaf). */
function leavesOf(node: ValueNode, path: string[], keyRange: Range | undefined, out: Array<{ path: string[]; node: ValueNode; keyRange?: Range }>): void {
  if (node.kind === 'map' && node.entries.length > 0) {
    for (const entry of node.entries) leavesOf(entry.value, [...path, entry.key], entry.keyRange, out);
  } else out.push({ path, node, ...(keyRange ? { keyRange } : {}) });
}

function findDropped(input: ValuesUpgradeInput, root: MapNode): DroppedValue[] {
  const added = [...input.after.values()].filter((k) => !input.before.has(pathKey(k.path)));
  const dropped: DroppedValue[] = [];
  const report = (path: string[], node: ValueNode, keyRange: Range | undefined, reason: DroppedValue['reason']): void => {
    const old = input.before.get(pathKey(path));
    const rename = reason === 'removed' ? likelyRename(old, path[path.length - 1]!, old?.kind ?? kindOf(node), added) : undefined;
    dropped.push({ path: displayPath(path), reason, ...(rename ? { renamedTo: displayPath(rename.key.path), renamedBecause: rename.because } : {}), ...(keyRange ? { range: keyRange } : {}) });
  };
  const walk = (map: MapNode, path: string[]): void => {
    for (const entry of map.entries) {
      const keyPath = [...path, entry.key];
      const before = input.before.get(pathKey(keyPath));
      const after = input.after.get(pathKey(keyPath));
      if (!before) continue; // a key the old chart did not declare either (free-form maps, typos): not this upgrade's doing
      if (!after) {
        const leaves: Array<{ path: string[]; node: ValueNode; keyRange?: Range }> = [];
        leavesOf(entry.value, keyPath, entry.keyRange, leaves);
        for (const leaf of leaves) report(leaf.path, leaf.node, leaf.keyRange, 'removed');
      } else if (entry.value.kind === 'map' && entry.value.entries.length > 0) {
        if (after.kind === 'map') walk(entry.value, keyPath);
        else if (before.kind === 'map') report(keyPath, entry.value, entry.keyRange, 'type-changed');
      }
    }
  };
  walk(root, []);
  return dropped;
}

function findRejected(input: ValuesUpgradeInput, root: ValueNode): RejectedValue[] {
  if (input.afterSchema === undefined) return [];
  const before = new Set(input.beforeSchema === undefined ? [] : validateValues(input.beforeSchema, root).map((i) => `${i.path}\u0000${i.message}`));
  return validateValues(input.afterSchema, root).map((issue) => ({
    path: issue.path,
    message: issue.message,
    introduced: !before.has(`${issue.path}\u0000${issue.message}`),
    range: issue.range,
  }));
}

/** Every key path the release sets, and every prefix of it. */
function setPaths(root: ValueNode | undefined): Set<string> {
  const out = new Set<string>();
  const walk = (node: ValueNode, path: string[]): void => {
    if (node.kind !== 'map') return;
    for (const entry of node.entries) {
      const keyPath = [...path, entry.key];
      out.add(pathKey(keyPath));
      walk(entry.value, keyPath);
    }
  };
  if (root) walk(root, []);
  return out;
}

/** Whether the release decides this key: it sets the key, or sets one of its parents to something other than a map. */
function releaseDecides(path: string[], set: Set<string>, release: ValueNode | undefined): boolean {
  if (set.has(pathKey(path))) return true;
  let node = release;
  for (const step of path) {
    if (!node) return false;
    if (node.kind !== 'map') return true;
    node = node.entries.find((e) => e.key === step)?.value;
  }
  return false;
}

function findChangedDefaults(input: ValuesUpgradeInput): ChangedDefault[] {
  const set = setPaths(input.release);
  const out: ChangedDefault[] = [];
  for (const [key, after] of input.after) {
    const before = input.before.get(key);
    if (!before || after.kind === 'map' || before.kind === 'map' || before.defaultText === after.defaultText) continue;
    if (releaseDecides(after.path, set, input.release)) continue;
    out.push({ path: displayPath(after.path), before: before.defaultText, after: after.defaultText, depth: after.path.length });
  }
  return out.sort((a, b) => a.depth - b.depth || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Compares the old and new chart values against what the release sets. */
export function compareValuesForUpgrade(input: ValuesUpgradeInput): ValuesUpgrade {
  const release = input.release;
  const changed = findChangedDefaults(input);
  const limit = input.defaultsLimit ?? 20;
  return {
    dropped: release?.kind === 'map' && input.before.size > 0 ? findDropped(input, release) : [],
    rejected: release ? findRejected(input, release) : [],
    changedDefaults: changed.slice(0, limit),
    changedDefaultsTotal: changed.length,
    addedKeys: [...input.after.keys()].filter((k) => !input.before.has(k)).length,
  };
}
