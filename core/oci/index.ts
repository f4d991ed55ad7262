// The public surface of core/oci: the client, its types and errors, reference parsing and the credential sources.
// Re-exports only.
export {
  RegistryClient,
  type RegistryClientOptions,
  type TagList,
  type ManifestResult,
  type ListTagsOptions,
  type BlobOptions,
  type RequestOptions,
  type RegistryClientStats,
  type ResultSource,
} from './registry-client';
export { RegistryError, isRegistryError, type RegistryErrorCode } from './errors';
export { parseOciUrl, parseOciReference, isValidTag, isValidRepositoryName, isDigestReference, type RepositoryRef, type ParsedOciUrl, type ParsedOciReference } from './reference';
export { parseDigest, computeDigest } from './digest';
export { MANIFEST_ACCEPT, MANIFEST_MEDIA_TYPES, type ManifestHead } from './manifest';
export type { CredentialProvider, RegistryCredential, FoundCredential, DockerConfigJson, DockerAuthEntry } from './credentials/types';
export { credentialChain } from './credentials/chain';
export { dockerConfigCredentials, dockerConfigPath } from './credentials/docker-config-file';
export { staticCredentials } from './credentials/static-credentials';
export { secretCredentials } from './credentials/secret-credentials';
export { keyringKeyMatches, findKeyringKey, findDockerConfigKey } from './credentials/host-matching';
export { type ReferrersResult, type ReferrerDescriptor, type ReferrersOptions } from './referrers';
