// Merges the live findings of one object's variants (one per Flux Kustomization applying it differently): each
// distinct finding once, naming the Kustomizations it holds for where that matters. Pure; no registry, no index.
import type { FluxDiagnostic } from '../diagnostic';

interface VariantFinding {
  path: string;
  diagnostic: FluxDiagnostic;
  kustomizations: string[];
  /** Name the Kustomizations even when the finding holds for all of them (e.g. its value came from a variable). */
  named: boolean;
}

/** Collects findings keyed by file, code, message and position; the same finding from several variants is one. */
export class VariantFindings {
  private readonly byKey = new Map<string, VariantFinding>();

  add(path: string, diagnostic: FluxDiagnostic | undefined, kustomizations: readonly string[], named = false): void {
    if (!diagnostic) return;
    const { start } = diagnostic.range;
    const key = [path, diagnostic.code, diagnostic.message, start.line, start.character].join('\u0000');
    const found = this.byKey.get(key);
    if (!found) {
      this.byKey.set(key, { path, diagnostic, kustomizations: [...kustomizations], named });
      return;
    }
    for (const k of kustomizations) if (!found.kustomizations.includes(k)) found.kustomizations.push(k);
    found.named ||= named;
  }

  /**
   * Each finding once, in the order first found, with ` (as applied by a, b)` appended where it is named or, given
   * `all` (every Kustomization applying the object), where it holds for only some of them.
   */
  results(all?: readonly string[]): Array<{ path: string; diagnostic: FluxDiagnostic }> {
    return [...this.byKey.values()].map(({ path, diagnostic, kustomizations, named }) => {
      const partial = all !== undefined && all.some((k) => !kustomizations.includes(k));
      if (!kustomizations.length || !(named || partial)) return { path, diagnostic };
      const { fixes, ...rest } = diagnostic;
      return { path, diagnostic: { ...rest, message: `${rest.message} (as applied by ${kustomizations.join(', ')})`, ...(fixes ? { fixes } : {}) } };
    });
  }
}
