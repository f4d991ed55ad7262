// Credentials the user stored in the editor (e.g. VS Code SecretStorage), passed in by the caller, keyed by registry host.
// Matches by exact host[:port] (Docker Hub aliases folded); never persists anything.
import { findDockerConfigKey } from './host-matching';
import type { CredentialProvider, FoundCredential, RegistryCredential } from './types';

export function staticCredentials(byHost: Record<string, RegistryCredential>, label = 'stored credentials'): CredentialProvider {
  return {
    name: label,
    async lookup(registry: string): Promise<FoundCredential | undefined> {
      const key = findDockerConfigKey(Object.keys(byHost), registry);
      return key === undefined ? undefined : { ...byHost[key], source: label };
    },
  };
}
