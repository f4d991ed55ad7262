// Looks for signatures of a manifest: OCI referrers (API, then the sha256-<hex> tag) and cosign's sha256-<hex>.sig tag.
// Only called when the caller asks (it costs requests); reports what exists, never verifies a signature.
import type { ArtifactSource } from './artifact-source';
import { parseImageIndex, parseImageManifest, type Descriptor } from './manifest-model';

export interface SignatureReport {
  /** True when a cosign `.sig` tag or a signature-like referrer exists. */
  signed: boolean;
  /** Referrers of the manifest (any artifact type), from the API or the fallback tag. */
  referrers: Descriptor[];
  /** The cosign tag `sha256-<hex>.sig` when it exists. */
  cosignTag?: string;
  /** How the information was found, for the summary ("referrers API", "referrers tag", "cosign tag"). */
  sources: string[];
}

const SIGNATURE_TYPE = /signature|\.sig\b|cosign|sigstore|notary/i;

export function isSignatureReferrer(descriptor: Descriptor): boolean {
  return SIGNATURE_TYPE.test(descriptor.artifactType ?? '') || SIGNATURE_TYPE.test(descriptor.mediaType);
}

function isCancelled(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** The referrers API when the registry has one; undefined when it does not (or the call failed), so the tag is tried. */
async function referrersFromApi(source: ArtifactSource, repository: string, digest: string, signal?: AbortSignal): Promise<Descriptor[] | undefined> {
  if (!source.getReferrers) return undefined;
  try {
    return await source.getReferrers(repository, digest, { signal });
  } catch (error) {
    if (isCancelled(signal)) throw error;
    return undefined; // a registry error on the API is treated like no API: the tag schema may still answer
  }
}

export async function findSignatures(source: ArtifactSource, repository: string, digest: string, signal?: AbortSignal): Promise<SignatureReport> {
  const hexTag = digest.replace(':', '-');
  const report: SignatureReport = { signed: false, referrers: [], sources: [] };
  const fromApi = await referrersFromApi(source, repository, digest, signal);
  if (fromApi) {
    report.referrers = fromApi;
    report.sources.push('referrers API');
  } else {
    try {
      const fetched = await source.getManifest(repository, hexTag, { signal });
      report.referrers = parseImageIndex(fetched.json).manifests;
      report.sources.push('referrers tag');
    } catch (error) {
      if (isCancelled(signal)) throw error;
      /* no fallback tag: no referrers */
    }
  }
  try {
    const fetched = await source.getManifest(repository, `${hexTag}.sig`, { signal });
    parseImageManifest(fetched.json);
    report.cosignTag = `${hexTag}.sig`;
    report.sources.push('cosign tag');
  } catch (error) {
    if (isCancelled(signal)) throw error;
    /* not signed with cosign's tag convention */
  }
  signal?.throwIfAborted();
  report.signed = report.cosignTag !== undefined || report.referrers.some(isSignatureReferrer);
  return report;
}
