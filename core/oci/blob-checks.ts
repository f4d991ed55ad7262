// What every blob download checks and says, whichever path carries it (undici's stream or the bounded reader):
// the declared size, the size and digest at the end, and the one-sentence errors for each (the deadline: transfer-deadline.ts).
import { DigestVerifier, parseDigest, type ParsedDigest } from './digest';
import { RegistryError } from './errors';
import { header, type HeaderValue } from './transport';

export interface BlobLimits {
  maxBytes?: number;
  /** Size from the descriptor, checked before and after the download. */
  expectedSize?: number;
}

export { DEFAULT_BLOB_DEADLINE_MS } from './transfer-deadline';

/** "blob sha256:… of host/repo", the subject of every message about one download. */
export function blobSubject(digest: string, target: { registry: string; repository: string }): string {
  return `blob ${digest} of ${target.registry}/${target.repository}`;
}

/** The parsed digest, or the error a malformed one gets. */
export function requireDigest(digest: string): ParsedDigest {
  const parsed = parseDigest(digest);
  if (!parsed) throw new RegistryError('invalid-reference', `"${digest}" is not a sha256 or sha512 digest.`);
  return parsed;
}

export function tooLargeError(subject: string, maxBytes: number): RegistryError {
  return new RegistryError('too-large', `The ${subject} is larger than the ${maxBytes}-byte limit.`);
}

export function brokeOffError(subject: string, bytes: number): RegistryError {
  return new RegistryError('unreachable', `The download of ${subject} broke off after ${bytes} bytes.`);
}

/** The error for a Content-Length over the limit or unlike the descriptor's size, before a byte is read; else undefined. */
export function declaredSizeProblem(headers: Record<string, HeaderValue>, subject: string, limits: BlobLimits): RegistryError | undefined {
  const declared = Number(header(headers, 'content-length'));
  if (!Number.isFinite(declared)) return undefined;
  if (limits.maxBytes !== undefined && declared > limits.maxBytes) return tooLargeError(subject, limits.maxBytes);
  if (limits.expectedSize !== undefined && declared !== limits.expectedSize) {
    return new RegistryError('digest-mismatch', `The ${subject} has ${declared} bytes, but its descriptor says ${limits.expectedSize}.`);
  }
  return undefined;
}

/** Hashes a download as it arrives; refuses bytes past the limit; `finish` checks the size and digest at the end. */
export class BlobVerifier {
  private readonly verifier: DigestVerifier;
  constructor(
    private readonly digest: string,
    parsed: ParsedDigest,
    private readonly subject: string,
    private readonly limits: BlobLimits,
  ) {
    this.verifier = new DigestVerifier(parsed);
  }

  get size(): number {
    return this.verifier.size;
  }

  update(chunk: Uint8Array): void {
    this.verifier.update(chunk);
    if (this.limits.maxBytes !== undefined && this.verifier.size > this.limits.maxBytes) throw tooLargeError(this.subject, this.limits.maxBytes);
  }

  /** Throws digest-mismatch when the size or the content is not what the digest (and descriptor) promise. */
  finish(): void {
    const { expectedSize } = this.limits;
    if (expectedSize !== undefined && this.verifier.size !== expectedSize) {
      throw new RegistryError('digest-mismatch', `The ${this.subject} has ${this.verifier.size} bytes, but its descriptor says ${expectedSize}.`);
    }
    const actual = this.verifier.actual();
    if (actual !== this.digest) throw new RegistryError('digest-mismatch', `The ${this.subject} does not match its digest (got ${actual}); the download was rejected.`);
  }
}
