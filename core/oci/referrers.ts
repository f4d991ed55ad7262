// The OCI 1.1 referrers API: `GET /v2/<name>/referrers/<digest>[?artifactType=…]` → an image index of the manifests whose subject is <digest>.
// Says "not supported" (404/400/406, or an answer that is not an OCI index) so callers fall back to the `sha256-<hex>` tag; never follows Link pages off-origin.
import { parseDigest } from './digest';
import { RegistryError } from './errors';
import { nextPageUrl } from './link-header';
import type { RegistrySession, RequestTarget } from './registry-session';
import { statusError } from './status-errors';
import { header } from './transport';

export const OCI_INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';
/** A referrers answer is an index of small descriptors; a real one is a few KiB. */
export const MAX_REFERRERS_BYTES = 4 << 20;
const MAX_REFERRER_PAGES = 20;

export interface ReferrerDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export type ReferrersResult =
  { supported: true; referrers: ReferrerDescriptor[]; /** True when the registry applied the artifactType filter itself. */ filteredByRegistry: boolean } | { supported: false; reason: string };

export interface ReferrersOptions {
  artifactType?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Descriptors of an index's `manifests`, keeping only well-formed ones (a hostile registry can send anything). */
export function referrerDescriptors(json: unknown): ReferrerDescriptor[] | undefined {
  if (!isRecord(json) || !Array.isArray(json.manifests)) return undefined;
  const out: ReferrerDescriptor[] = [];
  for (const m of json.manifests) {
    if (!isRecord(m) || typeof m.mediaType !== 'string' || typeof m.digest !== 'string' || !parseDigest(m.digest)) continue;
    if (typeof m.size !== 'number' || !Number.isSafeInteger(m.size) || m.size < 0) continue;
    const d: ReferrerDescriptor = { mediaType: m.mediaType, digest: m.digest, size: m.size };
    if (typeof m.artifactType === 'string') d.artifactType = m.artifactType;
    if (isRecord(m.annotations)) {
      const annotations: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.annotations)) if (typeof v === 'string') annotations[k] = v;
      d.annotations = annotations;
    }
    out.push(d);
  }
  return out;
}

export async function listReferrers(session: RegistrySession, target: RequestTarget, digest: string, options: ReferrersOptions = {}): Promise<ReferrersResult> {
  if (!parseDigest(digest)) throw new RegistryError('invalid-reference', `"${digest}" is not a sha256 or sha512 digest.`);
  const where = `the referrers of ${digest} in ${target.registry}/${target.repository}`;
  let url = new URL(session.repositoryUrl(target, `referrers/${digest}`));
  if (options.artifactType) url.searchParams.set('artifactType', options.artifactType);
  const referrers: ReferrerDescriptor[] = [];
  const seen = new Set<string>();
  let filteredByRegistry = true;
  for (let page = 0; ; page++) {
    seen.add(url.toString());
    const res = await session.fetchBuffered(target, { url: url.toString(), headers: { accept: OCI_INDEX_MEDIA_TYPE } }, MAX_REFERRERS_BYTES);
    if (res.status === 404 || res.status === 400 || res.status === 406 || res.status === 405) {
      if (page === 0) return { supported: false, reason: `${target.registry} has no referrers API (HTTP ${res.status}).` };
      throw statusError(res.status, res.headers, res.body, where);
    }
    if (res.status !== 200) throw statusError(res.status, res.headers, res.body, where);
    const type = header(res.headers, 'content-type')?.split(';')[0]?.trim();
    let json: unknown;
    try {
      json = JSON.parse(res.body.toString('utf8'));
    } catch {
      json = undefined;
    }
    const descriptors = type === OCI_INDEX_MEDIA_TYPE ? referrerDescriptors(json) : undefined;
    if (!descriptors) {
      if (page === 0) return { supported: false, reason: `${target.registry} answered the referrers request with something that is not an OCI index.` };
      throw new RegistryError('protocol', `A later page of ${where} is not an OCI index.`);
    }
    referrers.push(...descriptors);
    const applied = (header(res.headers, 'oci-filters-applied') ?? '').split(',').map((s) => s.trim());
    if (!applied.includes('artifactType')) filteredByRegistry = false;
    const nextUrl = nextPageUrl(res.headers.link, url, `The referrers list of ${where}`);
    if (!nextUrl) break;
    if (seen.has(nextUrl.toString())) break;
    if (page + 1 >= MAX_REFERRER_PAGES) throw new RegistryError('protocol', `${where} has more than ${MAX_REFERRER_PAGES} pages; stopping.`);
    url = nextUrl;
  }
  const wanted = options.artifactType;
  const kept = wanted && !filteredByRegistry ? referrers.filter((r) => r.artifactType === wanted) : referrers;
  return { supported: true, referrers: kept, filteredByRegistry: wanted !== undefined && filteredByRegistry };
}
