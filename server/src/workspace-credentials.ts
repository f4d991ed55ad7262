// Picks the workspace pull Secret for a repository: the `spec.secretRef` of an OCIRepository in the workspace with the
// same url, read from a kubernetes.io/dockerconfigjson Secret in the index. Only when trusted and enabled; never logs values.
import { parseOciUrl } from '../../core/oci/reference';
import type { RequestOptions } from '../../core/oci/registry-client';
import type { WorkspaceIndex } from '../../core/workspace/workspace-index';

export function workspaceSecretFor(index: WorkspaceIndex, registry: string, repository: string, allowed: boolean): Pick<RequestOptions, 'secret' | 'secretLabel'> {
  if (!allowed) return {};
  for (const { model } of index.ociRepositories()) {
    const url = model.url?.value;
    const secretName = model.secretRef?.value;
    if (!url || !secretName || url.includes('${')) continue;
    let parsed;
    try {
      parsed = parseOciUrl(url);
    } catch {
      continue;
    }
    if (parsed.registry !== registry || parsed.repository !== repository) continue;
    const secret = index.dockerConfigForSecret(model.object.namespace, secretName);
    if (secret) return { secret, secretLabel: `workspace Secret ${model.object.namespace}/${secretName}` };
  }
  return {};
}
