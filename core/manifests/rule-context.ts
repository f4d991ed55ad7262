// What every Flux rule gets for one document: the parsed mapping, its spec, range helpers and a sink
// for diagnostics that can take over paths from the structural schema check. No rules here.
import type { Node, YAMLMap } from 'yaml';
import type { FluxDiagnostic, Fix } from '../diagnostic';
import type { LineMap, Range } from '../text-range';
import type { DiagnosticCode } from './diagnostic-codes';
import { DIAGNOSTIC_CODES } from './diagnostic-codes';
import { findPair, rangeOfNode } from './yaml-ast';

export interface RuleContext {
  text: string;
  lineMap: LineMap;
  root: YAMLMap;
  spec: YAMLMap | undefined;
  apiVersion: string;
  kind: string;
  /** The document looks like a Kustomize patch (a partial object): no "required" complaints. */
  isPatch: boolean;
  /** Reports a diagnostic with the code's default severity (or the one given). */
  report(code: DiagnosticCode, message: string, range: Range, extra?: { severity?: FluxDiagnostic['severity']; fixes?: Fix[] }): void;
  /** Tells the structural check to drop its diagnostics at this path (or below it): a rule said it better. */
  claim(path: string): void;
  range(node: Node): Range;
  /** Range of the key of `key` in `map`, falling back to the map itself. */
  keyRange(map: YAMLMap, key: string): Range;
}

export function createRuleContext(base: Omit<RuleContext, 'report' | 'claim' | 'range' | 'keyRange'>, sink: FluxDiagnostic[], claimed: Set<string>): RuleContext {
  const range = (node: Node): Range => rangeOfNode(node, base.lineMap);
  return {
    text: base.text,
    lineMap: base.lineMap,
    root: base.root,
    spec: base.spec,
    apiVersion: base.apiVersion,
    kind: base.kind,
    isPatch: base.isPatch,
    report(code, message, r, extra) {
      const d: FluxDiagnostic = { severity: extra?.severity ?? DIAGNOSTIC_CODES[code].severity, code, message, range: r };
      if (extra?.fixes?.length) d.fixes = extra.fixes;
      sink.push(d);
    },
    claim(path) {
      claimed.add(path);
    },
    range,
    keyRange(map, key) {
      const pair = findPair(map, key);
      const k = pair?.key as Node | undefined;
      return k && k.range ? range(k) : range(map);
    },
  };
}

/** True when `path` equals a claimed path or lies below one. */
export function isClaimed(path: string, claimed: ReadonlySet<string>): boolean {
  for (const c of claimed) {
    if (path === c || path.startsWith(`${c}.`) || path.startsWith(`${c}[`)) return true;
  }
  return false;
}
