// Which files' diagnostics an edit to one file may have changed (the edited file first).
// Reads the index's entries and build; must not change them.
import type { FileEntry } from './file-entry';
import type { RepositoryBuild } from './repository-build';

export interface AffectedPathsInput {
  entries: ReadonlyMap<string, FileEntry>;
  build: RepositoryBuild;
  /** Whether a path is currently named as a patch by some file. */
  isNamedPatch: (path: string) => boolean;
}

/** The edited path, plus (when its exports changed) every file that reads other files' objects or patches. */
export function affectedPaths(input: AffectedPathsInput, path: string, exportsChanged: boolean, previousPatchPaths: readonly string[], structural = false): string[] {
  if (!exportsChanged) return [path];
  const out = [path];
  const { entries, build, isNamedPatch } = input;
  for (const [p, e] of entries) {
    const buildDependent = structural && (build.isPatchFile(p) || e.text.includes('${'));
    if (p !== path && (e.hasReferences || isNamedPatch(p) || previousPatchPaths.includes(p) || buildDependent)) out.push(p);
  }
  return out;
}
