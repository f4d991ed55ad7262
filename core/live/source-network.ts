// The proxy and TLS material a workspace source asks for, read as Flux reads them: `spec.proxySecretRef` (keys
// `address`, `username`, `password`) and `spec.certSecretRef` (`ca.crt`/`tls.crt`/`tls.key`, or caFile/certFile/keyFile).
// Trusted workspaces only, like pull Secrets; values never appear in messages. No network here.
import type { SourceNetwork } from '../oci/network-options';
import { RegistryError } from '../oci/errors';
import { parseProxyAddress } from '../oci/proxy-rules';
import { tlsMaterialFromSecret } from '../oci/tls-material';
import type { WorkspaceIndex } from '../workspace/workspace-index';
import type { LiveOptions } from './live-options';

export interface SourceNetworkRefs {
  namespace: string;
  proxySecretRef?: string;
  certSecretRef?: string;
}

export type SourceNetworkResult = { ok: true; network?: SourceNetwork } | { ok: false; message: string };

/** The source's network settings from its Secrets in the workspace; `ok: false` with a sentence when a Secret is unusable. */
export function sourceNetworkFor(index: WorkspaceIndex, options: Pick<LiveOptions, 'trusted' | 'useWorkspaceSecrets'>, refs: SourceNetworkRefs): SourceNetworkResult {
  if (!options.trusted || !options.useWorkspaceSecrets || (!refs.proxySecretRef && !refs.certSecretRef)) return { ok: true };
  const network: SourceNetwork = {};
  try {
    if (refs.proxySecretRef) {
      const label = `Secret ${refs.namespace}/${refs.proxySecretRef} (proxySecretRef)`;
      const data = index.secretDataFor(refs.namespace, refs.proxySecretRef);
      if (data) {
        if (!data.address) return { ok: false, message: `${label} has no "address" key, so Flux cannot use the proxy.` };
        const parsed = parseProxyAddress(data.address, label);
        network.proxy = { ...parsed, ...(data.username ? { username: data.username } : {}), ...(data.password ? { password: data.password } : {}) };
      }
    }
    if (refs.certSecretRef) {
      const label = `Secret ${refs.namespace}/${refs.certSecretRef} (certSecretRef)`;
      const data = index.secretDataFor(refs.namespace, refs.certSecretRef);
      const tls = data ? tlsMaterialFromSecret(data, label) : undefined;
      if (tls) network.tls = tls;
    }
  } catch (error) {
    if (error instanceof RegistryError) return { ok: false, message: error.message };
    throw error;
  }
  return { ok: true, ...(network.proxy || network.tls ? { network } : {}) };
}
