// Streams blobs by digest: follows redirects itself (no Authorization across origins), asks for identity encoding,
// hashes while streaming and holds the last chunk back until the digest is verified, so unverified data never looks complete.
// The whole download (headers, redirects, body) is bounded by one deadline, as Flux bounds a pull by spec.timeout.
import { Readable } from 'node:stream';
import { BlobVerifier, blobSubject, brokeOffError, declaredSizeProblem, requireDigest, type BlobLimits } from './blob-checks';
import { DEFAULT_BLOB_DEADLINE_MS, startTransferDeadline, type MinimumRate, type TransferDeadline } from './transfer-deadline';
import type { ParsedDigest } from './digest';
import { RegistryError } from './errors';
import { checkRedirect } from './redirect-policy';
import type { RegistrySession, RequestTarget } from './registry-session';
import { statusError } from './status-errors';
import { header, type HttpResponse } from './transport';

export interface BlobFetchOptions extends BlobLimits {
  onProgress?(bytes: number): void;
  /**
   * Total time the download may take, from the request to the last byte (an idle timeout alone never stops a registry
   * that trickles bytes). Default DEFAULT_BLOB_DEADLINE_MS; callers that know an OCIRepository's spec.timeout pass it.
   */
  deadlineMs?: number;
  /** What set deadlineMs, for the timeout message ("spec.timeout", "the registry timeout"). */
  deadlineLabel?: string;
  /** The slowest acceptable transfer (default 1 KiB/s over 20 s); false turns the check off. */
  minimumRate?: MinimumRate | false;
}

/** The deadline and rate watch of one download, from its options. */
export function startBlobDeadline(options: BlobFetchOptions, signal: AbortSignal | undefined, subject: string): TransferDeadline {
  return startTransferDeadline({ deadlineMs: options.deadlineMs ?? DEFAULT_BLOB_DEADLINE_MS, deadlineLabel: options.deadlineLabel, minimumRate: options.minimumRate }, signal, subject);
}

/** Redirects one blob download may follow (registries hand blobs to object stores and CDNs). */
export const MAX_BLOB_REDIRECTS = 5;

/** Every blob request asks for the stored bytes as they are: a compressed transfer would not hash to the digest. */
export const BLOB_REQUEST_HEADERS: Readonly<Record<string, string>> = { 'accept-encoding': 'identity', accept: '*/*' };

/** Where a blob request landed after redirects: the response, its URL, and whether that URL may carry the registry's Authorization. */
export interface BlobLanding {
  res: HttpResponse;
  url: URL;
  sameOrigin: boolean;
}

/**
 * GET `url` for a blob (a first request or a resumed range): through the session (auth, challenge) on the registry's
 * own origin, straight through the transport without credentials anywhere else.
 */
export function requestBlob(session: RegistrySession, target: RequestTarget, url: URL, sameOrigin: boolean, headers: Record<string, string>): Promise<HttpResponse> {
  return sameOrigin
    ? session.send(target, { url: url.toString(), headers })
    : session.transport.send({ url: url.toString(), headers, signal: target.signal, insecure: target.insecure, network: target.network, streaming: true });
}

/** GETs a blob, following redirects itself (credentials never cross origins). The caller reads or dumps the body. */
export async function openBlob(session: RegistrySession, target: RequestTarget, digest: string): Promise<BlobLanding> {
  const headers = { ...BLOB_REQUEST_HEADERS };
  const registryUrl = new URL(session.repositoryUrl(target, `blobs/${digest}`));
  let url = registryUrl;
  let sameOrigin = true;
  let res = await requestBlob(session, target, url, sameOrigin, headers);
  for (let hop = 0; res.status >= 300 && res.status < 400 && res.status !== 304; hop++) {
    await res.body.dump().catch(() => undefined);
    if (hop >= MAX_BLOB_REDIRECTS) throw new RegistryError('protocol', `Downloading ${digest} from ${target.registry} redirected more than ${MAX_BLOB_REDIRECTS} times.`);
    const decision = checkRedirect(url, header(res.headers, 'location'), target.registry);
    url = decision.url;
    sameOrigin = url.origin === registryUrl.origin;
    res = await requestBlob(session, target, url, sameOrigin, headers);
  }
  return { res, url, sameOrigin };
}

/** Opens a verified blob stream. Errors before the first byte reject; a digest mismatch errors the stream before it ends. */
export async function fetchBlobStream(session: RegistrySession, target: RequestTarget, digest: string, options: BlobFetchOptions = {}): Promise<Readable> {
  const parsed = requireDigest(digest);
  const subject = blobSubject(digest, target);
  const deadline = startBlobDeadline(options, target.signal, subject);
  let res: HttpResponse;
  try {
    res = (await openBlob(session, { ...target, signal: deadline.signal }, digest)).res;
  } catch (error) {
    deadline.clear();
    if (deadline.expired()) throw deadline.timedOut(0);
    throw error;
  }
  try {
    return await streamVerified(res, digest, parsed, subject, options, deadline);
  } catch (error) {
    deadline.clear();
    throw error;
  }
}

async function streamVerified(res: HttpResponse, digest: string, parsed: ParsedDigest, subject: string, options: BlobFetchOptions, deadline: TransferDeadline): Promise<Readable> {
  if (res.status !== 200) {
    const body = await res.body.text().catch(() => '');
    if (res.status === 404) throw new RegistryError('not-found', `The ${subject} was not found.`, { status: 404 });
    throw statusError(res.status, res.headers, body, subject);
  }
  const refused = declaredSizeProblem(res.headers, subject, options);
  if (refused) {
    await res.body.dump().catch(() => undefined);
    throw refused;
  }
  const verifier = new BlobVerifier(digest, parsed, subject, options);
  const body = res.body;
  async function* verified(): AsyncGenerator<Buffer> {
    let held: Buffer | undefined;
    try {
      for await (const chunk of body) {
        const buf = chunk as Buffer;
        verifier.update(buf);
        deadline.progress(verifier.size);
        options.onProgress?.(verifier.size);
        if (held) yield held;
        held = buf;
      }
    } catch (error) {
      body.destroy();
      if (deadline.expired()) throw deadline.timedOut(verifier.size);
      if (error instanceof RegistryError) throw error;
      throw brokeOffError(subject, verifier.size);
    } finally {
      deadline.clear();
    }
    verifier.finish();
    if (held) yield held;
  }
  return Readable.from(verified(), { objectMode: false });
}

/** Reads a small blob whole (configs), verified. */
export async function fetchBlobBytes(session: RegistrySession, target: RequestTarget, digest: string, options: BlobFetchOptions = {}): Promise<Buffer> {
  const stream = await fetchBlobStream(session, target, digest, { maxBytes: 16 << 20, ...options });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
