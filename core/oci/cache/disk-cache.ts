// On-disk cache under one directory: tag lists and manifests (JSON with fetchedAt) and content-addressed blobs verified on read.
// Best effort: a broken or unwritable cache never fails a request; it only means a miss.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { computeDigest, parseDigest } from '../digest';

export interface DiskTagEntry {
  tags: string[];
  fetchedAt: number;
}

export interface DiskManifestEntry {
  digest: string;
  mediaType: string;
  bytes: Buffer;
  fetchedAt: number;
}

const fileKey = (key: string) => createHash('sha256').update(key).digest('hex');

export class DiskCache {
  constructor(
    readonly dir: string,
    private readonly log?: (line: string) => void,
  ) {}

  private async writeAtomic(path: string, data: string | Buffer): Promise<void> {
    try {
      await mkdir(join(path, '..'), { recursive: true });
      const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temp, data);
      await rename(temp, path);
    } catch {
      this.log?.(`disk cache: could not write under ${this.dir}`);
    }
  }

  private async readJson<T>(path: string): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(path, 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  async readTags(key: string): Promise<DiskTagEntry | undefined> {
    const entry = await this.readJson<{ key?: string; tags?: unknown; fetchedAt?: unknown }>(join(this.dir, 'tags', `${fileKey(key)}.json`));
    if (!entry || entry.key !== key || !Array.isArray(entry.tags) || typeof entry.fetchedAt !== 'number') return undefined;
    return { tags: entry.tags.filter((t): t is string => typeof t === 'string'), fetchedAt: entry.fetchedAt };
  }

  writeTags(key: string, entry: DiskTagEntry): Promise<void> {
    return this.writeAtomic(join(this.dir, 'tags', `${fileKey(key)}.json`), JSON.stringify({ key, ...entry }));
  }

  async readManifest(key: string): Promise<DiskManifestEntry | undefined> {
    const entry = await this.readJson<{ key?: string; digest?: string; mediaType?: string; bytes?: string; fetchedAt?: number }>(join(this.dir, 'manifests', `${fileKey(key)}.json`));
    if (!entry || entry.key !== key || !entry.digest || !entry.mediaType || typeof entry.bytes !== 'string' || typeof entry.fetchedAt !== 'number') return undefined;
    const bytes = Buffer.from(entry.bytes, 'base64');
    const parsed = parseDigest(entry.digest);
    if (!parsed || computeDigest(bytes, parsed.algorithm) !== entry.digest) return undefined;
    return { digest: entry.digest, mediaType: entry.mediaType, bytes, fetchedAt: entry.fetchedAt };
  }

  writeManifest(key: string, entry: DiskManifestEntry): Promise<void> {
    return this.writeAtomic(join(this.dir, 'manifests', `${fileKey(key)}.json`), JSON.stringify({ key, ...entry, bytes: entry.bytes.toString('base64') }));
  }

  private blobPath(digest: string): string | undefined {
    const parsed = parseDigest(digest);
    return parsed ? join(this.dir, 'blobs', parsed.algorithm, parsed.hex) : undefined;
  }

  /** The blob's bytes if cached and still matching the digest. */
  async readBlob(digest: string): Promise<Buffer | undefined> {
    const path = this.blobPath(digest);
    const parsed = parseDigest(digest);
    if (!path || !parsed) return undefined;
    try {
      const bytes = await readFile(path);
      return computeDigest(bytes, parsed.algorithm) === digest ? bytes : undefined;
    } catch {
      return undefined;
    }
  }

  async writeBlob(digest: string, bytes: Buffer): Promise<void> {
    const path = this.blobPath(digest);
    if (path) await this.writeAtomic(path, bytes);
  }
}
