// The credentials every CLI command uses: the docker config, then cloud sign-in (AWS, Azure, Google) for cloud registry
// hosts and for hosts whose cloud `--provider` or an OCIRepository's `spec.provider` names. Construction only.
import { isCloudProviderName, type CloudProviderName } from '../core/oci/credentials/cloud-registry-hosts';
import { developerCredentials } from '../core/oci/credentials/developer-credentials';
import type { CredentialProvider } from '../core/oci/credentials/types';
import type { ClientNetwork } from '../core/oci/network-options';

export const PROVIDER_HELP = `  --provider aws|azure|gcp  sign in with that cloud's own credentials (AWS SDK, Azure CLI,
                     Google application default credentials), as spec.provider does`;

/** Parses a `--provider` value; `generic` means none. */
export function parseProviderFlag(value: string | undefined): { provider?: CloudProviderName } | { error: string } {
  if (value === 'generic') return {};
  return isCloudProviderName(value) ? { provider: value } : { error: `--provider must be aws, azure, gcp or generic, not "${value ?? ''}"` };
}

export interface CliCredentialsOptions {
  log?: (line: string) => void;
  providerFor?: (registry: string) => CloudProviderName | undefined;
  /** The network the command's RegistryClient gets (--proxy, --ca-file, the environment): cloud sign-in goes the same way. */
  network?: ClientNetwork;
}

export function cliCredentials(options: CliCredentialsOptions = {}): CredentialProvider {
  return developerCredentials({ log: options.log, cloud: { providerFor: options.providerFor, network: options.network } });
}
