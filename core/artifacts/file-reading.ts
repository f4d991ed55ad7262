// Reading cached files without a fresh buffer per read: one reused buffer per file, and file hashing built on it.
// Chunks are borrowed (valid until the next one is asked for); callers that keep bytes copy them.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** Reads a file through one reused buffer: each chunk is valid only until the next is asked for. */
export async function* readThrough(filePath: string, bufferBytes: number): AsyncGenerator<Buffer> {
  const handle = await open(filePath, 'r');
  const buffer = Buffer.allocUnsafe(bufferBytes);
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** The hex digest of a file's content. */
export async function hashFile(filePath: string, algorithm: 'sha256' | 'sha512'): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of readThrough(filePath, 1 << 20)) hash.update(chunk);
  return hash.digest('hex');
}
