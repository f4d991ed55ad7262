// Shapes shared by every credential source: what a credential is, how a source is asked, what a docker config holds.
// Types only: no file, process or network access here.
import type { SourceNetwork } from '../network-options';

export interface RegistryCredential {
  username?: string;
  password?: string;
  /** Docker `identitytoken` / helper `Username: "<token>"`: an OAuth2 refresh token for the token server. */
  identityToken?: string;
  /** Docker `registrytoken`: sent directly as a Bearer token. */
  registryToken?: string;
}

export interface FoundCredential extends RegistryCredential {
  /** Human-readable source, e.g. `workspace Secret flux-system/regcred`, `docker config ~/.docker/config.json (credHelpers: ecr-login)`. */
  source: string;
}

/** What a lookup knows of the request beyond its host: the source's own network, for sources that go online to sign in. */
export interface LookupContext {
  /** The OCIRepository's proxySecretRef / certSecretRef (or a command's), as the registry requests get them. */
  network?: SourceNetwork;
}

export interface CredentialProvider {
  /** A name for messages: which sources were tried (never values). */
  readonly name: string;
  lookup(registry: string, repository: string, context?: LookupContext): Promise<FoundCredential | undefined>;
  /** A sentence naming what would sign this machine in to `registry` (e.g. `az acr login -n …`), for 401/403 messages. */
  signInHint?(registry: string): string | undefined;
  /** Forget what the source remembers (cloud tokens, recent sign-in failures), e.g. after the user signed in. */
  clearCache?(): void;
}

export interface DockerAuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
  email?: string;
}

/** The content of a `kubernetes.io/dockerconfigjson` Secret's `.dockerconfigjson`, or of ~/.docker/config.json. */
export interface DockerConfigJson {
  auths?: Record<string, DockerAuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}
