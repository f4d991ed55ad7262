// Credentials from a workspace pull Secret's `.dockerconfigjson` (or legacy `.dockercfg` map), matched the way Flux matches them.
// The caller passes the decoded content in; this file never reads the cluster, files or helpers.
import { decodeAuthEntry } from './auth-entry';
import { findKeyringKey } from './host-matching';
import type { CredentialProvider, DockerAuthEntry, DockerConfigJson, FoundCredential } from './types';

function authsOf(config: DockerConfigJson | Record<string, DockerAuthEntry>): Record<string, DockerAuthEntry> {
  if (config && typeof config === 'object' && 'auths' in config && config.auths && typeof config.auths === 'object') {
    return config.auths as Record<string, DockerAuthEntry>;
  }
  return config as Record<string, DockerAuthEntry>;
}

export function secretCredentials(config: DockerConfigJson | Record<string, DockerAuthEntry>, label = 'workspace Secret'): CredentialProvider {
  return {
    name: label,
    async lookup(registry: string, repository: string): Promise<FoundCredential | undefined> {
      const auths = authsOf(config);
      const key = findKeyringKey(Object.keys(auths ?? {}), registry, repository);
      const credential = key === undefined ? undefined : decodeAuthEntry(auths[key]);
      return credential ? { ...credential, source: label } : undefined;
    },
  };
}
