// Picks the workspace pull Secret and network settings for a repository: the `spec.secretRef` (kubernetes.io/dockerconfigjson),
// `spec.proxySecretRef` and `spec.certSecretRef` of an OCIRepository in the workspace with the same url. Only when
// trusted and enabled; never logs values.
import { sourceNetworkFor } from '../../core/live/source-network';
import { parseOciUrl } from '../../core/oci/reference';
import type { RequestOptions } from '../../core/oci/registry-client';
import type { WorkspaceIndex } from '../../core/workspace/workspace-index';

export type WorkspaceRequestExtras = Pick<RequestOptions, 'secret' | 'secretLabel' | 'network'>;

export function workspaceSecretFor(index: WorkspaceIndex, registry: string, repository: string, allowed: boolean): WorkspaceRequestExtras {
  if (!allowed) return {};
  for (const { model } of index.ociRepositories()) {
    const url = model.url?.value;
    if (!url || url.includes('${')) continue;
    let parsed;
    try {
      parsed = parseOciUrl(url);
    } catch {
      continue;
    }
    if (parsed.registry !== registry || parsed.repository !== repository) continue;
    const namespace = model.object.namespace;
    const network = sourceNetworkFor(index, { trusted: true, useWorkspaceSecrets: true }, { namespace, proxySecretRef: model.proxySecretRef?.value, certSecretRef: model.certSecretRef?.value });
    const extras: WorkspaceRequestExtras = network.ok && network.network ? { network: network.network } : {};
    const secretName = model.secretRef?.value;
    const secret = secretName ? index.dockerConfigForSecret(namespace, secretName) : undefined;
    if (secret) return { ...extras, secret, secretLabel: `workspace Secret ${namespace}/${secretName}` };
    if (extras.network) return extras;
  }
  return {};
}
