// The credentials of the person at this machine, in order: the caller's own sources (editor-stored), the docker config,
// then cloud sign-in — except for hosts an OCIRepository's `spec.provider` names, where cloud sign-in goes before the docker config.
import { credentialChain, lookupInOrder } from './chain';
import { cloudCredentials, type CloudCredentialsOptions } from './cloud-credentials';
import { dockerConfigCredentials, type DockerConfigFileOptions } from './docker-config-file';
import type { CredentialProvider } from './types';

export interface DeveloperCredentialsOptions {
  /** Sources tried before everything else (e.g. credentials stored in the editor). */
  first?: CredentialProvider[];
  dockerConfig?: DockerConfigFileOptions;
  /** Cloud sign-in options; `false` leaves cloud sign-in out (the `fluxOci.registry.cloudSignIn` setting). */
  cloud?: CloudCredentialsOptions | false;
  log?: (line: string) => void;
}

export function developerCredentials(options: DeveloperCredentialsOptions = {}): CredentialProvider {
  const first = options.first ?? [];
  const docker = dockerConfigCredentials({ log: options.log, ...options.dockerConfig });
  if (options.cloud === false) return credentialChain(...first, docker);
  const cloud = cloudCredentials({ log: options.log, ...options.cloud });
  const whole = credentialChain(...first, docker, cloud);
  return {
    name: whole.name,
    async lookup(registry, repository, context) {
      const order = cloud.isDeclared(registry) ? [...first, cloud, docker] : [...first, docker, cloud];
      return (await lookupInOrder(order, registry, repository, context)).credential;
    },
    signInHint: (registry) => whole.signInHint?.(registry),
    clearCache: () => whole.clearCache?.(),
  };
}
