// Downloads a large blob into a sink through one reused read buffer: the session's auth, redirects as for streamed blobs,
// every byte hashed on the way and the digest checked at the end. Anything unusual (a 401 challenge, a retryable status) takes the stream path.
import type { BodySink, BoundedResponse } from './bounded-get';
import { BLOB_REQUEST_HEADERS, MAX_BLOB_REDIRECTS, fetchBlobStream, type BlobFetchOptions } from './blob';
import { BlobVerifier, DEFAULT_BLOB_DEADLINE_MS, blobSubject, brokeOffError, declaredSizeProblem, requireDigest, startBlobDeadline, type BlobDeadline } from './blob-checks';
import { RegistryError } from './errors';
import { HttpParseError } from './http1-response-parser';
import { checkRedirect } from './redirect-policy';
import type { RegistrySession, RequestTarget } from './registry-session';
import { header } from './transport';

export type { BodySink } from './bounded-get';

/** Below this size a blob goes over undici's pooled connections: a new connection would cost more than the memory saved. */
export const BOUNDED_DOWNLOAD_MIN_BYTES = 1024 * 1024;

/** Feeds a (verified) stream to a sink, honouring its backpressure. */
async function pump(stream: AsyncIterable<unknown>, sink: BodySink): Promise<void> {
  for await (const chunk of stream) {
    sink.write(chunk as Uint8Array);
    await sink.settle?.();
  }
}

/** Where a bounded download landed after redirects, and what it may send there: what a resumed request reuses. */
interface Landing {
  res: BoundedResponse;
  url: URL;
  authorization: string | undefined;
}

/** GET the blob on a bounded connection with what the session already knows; undefined when the stream path should take over. */
async function openBounded(session: RegistrySession, target: RequestTarget, digest: string): Promise<Landing | undefined> {
  const headers = { ...BLOB_REQUEST_HEADERS };
  let url = new URL(session.repositoryUrl(target, `blobs/${digest}`));
  let authorization = await session.currentAuthorization(target);
  for (let hop = 0; ; hop++) {
    let res: BoundedResponse;
    try {
      res = await session.transport.getBounded({ url: url.toString(), headers: authorization ? { ...headers, authorization } : headers, signal: target.signal, insecure: target.insecure });
    } catch (error) {
      // No header arrived: a reset, a refused connection, or a head cut short (which the transport reports as 'protocol',
      // from the parser). Nothing reached the sink, so the stream path may try again with its retries; a deadline or
      // cancellation (the signal fired) is final.
      if (!target.signal?.aborted && error instanceof RegistryError && (error.code === 'unreachable' || error.code === 'protocol')) return undefined;
      throw error;
    }
    if (res.status === 200) return { res, url, authorization };
    res.discard();
    if (res.status < 300 || res.status >= 400 || res.status === 304) return undefined; // challenges, retries and error mapping live there
    if (hop >= MAX_BLOB_REDIRECTS) throw new RegistryError('protocol', `Downloading ${digest} from ${target.registry} redirected more than ${MAX_BLOB_REDIRECTS} times.`);
    const decision = checkRedirect(url, header(res.headers, 'location'), target.registry);
    url = decision.url;
    if (!decision.sameOrigin) authorization = undefined; // credentials never cross origins
  }
}

/**
 * Writes the blob `digest` into `sink` and resolves once every byte arrived and matched the digest. Rejects with a
 * RegistryError otherwise (the sink may have seen bytes by then: its owner keeps nothing until this resolves).
 * Errors thrown by the sink itself pass through unchanged.
 */
export async function downloadBlob(session: RegistrySession, target: RequestTarget, digest: string, sink: BodySink, options: BlobFetchOptions = {}): Promise<void> {
  const parsed = requireDigest(digest);
  if ((options.expectedSize ?? 0) < BOUNDED_DOWNLOAD_MIN_BYTES) return pump(await fetchBlobStream(session, target, digest, options), sink);
  const subject = blobSubject(digest, target);
  const deadlineMs = options.deadlineMs ?? DEFAULT_BLOB_DEADLINE_MS;
  const startedAt = Date.now();
  const deadline = startBlobDeadline(deadlineMs, target.signal, subject);
  let landing: Landing | undefined;
  const bounded = { ...target, signal: deadline.signal };
  try {
    // Undefined when the stream path should take over (a challenge, an error status, a connection that failed before any header).
    landing = await openBounded(session, bounded, digest);
  } catch (error) {
    deadline.clear();
    if (deadline.expired()) throw deadline.timedOut(0);
    throw error;
  }
  if (!landing) {
    deadline.clear();
    const remainingMs = Math.max(1, deadlineMs - (Date.now() - startedAt));
    return pump(await fetchBlobStream(session, target, digest, { ...options, deadlineMs: remainingMs }), sink);
  }
  try {
    const resume = (offset: number) => resumeFrom(session, bounded, landing!, offset, options.expectedSize);
    await receiveVerified(landing.res, { verifier: new BlobVerifier(digest, parsed, subject, options), subject, options, sink, deadline, outer: target.signal, resume });
  } finally {
    deadline.clear();
  }
}

interface Receive {
  verifier: BlobVerifier;
  subject: string;
  options: BlobFetchOptions;
  sink: BodySink;
  deadline: BlobDeadline;
  outer: AbortSignal | undefined;
  /** Asks for the rest of the blob from `offset`; undefined when the server will not give a matching range. */
  resume: (offset: number) => Promise<BoundedResponse | undefined>;
}

/** How many times one download may pick up where a broken connection left it (each time only after new bytes arrived). */
export const MAX_RESUMES = 3;

/**
 * GET `bytes=offset-` from where the download landed (same URL, same Authorization rule). Only a 206 whose Content-Range
 * runs from exactly `offset` to the blob's last byte is used; anything else (a 200 with the whole blob, a shorter range,
 * an expired signed URL) ends the download.
 */
async function resumeFrom(session: RegistrySession, target: RequestTarget, landing: Landing, offset: number, size: number | undefined): Promise<BoundedResponse | undefined> {
  const headers: Record<string, string> = { ...BLOB_REQUEST_HEADERS, range: `bytes=${offset}-` };
  if (landing.authorization) headers.authorization = landing.authorization;
  const res = await session.transport.getBounded({ url: landing.url.toString(), headers, signal: target.signal, insecure: target.insecure }).catch(() => undefined);
  if (!res) return undefined;
  // The range must be the whole rest of the blob: from `offset` to its last byte, of a blob of the expected size.
  const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header(res.headers, 'content-range') ?? '');
  const total = range?.[3] === '*' ? size : Number(range?.[3]);
  const whole = range !== null && Number(range[1]) === offset && total !== undefined && Number(range[2]) === total - 1 && (size === undefined || total === size);
  if (res.status !== 206 || !whole) {
    res.discard();
    return undefined;
  }
  return res;
}

async function receiveVerified(res: BoundedResponse, r: Receive): Promise<void> {
  const { options, subject, verifier, deadline } = r;
  const refused = declaredSizeProblem(res.headers, subject, options);
  if (refused) {
    res.discard();
    throw refused;
  }
  let passThrough: unknown; // an error of our own or of the sink: not a connection problem
  const guarded = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      passThrough = error;
      throw error;
    }
  };
  const settleSink = () =>
    guarded(() => {
      options.onProgress?.(verifier.size);
      return r.sink.settle?.()?.catch((error: unknown) => {
        passThrough = error;
        throw error;
      });
    });
  const sink: BodySink = {
    write: (chunk) =>
      guarded(() => {
        verifier.update(chunk);
        r.sink.write(chunk);
      }),
    settle: settleSink,
  };
  const declared = Number(header(res.headers, 'content-length'));
  let current = res;
  let expectedEnd = Number.isFinite(declared) ? declared : undefined; // where the body should end, counted from byte 0
  for (let resumes = 0; ; resumes++) {
    const before = verifier.size;
    try {
      await current.pipeBody(sink);
      // The read that completes the body gets no `settle` from the connection: report the final count and let the sink
      // settle once more, as the stream path does after every chunk.
      await settleSink();
      break;
    } catch (error) {
      if (passThrough !== undefined && error === passThrough) throw error;
      if (r.outer?.aborted) throw r.outer.reason ?? error;
      if (deadline.expired()) throw deadline.timedOut(verifier.size);
      // Inside a Content-Length body the parser only counts bytes: its one possible complaint is that the connection ended early.
      const cutShort = expectedEnd !== undefined && verifier.size < expectedEnd;
      if (error instanceof HttpParseError && !cutShort) throw new RegistryError('protocol', `The ${subject} arrived malformed: ${error.message}`);
      // Every byte so far went into the hash and the sink: a range request continues both where they stand.
      const next = resumes < MAX_RESUMES && verifier.size > before ? await r.resume(verifier.size) : undefined;
      if (!next) {
        if (r.outer?.aborted) throw r.outer.reason ?? error;
        if (deadline.expired()) throw deadline.timedOut(verifier.size);
        throw brokeOffError(subject, verifier.size);
      }
      const rest = Number(header(next.headers, 'content-length'));
      expectedEnd = Number.isFinite(rest) ? verifier.size + rest : expectedEnd;
      current = next;
    }
  }
  verifier.finish();
}
