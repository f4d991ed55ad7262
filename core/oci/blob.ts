// Streams blobs by digest: follows redirects itself (no Authorization across origins), asks for identity encoding,
// hashes while streaming and holds the last chunk back until the digest is verified, so unverified data never looks complete.
// The whole download (headers, redirects, body) is bounded by one deadline, as Flux bounds a pull by spec.timeout.
import { Readable } from 'node:stream';
import { DigestVerifier, parseDigest } from './digest';
import { RegistryError } from './errors';
import { checkRedirect } from './redirect-policy';
import type { RegistrySession, RequestTarget } from './registry-session';
import { statusError } from './status-errors';
import { header, type HttpResponse } from './transport';

export interface BlobFetchOptions {
  maxBytes?: number;
  /** Size from the descriptor, checked before and after the download. */
  expectedSize?: number;
  onProgress?(bytes: number): void;
  /**
   * Total time the download may take, from the request to the last byte (an idle timeout alone never stops a registry
   * that trickles bytes). Default DEFAULT_BLOB_DEADLINE_MS; callers that know an OCIRepository's spec.timeout pass it.
   */
  deadlineMs?: number;
}

/** Ten minutes: generous for a large chart or artifact over a slow link, yet a stuck download ends. */
export const DEFAULT_BLOB_DEADLINE_MS = 10 * 60_000;

const MAX_REDIRECTS = 5;

export function describeSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** A signal that fires at the deadline (or when the caller's own signal does); `clear` stops the timer. */
export function deadlineSignal(ms: number, outer: AbortSignal | undefined): { signal: AbortSignal; expired: () => boolean; clear: () => void } {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new RegistryError('timeout', 'deadline'));
  }, ms);
  timer.unref?.();
  const onOuterAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onOuterAbort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  return {
    signal: controller.signal,
    expired: () => expired,
    clear: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    },
  };
}

async function openBlob(session: RegistrySession, target: RequestTarget, digest: string): Promise<HttpResponse> {
  const headers = { 'accept-encoding': 'identity', accept: '*/*' };
  let url = new URL(session.repositoryUrl(target, `blobs/${digest}`));
  let res = await session.send(target, { url: url.toString(), headers });
  for (let hop = 0; res.status >= 300 && res.status < 400 && res.status !== 304; hop++) {
    await res.body.dump().catch(() => undefined);
    if (hop >= MAX_REDIRECTS) throw new RegistryError('protocol', `Downloading ${digest} from ${target.registry} redirected more than ${MAX_REDIRECTS} times.`);
    const decision = checkRedirect(url, header(res.headers, 'location'), target.registry);
    url = decision.url;
    res = decision.sameOrigin
      ? await session.send(target, { url: url.toString(), headers })
      : await session.transport.send({ url: url.toString(), headers, signal: target.signal, insecure: target.insecure, streaming: true });
  }
  return res;
}

/** Opens a verified blob stream. Errors before the first byte reject; a digest mismatch errors the stream before it ends. */
export async function fetchBlobStream(session: RegistrySession, target: RequestTarget, digest: string, options: BlobFetchOptions = {}): Promise<Readable> {
  const parsed = parseDigest(digest);
  if (!parsed) throw new RegistryError('invalid-reference', `"${digest}" is not a sha256 or sha512 digest.`);
  const where = `blob ${digest} of ${target.registry}/${target.repository}`;
  const deadlineMs = options.deadlineMs ?? DEFAULT_BLOB_DEADLINE_MS;
  const deadline = deadlineSignal(deadlineMs, target.signal);
  const timedOut = (bytes: number) =>
    new RegistryError('timeout', `The download of ${where} did not finish within ${describeSeconds(deadlineMs)} (${bytes} bytes received); the registry is too slow or stalled.`);
  let res: HttpResponse;
  try {
    res = await openBlob(session, { ...target, signal: deadline.signal }, digest);
  } catch (error) {
    deadline.clear();
    if (deadline.expired()) throw timedOut(0);
    throw error;
  }
  try {
    return await streamVerified(res, digest, parsed, where, options, deadline, timedOut);
  } catch (error) {
    deadline.clear();
    throw error;
  }
}

async function streamVerified(
  res: HttpResponse,
  digest: string,
  parsed: NonNullable<ReturnType<typeof parseDigest>>,
  where: string,
  options: BlobFetchOptions,
  deadline: { expired: () => boolean; clear: () => void },
  timedOut: (bytes: number) => RegistryError,
): Promise<Readable> {
  if (res.status !== 200) {
    const body = await res.body.text().catch(() => '');
    if (res.status === 404) throw new RegistryError('not-found', `The ${where} was not found.`, { status: 404 });
    throw statusError(res.status, res.headers, body, where);
  }
  const declared = Number(header(res.headers, 'content-length'));
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const tooLarge = () => new RegistryError('too-large', `The ${where} is larger than the ${maxBytes}-byte limit.`);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body.dump().catch(() => undefined);
    throw tooLarge();
  }
  if (options.expectedSize !== undefined && Number.isFinite(declared) && declared !== options.expectedSize) {
    await res.body.dump().catch(() => undefined);
    throw new RegistryError('digest-mismatch', `The ${where} has ${declared} bytes, but its descriptor says ${options.expectedSize}.`);
  }
  const verifier = new DigestVerifier(parsed);
  const body = res.body;
  async function* verified(): AsyncGenerator<Buffer> {
    let held: Buffer | undefined;
    try {
      for await (const chunk of body) {
        const buf = chunk as Buffer;
        verifier.update(buf);
        if (verifier.size > maxBytes) throw tooLarge();
        options.onProgress?.(verifier.size);
        if (held) yield held;
        held = buf;
      }
    } catch (error) {
      body.destroy();
      if (deadline.expired()) throw timedOut(verifier.size);
      if (error instanceof RegistryError) throw error;
      throw new RegistryError('unreachable', `The download of ${where} broke off after ${verifier.size} bytes.`);
    } finally {
      deadline.clear();
    }
    if (options.expectedSize !== undefined && verifier.size !== options.expectedSize) {
      throw new RegistryError('digest-mismatch', `The ${where} has ${verifier.size} bytes, but its descriptor says ${options.expectedSize}.`);
    }
    const actual = verifier.actual();
    if (actual !== digest) throw new RegistryError('digest-mismatch', `The ${where} does not match its digest (got ${actual}); the download was rejected.`);
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
