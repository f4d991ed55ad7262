// Downloads a blob into a sink over the one transport: auth and redirects as for every blob, each chunk hashed and handed
// to the sink with its backpressure honoured, a body that breaks off resumed with Range, the digest checked at the end.
import { BLOB_REQUEST_HEADERS, openBlob, requestBlob, startBlobDeadline, type BlobFetchOptions, type BlobLanding } from './blob';
import { BlobVerifier, blobSubject, brokeOffError, declaredSizeProblem, requireDigest } from './blob-checks';
import type { TransferDeadline } from './transfer-deadline';
import { RegistryError } from './errors';
import type { RegistrySession, RequestTarget } from './registry-session';
import { statusError } from './status-errors';
import { header, type HttpResponse } from './transport';

/** Receives a body as borrowed views: each chunk is valid only during `write` (copy what you keep). */
export interface BodySink {
  write(chunk: Uint8Array): void;
  /** Called after each chunk; a returned promise stops reading until it settles (backpressure). */
  settle?(): Promise<void> | undefined;
}

/** How many times one download may pick up where a broken connection left it (each time only after new bytes arrived). */
export const MAX_RESUMES = 3;

/** undici reports a body it could not parse (bad chunk size, bad framing) with llhttp's HPE_* codes. */
function isMalformedBody(error: unknown): boolean {
  return /^HPE_/.test((error as { code?: string })?.code ?? '') || (error as { name?: string })?.name === 'HTTPParserError';
}

/**
 * GET `bytes=offset-` from where the download landed (same URL, same Authorization rule). Only a 206 whose Content-Range
 * runs from exactly `offset` to the blob's last byte is used; anything else (a 200 with the whole blob, a shorter range,
 * an expired signed URL) ends the download.
 */
async function resumeFrom(session: RegistrySession, target: RequestTarget, landing: BlobLanding, offset: number, size: number | undefined): Promise<HttpResponse | undefined> {
  const headers = { ...BLOB_REQUEST_HEADERS, range: `bytes=${offset}-` };
  const res = await requestBlob(session, target, landing.url, landing.sameOrigin, headers).catch(() => undefined);
  if (!res) return undefined;
  const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header(res.headers, 'content-range') ?? '');
  const total = range?.[3] === '*' ? size : Number(range?.[3]);
  const whole = range !== null && Number(range[1]) === offset && total !== undefined && Number(range[2]) === total - 1 && (size === undefined || total === size);
  if (res.status !== 206 || !whole) {
    await res.body.dump().catch(() => undefined);
    return undefined;
  }
  return res;
}

/** Marks errors raised by the verifier or the sink, which pass through unchanged (they are not connection problems). */
class SinkFailure {
  constructor(readonly error: unknown) {}
}

/** Reads one response body into the verifier and sink, waiting for the sink whenever it asks. */
async function pumpBody(res: HttpResponse, verifier: BlobVerifier, sink: BodySink, options: BlobFetchOptions, deadline: TransferDeadline): Promise<void> {
  for await (const chunk of res.body) {
    try {
      const bytes = chunk as Buffer;
      verifier.update(bytes);
      deadline.progress(verifier.size);
      sink.write(bytes);
      options.onProgress?.(verifier.size);
      await sink.settle?.();
    } catch (error) {
      res.body.destroy();
      throw new SinkFailure(error);
    }
  }
}

/**
 * Writes the blob `digest` into `sink` and resolves once every byte arrived and matched the digest. Rejects with a
 * RegistryError otherwise (the sink may have seen bytes by then: its owner keeps nothing until this resolves).
 * Errors thrown by the sink itself pass through unchanged. Memory stays flat whatever the size: undici reads the socket
 * only as fast as the sink settles.
 */
export async function downloadBlob(session: RegistrySession, target: RequestTarget, digest: string, sink: BodySink, options: BlobFetchOptions = {}): Promise<void> {
  const parsed = requireDigest(digest);
  const subject = blobSubject(digest, target);
  const deadline = startBlobDeadline(options, target.signal, subject);
  const bounded = { ...target, signal: deadline.signal };
  try {
    let landing: BlobLanding;
    try {
      landing = await openBlob(session, bounded, digest);
    } catch (error) {
      if (deadline.expired()) throw deadline.timedOut(0);
      throw error;
    }
    await receiveVerified(landing, new BlobVerifier(digest, parsed, subject, options), { session, target: bounded, subject, options, sink, deadline, outer: target.signal });
  } finally {
    deadline.clear();
  }
}

interface Receive {
  session: RegistrySession;
  target: RequestTarget;
  subject: string;
  options: BlobFetchOptions;
  sink: BodySink;
  deadline: TransferDeadline;
  outer: AbortSignal | undefined;
}

async function receiveVerified(landing: BlobLanding, verifier: BlobVerifier, r: Receive): Promise<void> {
  const { res } = landing;
  const { options, subject, deadline } = r;
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
  let current = res;
  for (let resumes = 0; ; resumes++) {
    const before = verifier.size;
    try {
      await pumpBody(current, verifier, r.sink, options, deadline);
      break;
    } catch (error) {
      if (error instanceof SinkFailure) throw error.error;
      if (r.outer?.aborted) throw r.outer.reason ?? error;
      if (deadline.expired()) throw deadline.timedOut(verifier.size);
      if (error instanceof RegistryError) throw error;
      if (isMalformedBody(error)) throw new RegistryError('protocol', `The ${subject} arrived malformed: ${(error as Error).message}`);
      // Every byte so far went into the hash and the sink: a range request continues both where they stand.
      const next = resumes < MAX_RESUMES && verifier.size > before ? await resumeFrom(r.session, r.target, landing, verifier.size, options.expectedSize) : undefined;
      if (!next) {
        if (r.outer?.aborted) throw r.outer.reason ?? error;
        if (deadline.expired()) throw deadline.timedOut(verifier.size);
        throw brokeOffError(subject, verifier.size);
      }
      current = next;
    }
  }
  verifier.finish();
}
