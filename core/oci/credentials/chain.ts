// Tries credential sources in order (first hit wins) and remembers which ones were consulted, for "tried: …" messages.
// Holds no credentials itself.
import type { CredentialProvider, FoundCredential, LookupContext } from './types';

export interface ChainLookup {
  credential?: FoundCredential;
  tried: string[];
}

export async function lookupInOrder(providers: Array<CredentialProvider | undefined>, registry: string, repository: string, context?: LookupContext): Promise<ChainLookup> {
  const tried: string[] = [];
  for (const provider of providers) {
    if (!provider) continue;
    tried.push(provider.name);
    const credential = await provider.lookup(registry, repository, context);
    if (credential) return { credential, tried };
  }
  return { tried };
}

/** Combines several sources into one provider (e.g. stored credentials, then the docker config). */
export function credentialChain(...providers: CredentialProvider[]): CredentialProvider {
  return {
    name: providers.map((p) => p.name).join(', '),
    async lookup(registry, repository, context) {
      return (await lookupInOrder(providers, registry, repository, context)).credential;
    },
    signInHint: (registry) => firstSignInHint(providers, registry),
    clearCache: () => providers.forEach((p) => p.clearCache?.()),
  };
}

/** The first sign-in hint any of `providers` has for `registry`. */
export function firstSignInHint(providers: Array<CredentialProvider | undefined>, registry: string): string | undefined {
  for (const provider of providers) {
    const hint = provider?.signInHint?.(registry);
    if (hint) return hint;
  }
  return undefined;
}
