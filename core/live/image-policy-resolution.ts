// The live answer for one ImagePolicy: its ImageRepository's tags (exclusionList applied), the tag the policy selects as
// image-reflector-controller would, its digest when the policy reflects digests, and what each marker kind receives. No rendering.
import { isRegistryError } from '../oci/errors';
import type { RegistryClient } from '../oci/registry-client';
import type { FluxObject } from '../manifests/object-types';
import type { MarkerPart } from '../manifests/image-markers';
import { getMap, getNode, scalarString } from '../manifests/yaml-ast';
import { applyExclusionList, selectImagePolicyTag, type ImagePolicyChoice, type ImagePolicySelection } from '../versions/image-policy-order';
import { specOf } from '../workspace/image-automation-scope';
import type { WorkspaceIndex } from '../workspace/workspace-index';
import { isCancellation } from './bounded';
import { imageRepositoryTarget, type ImageRepositoryTarget } from './image-repository-target';
import type { LiveOptions } from './live-options';

export interface ImagePolicySpec {
  object: FluxObject;
  path: string;
  repositoryRef: { namespace: string; name: string };
  policy?: ImagePolicyChoice;
  filterTags?: { pattern: string; extract?: string };
  digestReflection: 'Never' | 'IfNotPresent' | 'Always';
}

export interface ImagePolicyResolution {
  spec: ImagePolicySpec;
  /** 'resolved': a tag was selected; 'unresolved': the policy selects nothing; 'failed': no tag list; 'unavailable': not resolvable here. */
  state: 'resolved' | 'unresolved' | 'failed' | 'unavailable';
  repository?: ImageRepositoryTarget;
  selection?: ImagePolicySelection;
  /** Tags the ImageRepository stores (after exclusionList). */
  storedCount: number;
  excluded: string[];
  /** status.latestRef as Flux would record it. */
  latest?: { name: string; tag: string; digest?: string };
  problem?: string;
  fetchedAt?: number;
}

/** One line saying how the policy chooses, e.g. `semver 6.x` or `numerical (asc) of $ts from ^main-…`. */
export function describePolicy(spec: ImagePolicySpec): string {
  const p = spec.policy;
  const how = !p ? 'no policy' : p.kind === 'semver' ? `semver \`${p.range}\`` : `${p.kind} (${(p.order ?? 'asc').toLowerCase()})`;
  if (!spec.filterTags) return how;
  return `${how} of tags matching \`${spec.filterTags.pattern}\`${spec.filterTags.extract ? ` (comparing \`${spec.filterTags.extract}\`)` : ''}`;
}

/** The ImagePolicy document's fields this engine needs, or undefined when the object is not an ImagePolicy. */
export function readImagePolicySpec(index: WorkspaceIndex, path: string, object: FluxObject): ImagePolicySpec | undefined {
  if (object.kind !== 'ImagePolicy') return undefined;
  const spec = specOf(index, path, object);
  const repositoryRef = getMap(spec, 'imageRepositoryRef');
  const policyMap = getMap(spec, 'policy');
  let policy: ImagePolicyChoice | undefined;
  const semver = getMap(policyMap, 'semver');
  const range = scalarString(getNode(semver, 'range'));
  if (semver && range !== undefined) policy = { kind: 'semver', range };
  else if (getMap(policyMap, 'alphabetical') !== undefined || getNode(policyMap, 'alphabetical') !== undefined)
    policy = { kind: 'alphabetical', order: scalarString(getNode(getMap(policyMap, 'alphabetical'), 'order')) };
  else if (getNode(policyMap, 'numerical') !== undefined) policy = { kind: 'numerical', order: scalarString(getNode(getMap(policyMap, 'numerical'), 'order')) };
  const filterMap = getMap(spec, 'filterTags');
  const pattern = scalarString(getNode(filterMap, 'pattern'));
  const extract = scalarString(getNode(filterMap, 'extract'));
  const reflection = scalarString(getNode(spec, 'digestReflectionPolicy'));
  const out: ImagePolicySpec = {
    object,
    path,
    repositoryRef: { namespace: scalarString(getNode(repositoryRef, 'namespace')) ?? object.namespace, name: scalarString(getNode(repositoryRef, 'name')) ?? '' },
    digestReflection: reflection === 'Always' || reflection === 'IfNotPresent' ? reflection : 'Never',
  };
  if (policy) out.policy = policy;
  if (pattern !== undefined) out.filterTags = extract ? { pattern, extract } : { pattern };
  return out;
}

/** What a marker of `part` receives from the policy's latest ref (the `image` setter is name:tag[@digest]). */
export function markerValue(part: MarkerPart, latest: { name: string; tag: string; digest?: string }): string {
  if (part === 'tag') return latest.tag;
  if (part === 'name') return latest.name;
  if (part === 'digest') return latest.digest ?? '';
  return `${latest.name}:${latest.tag}${latest.digest ? `@${latest.digest}` : ''}`;
}

export interface ResolvePolicyInput {
  index: WorkspaceIndex;
  options: LiveOptions;
  client: RegistryClient;
  spec: ImagePolicySpec;
  signal?: AbortSignal;
  refresh?: boolean;
  onProgress?: (message: string) => void;
}

/** Resolves one ImagePolicy against the registry. Never throws except on cancellation. */
export async function resolveImagePolicy(input: ResolvePolicyInput): Promise<ImagePolicyResolution> {
  const { spec } = input;
  const out: ImagePolicyResolution = { spec, state: 'unavailable', storedCount: 0, excluded: [] };
  if (!spec.policy) return { ...out, problem: 'The ImagePolicy has no semver, alphabetical or numerical policy.' };
  if (spec.repositoryRef.name.includes('${') || (spec.policy.kind === 'semver' && spec.policy.range.includes('${')))
    return { ...out, problem: 'The ImagePolicy uses a substitution variable; its value is only known in the cluster.' };
  const target = imageRepositoryTarget(input.index, input.options, spec.repositoryRef.namespace, spec.repositoryRef.name);
  if (!target.ok) return { ...out, problem: target.message };
  out.repository = target.target;
  const { repository, credentials } = target.target;
  input.onProgress?.(`Listing tags of ${repository.registry}/${repository.repository}…`);
  let listing;
  try {
    listing = await input.client.listTags(repository, { ...credentials, signal: input.signal, refresh: input.refresh });
  } catch (error) {
    if (isCancellation(error, input.signal)) throw error;
    return { ...out, state: 'failed', problem: isRegistryError(error) || error instanceof Error ? error.message : String(error) };
  }
  out.fetchedAt = listing.fetchedAt;
  const stored = applyExclusionList(listing.tags, target.target.exclusionList);
  if ('error' in stored) return { ...out, state: 'unresolved', problem: `The ImageRepository scan fails: ${stored.error}` };
  out.storedCount = stored.tags.length;
  out.excluded = stored.excluded;
  const selection = selectImagePolicyTag({ tags: stored.tags, policy: spec.policy, filterTags: spec.filterTags });
  out.selection = selection;
  if (!selection.tag) return { ...out, state: 'unresolved', problem: selection.error?.message ?? 'no tag selected' };
  out.state = 'resolved';
  out.latest = { name: target.target.image, tag: selection.tag };
  if (spec.digestReflection !== 'Never') {
    try {
      const head = await input.client.headManifest(repository, selection.tag, { ...credentials, signal: input.signal });
      out.latest.digest = head.digest;
    } catch (error) {
      if (isCancellation(error, input.signal)) throw error;
      out.problem = `The digest of ${selection.tag} could not be read: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return out;
}
