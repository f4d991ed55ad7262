// Turns workspace objects (an OCIRepository, a HelmRelease's HelmRepository `type: oci` chart) into registry
// targets with their credentials: secretRef Secret (trusted only), then stored credentials. No network here.
import { createHash } from 'node:crypto';
import type { OCIRepositoryModel } from '../manifests/object-types';
import { asMap, getMap, getNode, scalarString } from '../manifests/yaml-ast';
import { findDockerConfigKey, findKeyringKey } from '../oci/credentials/host-matching';
import type { DockerConfigJson } from '../oci/credentials/types';
import { networkFingerprint, type SourceNetwork } from '../oci/network-options';
import { parseOciUrl, type RepositoryRef } from '../oci/reference';
import type { WorkspaceIndex } from '../workspace/workspace-index';
import { HELM_CHART_CONTENT_MEDIA_TYPE } from '../versions/helm-tags';
import type { OciRefInput } from '../versions/resolve-tag';
import { effectiveOciModels } from './effective-models';
import type { LiveOptions } from './live-options';
import { sourceNetworkFor } from './source-network';

export interface SourceCredentials {
  secret?: DockerConfigJson;
  secretLabel?: string;
  /** The source's own proxy and TLS material (proxySecretRef, certSecretRef), when its Secrets are in the workspace. */
  network?: SourceNetwork;
}

export interface SourceTarget {
  /** Identity of the resolution: repository, ref, chart mode and credential fingerprint. */
  key: string;
  /** Identity of the repository alone (for once-per-repository messages). */
  repositoryKey: string;
  url: string;
  repository: RepositoryRef;
  ref: OciRefInput;
  helmChart: boolean;
  credentials: SourceCredentials;
}

export type TargetResult = { ok: true; target: SourceTarget } | { ok: false; message: string };

/** Pull credentials for a repository, in the order Flux-minded users expect: workspace Secret, then stored ones. */
export function credentialsFor(index: WorkspaceIndex, options: LiveOptions, repository: RepositoryRef, secretRef?: { namespace: string; name: string }): SourceCredentials {
  if (secretRef && options.trusted && options.useWorkspaceSecrets) {
    const config = index.dockerConfigForSecret(secretRef.namespace, secretRef.name);
    const auths = config?.auths ?? {};
    if (config && findKeyringKey(Object.keys(auths), repository.registry, repository.repository) !== undefined) {
      return { secret: config, secretLabel: `workspace Secret ${secretRef.namespace}/${secretRef.name}` };
    }
  }
  const stored = options.storedCredentials;
  const key = findDockerConfigKey(Object.keys(stored), repository.registry);
  if (key !== undefined) {
    const { username, password } = stored[key]!;
    return { secret: { auths: { [repository.registry]: { username, password } } }, secretLabel: 'stored credentials' };
  }
  return {};
}

function fingerprint(credentials: SourceCredentials): string {
  const secret = credentials.secret ? createHash('sha256').update(JSON.stringify(credentials.secret)).digest('hex').slice(0, 12) : 'none';
  return credentials.network ? `${secret}|${networkFingerprint(credentials.network)}` : secret;
}

function makeTarget(url: string, repository: RepositoryRef, ref: OciRefInput, helmChart: boolean, credentials: SourceCredentials): SourceTarget {
  const repositoryKey = `${repository.registry}/${repository.repository}`;
  const refKey = JSON.stringify([ref.digest ?? '', ref.semver ?? '', ref.semverFilter ?? '', ref.tag ?? '']);
  return { key: `${repositoryKey}|${refKey}|${helmChart}|${repository.insecure === true}|${fingerprint(credentials)}`, repositoryKey, url, repository, ref, helmChart, credentials };
}

function parseUrl(url: string): { ok: true; repository: RepositoryRef } | { ok: false; message: string } {
  try {
    const parsed = parseOciUrl(url);
    return { ok: true, repository: { registry: parsed.registry, repository: parsed.repository } };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The registry target of an OCIRepository, or why it has none (no url, an unresolved `${VAR}`, bad url). Values and
 * namespace are the effective ones of the Flux Kustomization applying it in `cluster`, else of the first one.
 */
export function ociRepositoryTarget(index: WorkspaceIndex, options: LiveOptions, written: OCIRepositoryModel, cluster?: string): TargetResult {
  const effectives = effectiveOciModels(index, written);
  // A release's source as its own cluster applies it, when the release names one.
  const model = (effectives.find((e) => cluster !== undefined && e.clusters.includes(cluster)) ?? effectives[0]).model;
  const url = model.url?.value;
  if (!url) return { ok: false, message: 'The OCIRepository has no spec.url.' };
  if (url.includes('${')) return { ok: false, message: 'spec.url uses a substitution variable with no known value in the repository (postBuild); its value is only known in the cluster.' };
  const parsed = parseUrl(url);
  if (!parsed.ok) return parsed;
  const repository: RepositoryRef = { ...parsed.repository, ...(model.insecure?.value === true ? { insecure: true } : {}) };
  const r = model.ref;
  const ref: OciRefInput = {};
  for (const key of ['tag', 'semver', 'semverFilter', 'digest'] as const) {
    const value = r?.[key]?.value;
    if (value !== undefined) {
      if (value.includes('${'))
        return { ok: false, message: `spec.ref.${key} uses a substitution variable with no known value in the repository (postBuild); its value is only known in the cluster.` };
      ref[key] = value;
    }
  }
  const helmChart = model.layerSelector?.mediaType?.value === HELM_CHART_CONTENT_MEDIA_TYPE;
  const secretRef = model.secretRef ? { namespace: model.object.namespace, name: model.secretRef.value } : undefined;
  const network = sourceNetworkFor(index, options, { namespace: model.object.namespace, proxySecretRef: model.proxySecretRef?.value, certSecretRef: model.certSecretRef?.value });
  if (!network.ok) return network;
  const credentials = { ...credentialsFor(index, options, repository, secretRef), ...(network.network ? { network: network.network } : {}) };
  return { ok: true, target: makeTarget(url.trim().replace(/\/+$/, ''), repository, ref, helmChart, credentials) };
}

/** A registry target and the Kustomizations whose variant of an object reads it (empty outside every Kustomization). */
export interface VariantTarget {
  target: SourceTarget;
  kustomizations: string[];
}

/** The registry targets of an OCIRepository's variants, one per distinct repository listed (completion lists its tags). */
export function ociRepositoryListingTargets(index: WorkspaceIndex, options: LiveOptions, written: OCIRepositoryModel): VariantTarget[] {
  const out = new Map<string, VariantTarget>();
  for (const effective of effectiveOciModels(index, written)) {
    const result = ociRepositoryTarget(index, options, effective.model, effective.clusters[0]);
    if (!result.ok) continue;
    const hit = out.get(result.target.repositoryKey);
    if (hit) hit.kustomizations.push(...effective.kustomizations);
    else out.set(result.target.repositoryKey, { target: result.target, kustomizations: [...effective.kustomizations] });
  }
  return [...out.values()];
}

export interface HelmRepositoryFacts {
  url?: string;
  type?: string;
  secretRef?: string;
  certSecretRef?: string;
  insecure: boolean;
}

/** spec.url, spec.type, spec.secretRef.name and spec.insecure of a HelmRepository in the workspace. */
export function helmRepositoryFacts(index: WorkspaceIndex, namespace: string, name: string): HelmRepositoryFacts | undefined {
  const hit = index.findObject('HelmRepository', namespace, name);
  if (!hit) return undefined;
  const doc = index.documents(hit.path).find((d) => d.documentIndex === hit.object.documentIndex);
  const root = asMap(doc?.result.parsed?.doc.contents);
  const spec = getMap(root, 'spec');
  if (!spec) return undefined;
  return {
    url: scalarString(getNode(spec, 'url')),
    type: scalarString(getNode(spec, 'type')),
    secretRef: scalarString(getNode(getMap(spec, 'secretRef'), 'name')),
    certSecretRef: scalarString(getNode(getMap(spec, 'certSecretRef'), 'name')),
    insecure: scalarString(getNode(spec, 'insecure')) === 'true',
  };
}

/** The chart repository `<HelmRepository url>/<chart>` of an OCI HelmRepository, with `version` as the range. */
export function helmChartTarget(index: WorkspaceIndex, options: LiveOptions, repo: HelmRepositoryFacts, namespace: string, chart: string, version: string | undefined): TargetResult {
  if (repo.type !== 'oci' || !repo.url) return { ok: false, message: 'The HelmRepository is not of type oci.' };
  if (repo.url.includes('${') || chart.includes('${') || version?.includes('${')) return { ok: false, message: 'The chart source uses a substitution variable.' };
  const url = `${repo.url.trim().replace(/\/+$/, '')}/${chart}`;
  const parsed = parseUrl(url);
  if (!parsed.ok) return parsed;
  const repository: RepositoryRef = { ...parsed.repository, ...(repo.insecure ? { insecure: true } : {}) };
  const secretRef = repo.secretRef ? { namespace, name: repo.secretRef } : undefined;
  const network = sourceNetworkFor(index, options, { namespace, certSecretRef: repo.certSecretRef });
  if (!network.ok) return network;
  const credentials = { ...credentialsFor(index, options, repository, secretRef), ...(network.network ? { network: network.network } : {}) };
  return { ok: true, target: makeTarget(url, repository, { semver: version && version.trim() !== '' ? version : '*' }, true, credentials) };
}
