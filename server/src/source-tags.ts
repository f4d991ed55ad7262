// Lists a source's tags through the shared registry client (newest first) and picks the tag Flux would pull.
// Uses the core's version rules; must not format anything for display or talk to LSP.
import { parseOciReference } from '../../core/oci/reference';
import type { RegistryClient, RequestOptions, TagList } from '../../core/oci/registry-client';
import { resolveRef, type OciRefInput } from '../../core/versions/resolve-tag';
import { sortTagsNewestFirst } from '../../core/versions/sort-tags';

export interface SourceTags {
  /** `oci://host/repo` */
  reference: string;
  tags: string[];
  source: TagList['source'];
  fetchedAt: number;
  /** The tag Flux would pull for `ref`, when it selects one (no digest pin, no error). */
  resolvedTag?: string;
  /** Why `ref` selects no tag (no match, invalid range…). */
  resolutionProblem?: string;
}

export interface SourceTagsInput {
  reference: string;
  ref?: OciRefInput;
  helmChart: boolean;
  insecure?: boolean;
  refresh?: boolean;
  request?: RequestOptions;
}

export async function listSourceTags(client: RegistryClient, input: SourceTagsInput): Promise<SourceTags> {
  const parsed = parseOciReference(input.reference);
  const repo = { registry: parsed.registry, repository: parsed.repository, ...(input.insecure ? { insecure: true } : {}) };
  const listing = await client.listTags(repo, { ...input.request, refresh: input.refresh });
  const result: SourceTags = {
    reference: `oci://${parsed.registry}/${parsed.repository}`,
    tags: sortTagsNewestFirst(listing.tags, input.helmChart),
    source: listing.source,
    fetchedAt: listing.fetchedAt,
  };
  if (input.ref) {
    const resolution = resolveRef({ tags: listing.tags, ref: input.ref, helmChart: input.helmChart });
    if (resolution.error) result.resolutionProblem = resolution.error.message;
    else if (resolution.kind !== 'digest' && resolution.tag) result.resolvedTag = resolution.tag;
  }
  return result;
}
