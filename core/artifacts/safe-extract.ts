// Extracts a tar or tar+gzip archive into a new directory, atomically and within limits.
// Refuses escapes, outside links, devices, fifos, too many entries or bytes; a refused archive leaves nothing behind.
import { constants as fsConstants, createReadStream } from 'node:fs';
import { copyFile, mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { ArtifactError, throwIfCancelled } from './artifact-error';
import { createBufferReclaimer } from './buffer-reclaimer';
import { readThrough } from './file-reading';
import { normaliseEntryPath, printableEntryName, resolveLinkTarget } from './entry-path';
import { formatBytes, resolveLimits, type ExtractLimits } from './limits';
import { readTarEntries } from './tar-reader';

export interface ExtractedFile {
  /** Root-relative, "/"-separated. */
  path: string;
  size: number;
}

export interface SkippedLink {
  path: string;
  target: string;
}

export interface ExtractedTree {
  /** Regular files written (hard links inside the root are written as copies), sorted by path. */
  files: ExtractedFile[];
  /** Symbolic links that resolve inside the root: listed, not created (Flux skips symlinks too). */
  skippedSymlinks: SkippedLink[];
  /** Sum of file sizes. */
  totalBytes: number;
}

export interface ExtractOptions {
  limits?: Partial<ExtractLimits>;
  signal?: AbortSignal;
  /** Parent for the staging directory (same file system as the target); defaults to the target's parent. */
  stagingParent?: string;
  /** Awaited after the last entry is written and before the tree is renamed into place; a rejection keeps nothing. */
  beforeCommit?: () => Promise<void>;
}

export type ArchiveCompression = 'gzip' | 'none';

/** How many leading bytes compressionOf needs (fewer only when the archive is shorter). */
export const COMPRESSION_HEAD_BYTES = 263;

/** Tells gzip from plain tar by an archive's leading bytes; throws for anything this engine cannot open. */
export function compressionOf(head: Uint8Array): ArchiveCompression {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x28b52ffd) {
    throw new ArtifactError('not-extractable', 'The layer is zstd-compressed, which this version cannot extract.');
  }
  if (bytes.length >= COMPRESSION_HEAD_BYTES && bytes.subarray(257, 262).toString('latin1') === 'ustar') return 'none';
  throw new ArtifactError('not-extractable', 'The layer is neither a tar nor a gzip-compressed tar archive.');
}

/** Reads the leading magic bytes of an archive file: gzip, plain tar, or something this engine cannot open. */
export async function detectCompression(filePath: string): Promise<ArchiveCompression> {
  const handle = await open(filePath, 'r');
  try {
    const head = Buffer.alloc(COMPRESSION_HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return compressionOf(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** Stops the decompressed stream once it is far larger than the limits can explain (gzip bombs). */
async function* capDecompressed(source: AsyncIterable<Uint8Array>, cap: number, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    throwIfCancelled(signal);
    total += chunk.byteLength;
    if (total > cap) {
      throw new ArtifactError('too-many-bytes', `The archive expands to more than ${formatBytes(cap)}; refused before it was fully decompressed.`);
    }
    yield chunk;
  }
}

/**
 * Inflates `source`. Each input chunk is fully consumed before the next is asked for, so the source may hand out one
 * reused buffer (see file-reading.ts).
 */
async function* gunzip(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const inflater = createGunzip({ chunkSize: 256 * 1024 });
  const feed = (async () => {
    try {
      for await (const chunk of source) {
        if (inflater.destroyed) return;
        await new Promise<void>((resolve) => {
          // The write callback runs once zlib has consumed the chunk (or with an error once the stream is destroyed).
          const done = () => {
            inflater.off('close', done);
            resolve();
          };
          inflater.on('close', done);
          inflater.write(chunk, done);
        });
      }
      inflater.end();
    } catch (error) {
      inflater.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
  } catch (error) {
    if (error instanceof ArtifactError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'Z_BUF_ERROR') throw new ArtifactError('truncated-archive', 'The gzip stream ends unexpectedly (truncated archive).');
    if (typeof code === 'string' && code.startsWith('Z_')) throw new ArtifactError('corrupt-archive', `The gzip stream is corrupt (${(error as Error).message}).`);
    throw error;
  } finally {
    inflater.destroy();
    await feed;
  }
}

/** Passes chunks through, letting the fresh buffers behind them go every few MiB (buffer-reclaimer.ts). */
async function* reclaiming(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reclaimer = createBufferReclaimer();
  for await (const chunk of source) {
    yield chunk;
    reclaimer.passed(chunk.byteLength);
  }
}

/** Streams a file's bytes, gunzipping when asked. Closing the iterator closes the file. */
export function archiveStream(filePath: string, compression: ArchiveCompression): AsyncGenerator<Uint8Array> {
  // Gzip input goes through one reused read buffer; a plain tar is read as fresh chunks, since the tar reader may keep
  // a chunk across reads. Inflated chunks are fresh buffers.
  return reclaiming(compression === 'gzip' ? gunzip(readThrough(filePath, 256 * 1024)) : (createReadStream(filePath, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>));
}

/** The tar bytes of an archive arriving as borrowed chunks (each valid until the next is asked for): inflated, or copied. */
export function tarFromBorrowed(borrowed: AsyncIterable<Uint8Array>, compression: ArchiveCompression): AsyncGenerator<Uint8Array> {
  async function* copies(): AsyncGenerator<Uint8Array> {
    for await (const chunk of borrowed) yield Buffer.from(chunk); // the tar reader may keep a chunk across reads
  }
  return reclaiming(compression === 'gzip' ? gunzip(borrowed) : copies());
}

class TreeWriter {
  private readonly directories = new Set<string>(['']);
  private readonly files = new Map<string, number>();
  constructor(private readonly root: string) {}

  private async ensureDirectory(relative: string, entry: string): Promise<void> {
    if (this.directories.has(relative)) return;
    if (this.files.has(relative)) {
      throw new ArtifactError('entry-conflict', `Refused entry "${printableEntryName(entry)}": "${relative}" is already a file.`, entry);
    }
    await this.ensureDirectory(relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '', entry);
    try {
      await mkdir(join(this.root, relative), { mode: 0o755 });
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
    this.directories.add(relative);
  }

  async directory(relative: string, entry: string): Promise<void> {
    await this.ensureDirectory(relative, entry);
  }

  private async create(relative: string, entry: string, mode: number): Promise<FileHandle> {
    if (this.directories.has(relative)) {
      throw new ArtifactError('entry-conflict', `Refused entry "${printableEntryName(entry)}": "${relative}" is already a directory.`, entry);
    }
    await this.ensureDirectory(relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '', entry);
    const flags = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_TRUNC | fsConstants.O_NOFOLLOW;
    return open(join(this.root, relative), flags, mode & 0o111 ? 0o755 : 0o644);
  }

  async file(relative: string, entry: string, mode: number, body: AsyncIterable<Buffer>, signal?: AbortSignal): Promise<number> {
    const handle = await this.create(relative, entry, mode);
    let written = 0;
    try {
      for await (const chunk of body) {
        throwIfCancelled(signal);
        let offset = 0;
        while (offset < chunk.length) {
          const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
          offset += bytesWritten;
        }
        written += chunk.length;
      }
    } finally {
      await handle.close();
    }
    this.files.set(relative, written);
    return written;
  }

  sizeOf(relative: string): number | undefined {
    return this.files.get(relative);
  }

  async copy(from: string, to: string, entry: string): Promise<number> {
    const size = this.files.get(from)!;
    const handle = await this.create(to, entry, 0o644);
    await handle.close();
    await copyFile(join(this.root, from), join(this.root, to));
    this.files.set(to, size);
    return size;
  }

  list(): ExtractedFile[] {
    return [...this.files].map(([path, size]) => ({ path, size })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

/** Writes the entries of an uncompressed tar stream under `root` (an existing, empty, private directory). */
async function writeEntries(tarStream: AsyncIterable<Uint8Array>, root: string, limits: ExtractLimits, signal?: AbortSignal): Promise<ExtractedTree> {
  const writer = new TreeWriter(root);
  const skippedSymlinks: SkippedLink[] = [];
  let entries = 0;
  let totalBytes = 0;
  const countBytes = (size: number, raw: string) => {
    if (totalBytes + size > limits.maxBytes) {
      throw new ArtifactError('too-many-bytes', `Refused entry "${printableEntryName(raw)}": the archive expands to more than the ${formatBytes(limits.maxBytes)} limit (fluxOci.pull.maxBytes).`, raw);
    }
    totalBytes += size;
  };

  for await (const entry of readTarEntries(tarStream)) {
    throwIfCancelled(signal);
    const raw = entry.path;
    if (++entries > limits.maxFiles) {
      throw new ArtifactError('too-many-files', `Refused entry "${printableEntryName(raw)}": the archive has more than ${limits.maxFiles} entries (fluxOci.pull.maxFiles).`, raw);
    }
    const relative = normaliseEntryPath(raw);
    const name = printableEntryName(raw);
    switch (entry.type) {
      case 'directory':
        if (relative !== '') await writer.directory(relative, raw);
        break;
      case 'file': {
        if (relative === '') throw new ArtifactError('unsafe-path', `Refused entry "${name}": a file cannot replace the extraction folder.`, raw);
        countBytes(entry.size, raw); // checked against the declared size before a byte is inflated
        await writer.file(relative, raw, entry.mode, entry.body(), signal);
        break;
      }
      case 'symlink': {
        const target = entry.linkPath ?? '';
        if (resolveLinkTarget(relative, target) === undefined) {
          throw new ArtifactError('link-outside-root', `Refused symlink "${name}": its target "${printableEntryName(target)}" is outside the extraction folder.`, raw);
        }
        skippedSymlinks.push({ path: relative, target });
        break;
      }
      case 'hardlink': {
        const target = entry.linkPath ?? '';
        let source: string;
        try {
          source = normaliseEntryPath(target);
        } catch {
          throw new ArtifactError('link-outside-root', `Refused hard link "${name}": its target "${printableEntryName(target)}" is outside the extraction folder.`, raw);
        }
        const size = writer.sizeOf(source);
        if (size === undefined) {
          throw new ArtifactError('link-target-missing', `Refused hard link "${name}": its target "${printableEntryName(target)}" is not a file earlier in the archive.`, raw);
        }
        countBytes(size, raw);
        if (source !== relative) await writer.copy(source, relative, raw);
        break;
      }
      case 'chardev':
      case 'blockdev':
      case 'fifo': {
        const kind = entry.type === 'fifo' ? 'a fifo' : entry.type === 'chardev' ? 'a character device' : 'a block device';
        throw new ArtifactError('special-file', `Refused entry "${name}": it is ${kind}, which a chart or artifact never needs.`, raw);
      }
      default:
        throw new ArtifactError('unsupported-entry', `Refused entry "${name}": tar entry type "${entry.typeFlag}" is not supported.`, raw);
    }
  }
  return { files: writer.list(), skippedSymlinks, totalBytes };
}

/**
 * Extracts an archive stream into `targetDir`, which must not exist yet. Everything is written into a
 * fresh staging directory first and renamed into place only when complete; on any refusal or error the
 * staging directory is removed, so nothing is left behind. Throws ArtifactError.
 */
export async function extractTarStream(tarStream: AsyncIterable<Uint8Array>, targetDir: string, options: ExtractOptions = {}): Promise<ExtractedTree> {
  const limits = resolveLimits(options.limits);
  throwIfCancelled(options.signal);
  const stagingParent = options.stagingParent ?? dirname(targetDir);
  await mkdir(stagingParent, { recursive: true });
  const staging = join(stagingParent, `.partial-${basename(targetDir)}-${randomBytes(6).toString('hex')}`);
  await mkdir(staging, { mode: 0o700 });
  try {
    // Headers, padding and metadata records cost a little beyond the file bytes; anything more is a bomb.
    const cap = limits.maxBytes + (limits.maxFiles + 2) * 1536 + 16 * 1024 * 1024;
    const tree = await writeEntries(capDecompressed(tarStream, cap, options.signal), staging, limits, options.signal);
    await options.beforeCommit?.();
    throwIfCancelled(options.signal);
    await mkdir(dirname(targetDir), { recursive: true });
    await rename(staging, targetDir);
    return tree;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Extracts a tar or tar+gzip file (detected from its first bytes) into `targetDir`; see extractTarStream. */
export async function extractArchiveFile(archivePath: string, targetDir: string, options: ExtractOptions = {}): Promise<ExtractedTree> {
  const compression = await detectCompression(archivePath);
  return extractTarStream(archiveStream(archivePath, compression), targetDir, options);
}
