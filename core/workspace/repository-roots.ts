// Finds the repository root Flux Kustomization paths start from: the nearest folder holding `.git` at or above
// a workspace folder (or CLI argument), else that folder itself. Reads the file system; never throws. Shared by the server and the CLI.
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The folder holding `.git` at or above `folder`, else `folder` (absolute). */
export async function repositoryRootOf(folder: string): Promise<string> {
  const start = resolve(folder);
  for (let dir = start; ; dir = dirname(dir)) {
    if (await exists(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/** Roots for several folders or files (a file stands for its folder), without repeats. */
export async function repositoryRootsOf(paths: readonly string[]): Promise<string[]> {
  const roots = new Set<string>();
  for (const path of paths) {
    let folder = resolve(path);
    try {
      if (!(await stat(folder)).isDirectory()) folder = dirname(folder);
    } catch {
      folder = dirname(folder);
    }
    roots.add(await repositoryRootOf(folder));
  }
  return [...roots];
}
