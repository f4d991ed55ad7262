// Remembers the artifacts this server pulled (by id `<registry>/<repository>@<digest>`) and reads their files for the client,
// only paths in the artifact's own file list and only up to a size limit. Must not pull anything itself.
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { PulledArtifact } from '../../core/artifacts/pull-artifact';
import { formatBytes } from '../../core/artifacts/limits';
import type { ReadArtifactFileResult } from '../../shared/protocol';

export const MAX_READ_BYTES = 16 * 1024 * 1024;
const MAX_REMEMBERED = 64;

export function artifactId(registry: string, repository: string, digest: string): string {
  return `${registry}/${repository}@${digest}`;
}

/** Splits an id back into registry, repository and digest; undefined when it is not one. */
export function parseArtifactId(id: string): { registry: string; repository: string; digest: string } | undefined {
  const match = /^([^/@\s]+)\/([^@\s]+)@(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/.exec(id);
  return match ? { registry: match[1]!, repository: match[2]!, digest: match[3]! } : undefined;
}

export type FileReadOutcome = { ok: true; value: ReadArtifactFileResult } | { ok: false; message: string };

function looksBinary(bytes: Buffer): boolean {
  if (bytes.subarray(0, 8192).includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return false;
  } catch {
    return true;
  }
}

export class ArtifactStore {
  private readonly pulled = new Map<string, PulledArtifact>();

  remember(id: string, artifact: PulledArtifact): void {
    this.pulled.delete(id);
    this.pulled.set(id, artifact);
    while (this.pulled.size > MAX_REMEMBERED) this.pulled.delete(this.pulled.keys().next().value as string);
  }

  get(id: string): PulledArtifact | undefined {
    return this.pulled.get(id);
  }

  /** Reads one file of a remembered artifact; refuses paths that are not in its file list. */
  async readFile(artifact: PulledArtifact, path: string): Promise<FileReadOutcome> {
    const entry = artifact.files.find((f) => f.path === path);
    if (!artifact.extracted || !artifact.root) return { ok: false, message: `${artifact.reference} was not extracted (container image layers are only listed).` };
    if (!entry) return { ok: false, message: `${artifact.reference} has no file "${path}".` };
    if (entry.size > MAX_READ_BYTES) return { ok: false, message: `"${path}" is ${formatBytes(entry.size)}, too large to open in the editor (limit ${formatBytes(MAX_READ_BYTES)}).` };
    const handle = await open(join(artifact.root, entry.path), 'r');
    try {
      const buffer = Buffer.alloc(entry.size);
      let read = 0;
      while (read < entry.size) {
        const { bytesRead } = await handle.read(buffer, read, entry.size - read, read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      const bytes = buffer.subarray(0, read);
      const binary = looksBinary(bytes);
      return { ok: true, value: { path, size: entry.size, encoding: binary ? 'base64' : 'utf8', content: bytes.toString(binary ? 'base64' : 'utf8') } };
    } finally {
      await handle.close();
    }
  }
}
