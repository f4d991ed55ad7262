// Loads a fixture folder (every *.yaml/*.yml below it) into a WorkspaceIndex whose repository root is that folder,
// as the CLI does for a checked-out repository. Test helper; reads files only.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceIndex } from '../../core/workspace/workspace-index';

export function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...yamlFilesUnder(path));
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

export function loadFixtureTree(root: string, index = new WorkspaceIndex()): WorkspaceIndex {
  index.setRepositoryRoots([root]);
  for (const path of yamlFilesUnder(root)) index.setFile(path, readFileSync(path, 'utf8'));
  return index;
}
