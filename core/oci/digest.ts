// Content digests: parsing `algorithm:hex` and hashing bytes (whole or streamed) for verification.
// Never decides what to do on mismatch: callers raise RegistryError('digest-mismatch').
import { createHash, type Hash } from 'node:crypto';

export type DigestAlgorithm = 'sha256' | 'sha512';
export interface ParsedDigest {
  algorithm: DigestAlgorithm;
  hex: string;
}

const HEX_LENGTH: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };

/** Parses sha256/sha512 digests; uppercase hex and other algorithms are invalid (undefined). */
export function parseDigest(digest: string): ParsedDigest | undefined {
  const m = /^(sha256|sha512):([a-f0-9]+)$/.exec(digest);
  if (!m) return undefined;
  const algorithm = m[1] as DigestAlgorithm;
  return m[2].length === HEX_LENGTH[algorithm] ? { algorithm, hex: m[2] } : undefined;
}

export function computeDigest(bytes: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** Hashes a stream chunk by chunk; `matches()` compares at the end. */
export class DigestVerifier {
  private readonly hash: Hash;
  private bytes = 0;
  constructor(readonly expected: ParsedDigest) {
    this.hash = createHash(expected.algorithm);
  }
  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
  }
  get size(): number {
    return this.bytes;
  }
  /** Finishes the hash; call once. */
  actual(): string {
    return `${this.expected.algorithm}:${this.hash.digest('hex')}`;
  }
}
