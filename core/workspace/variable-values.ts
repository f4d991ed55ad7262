// Where each `${VAR}` of a file stands and what it becomes in every Flux Kustomization applying the document (value and
// source), for hover and inlay hints that need no registry. Reads the index; no LSP types.
import type { Position, Range } from '../text-range';
import { substituteVariables } from './flux-varsub';
import { shiftRange } from './range-shift';
import type { IndexedDocument, WorkspaceIndex } from './workspace-index';

export interface VariableValueInVariant {
  kustomization: string;
  /** Undefined when nothing sets it (no value, no default) or its source is unreadable (SOPS, not in the repository). */
  value?: string;
  /** `postBuild.substitute`, `ConfigMap cluster-vars`, `default`. */
  from?: string;
}

export interface VariableOccurrence {
  range: Range;
  expression: string;
  values: VariableValueInVariant[];
}

function contains(range: Range, p: Position): boolean {
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}

/** The `${…}` expressions of one document (file positions) with their value in each variant that substitutes. */
function occurrencesIn(index: WorkspaceIndex, path: string, doc: IndexedDocument): VariableOccurrence[] {
  const parsed = doc.result.parsed;
  if (!parsed || doc.documentIndex < 0 || !doc.result.text.includes('${')) return [];
  const variants = index.variantsOf(path, doc.documentIndex).filter((v) => v.substituted);
  if (!variants.length) return [];
  const build = index.repositoryBuild();
  const byOffset = new Map<number, VariableOccurrence>();
  for (const variant of variants) {
    const values = build.variablesOf(variant.instance).values;
    for (const use of substituteVariables(doc.result.text, (name) => values.get(name)).uses) {
      const lineStart = doc.result.text.lastIndexOf('\n', use.offset) + 1;
      if (doc.result.text.slice(lineStart, use.offset).trimStart().startsWith('#')) continue; // a comment: kustomize drops it
      let occurrence = byOffset.get(use.offset);
      if (!occurrence) {
        occurrence = { range: shiftRange(parsed.lineMap.rangeOf(use.offset, use.offset + use.expression.length), doc.startLine), expression: use.expression, values: [] };
        byOffset.set(use.offset, occurrence);
      }
      occurrence.values.push({ kustomization: variant.kustomization, ...(use.value !== undefined ? { value: use.value, from: use.from } : {}) });
    }
  }
  return [...byOffset.values()];
}

/** Every `${…}` of the file on the lines of `lines` (all lines when omitted). */
export function variableOccurrences(index: WorkspaceIndex, path: string, lines?: Range): VariableOccurrence[] {
  const out: VariableOccurrence[] = [];
  for (const doc of index.documents(path)) {
    for (const o of occurrencesIn(index, path, doc)) {
      if (!lines || (o.range.end.line >= lines.start.line && o.range.start.line <= lines.end.line)) out.push(o);
    }
  }
  return out;
}

const describe = (v: VariableValueInVariant): string => (v.value === undefined ? 'no known value' : `\`${v.value}\``);

/** Hover markdown for the `${…}` under a position: its value and source in each Kustomization applying the object. */
export function variableHoverAt(index: WorkspaceIndex, path: string, position: Position): { markdown: string; range: Range } | undefined {
  const doc = index.documentAt(path, position);
  const hit = doc ? occurrencesIn(index, path, doc).find((o) => contains(o.range, position)) : undefined;
  if (!hit) return undefined;
  const lines = hit.values.map((v) => `- ${v.kustomization}: ${describe(v)}${v.from ? ` (${v.from})` : ''}`);
  return { markdown: [`**\`${hit.expression}\`** as Flux substitutes it after the build (postBuild):`, '', ...lines].join('\n'), range: hit.range };
}

/** The inlay hint after an expression: ` = 1.2.4`, or each Kustomization's value where they differ. */
export function variableHint(occurrence: VariableOccurrence): { position: Position; label: string; tooltip: string } {
  const distinct = [...new Set(occurrence.values.map((v) => v.value ?? '?'))];
  const label = distinct.length === 1 ? ` = ${distinct[0]}` : ` = ${occurrence.values.map((v) => `${v.value ?? '?'} (${v.kustomization})`).join(', ')}`;
  const tooltip = occurrence.values.map((v) => `${v.kustomization}: ${v.value ?? 'no known value'}${v.from ? ` from ${v.from}` : ''}`).join('\n');
  return { position: occurrence.range.end, label, tooltip };
}
