// Flux's ArtifactGenerator (source.extensions.fluxcd.io): an ExternalArtifact assembled by copying folders of a
// Git source; maps a Kustomization's spec.path inside that artifact back to the repository folder. Pure JSON.
import { objectAtPath, stringAtPath } from './document-json';
import { isJsonObject, type JsonObject } from './json-patches';
import { joinPath } from './repository-paths';

export function isArtifactGenerator(obj: { kind?: unknown; apiVersion?: unknown }): boolean {
  return obj.kind === 'ArtifactGenerator' && typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith('source.extensions.fluxcd.io/');
}

/** `@alias/dir/**` → `dir`; `@artifact/sub/` → `sub` (empty for the artifact's root). */
function folderOf(pattern: string): string {
  return pattern
    .replace(/^@[^/]*\/?/, '')
    .replace(/\/?\*\*?$/, '')
    .replace(/\/+$/, '');
}

/**
 * The repository folder an ExternalArtifact path stands for: the copy rule of the named artifact whose target
 * holds the path, its source folder joined with the rest. Undefined when no generator of the repository says.
 */
export function artifactPathInRepository(generators: readonly JsonObject[], namespace: string, artifact: string, path: string, root: string): string | undefined {
  const inArtifact = joinPath('', path.replace(/^\/+/, ''));
  for (const generator of generators) {
    if ((stringAtPath(generator, 'metadata', 'namespace') ?? 'default') !== namespace) continue;
    const artifacts = objectAtPath(generator, 'spec')?.artifacts;
    if (!Array.isArray(artifacts)) continue;
    for (const entry of artifacts) {
      if (!isJsonObject(entry) || entry.name !== artifact || !Array.isArray(entry.copy)) continue;
      for (const rule of entry.copy) {
        const from = isJsonObject(rule) && typeof rule.from === 'string' ? rule.from : undefined;
        const to = isJsonObject(rule) && typeof rule.to === 'string' ? rule.to : undefined;
        if (!from || !to) continue;
        const target = folderOf(to);
        if (target !== '' && inArtifact !== target && !inArtifact.startsWith(`${target}/`)) continue;
        const rest = target === '' ? inArtifact : inArtifact.slice(target.length).replace(/^\//, '');
        return joinPath(joinPath(root, folderOf(from), root), rest, root);
      }
    }
  }
  return undefined;
}
