// Which cloud a registry host belongs to (ECR, ACR, Artifact Registry / Container Registry) and the facts its name holds.
// Pure string matching, the same host patterns Flux and the vendors' credential helpers use; no network or process here.

export type CloudProviderName = 'aws' | 'azure' | 'gcp';

export const CLOUD_PROVIDERS: readonly CloudProviderName[] = ['aws', 'azure', 'gcp'];

export interface CloudRegistryHost {
  provider: CloudProviderName;
  /** AWS: the region in the ECR host name (`<account>.dkr.ecr.<region>.amazonaws.com`). */
  region?: string;
  /** AWS: the 12-digit account id; Azure: the registry name (`<name>.azurecr.io`). */
  account?: string;
}

// amazon-ecr-credential-helper's pattern: account, dkr.ecr or dkr-ecr, optional -fips, region, AWS partition domains.
const ECR_HOST = /^(\d{12})\.dkr[.-]ecr(-fips)?\.([a-z0-9][a-z0-9-_]*)\.(amazonaws\.com(\.cn)?|sc2s\.sgov\.gov|c2s\.ic\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)$/;
const ACR_HOST = /^([a-z0-9-]+)\.azurecr\.(io|cn|de|us)$/;
const GOOGLE_HOST = /^(gcr\.io|[a-z0-9-]+\.gcr\.io|[a-z0-9-]+-docker\.pkg\.dev)$/;

export function isCloudProviderName(value: string | undefined): value is CloudProviderName {
  return value !== undefined && (CLOUD_PROVIDERS as readonly string[]).includes(value);
}

/** The cloud whose registry `registry` (host[:port]) is, judged by name only. */
export function cloudRegistryHost(registry: string): CloudRegistryHost | undefined {
  const host = registry.toLowerCase().replace(/:\d+$/, '');
  const ecr = ECR_HOST.exec(host);
  if (ecr) return { provider: 'aws', account: ecr[1], region: ecr[3] };
  const acr = ACR_HOST.exec(host);
  if (acr) return { provider: 'azure', account: acr[1] };
  if (GOOGLE_HOST.test(host)) return { provider: 'gcp' };
  return undefined;
}
