// Compares two extracted trees (added/removed/changed files with sizes) and reads one file from each for a text diff.
// Only touches paths that are in the trees' own file lists, so a caller cannot read outside either root.
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { hashFile } from './file-reading';
import type { ExtractedFile } from './safe-extract';

export interface TreeSnapshot {
  root: string;
  files: readonly ExtractedFile[];
}

export interface FileChange {
  path: string;
  status: 'added' | 'removed' | 'changed';
  sizeBefore?: number;
  sizeAfter?: number;
}

export interface TreeComparison {
  added: FileChange[];
  removed: FileChange[];
  changed: FileChange[];
  unchanged: number;
}

export async function compareTrees(before: TreeSnapshot, after: TreeSnapshot): Promise<TreeComparison> {
  const left = new Map(before.files.map((f) => [f.path, f.size]));
  const right = new Map(after.files.map((f) => [f.path, f.size]));
  const result: TreeComparison = { added: [], removed: [], changed: [], unchanged: 0 };
  for (const [path, sizeBefore] of left) {
    const sizeAfter = right.get(path);
    if (sizeAfter === undefined) result.removed.push({ path, status: 'removed', sizeBefore });
    else if (sizeBefore !== sizeAfter || (await hashFile(join(before.root, path), 'sha256')) !== (await hashFile(join(after.root, path), 'sha256'))) {
      result.changed.push({ path, status: 'changed', sizeBefore, sizeAfter });
    } else result.unchanged++;
  }
  for (const [path, sizeAfter] of right) if (!left.has(path)) result.added.push({ path, status: 'added', sizeAfter });
  const byPath = (a: FileChange, b: FileChange) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  result.added.sort(byPath);
  result.removed.sort(byPath);
  result.changed.sort(byPath);
  return result;
}

export interface FileSide {
  /** Absent when the file is not in this tree. */
  text?: string;
  size?: number;
  binary: boolean;
  /** True when only the first `maxBytes` were read. */
  truncated: boolean;
}

export interface FilePair {
  path: string;
  before: FileSide;
  after: FileSide;
}

async function readSide(tree: TreeSnapshot, path: string, maxBytes: number): Promise<FileSide> {
  const entry = tree.files.find((f) => f.path === path);
  if (!entry) return { binary: false, truncated: false };
  const handle = await open(join(tree.root, entry.path), 'r');
  try {
    const length = Math.min(entry.size, maxBytes);
    const buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await handle.read(buffer, read, length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    const bytes = buffer.subarray(0, read);
    const binary = bytes.subarray(0, 8192).includes(0);
    return { size: entry.size, binary, truncated: entry.size > maxBytes, ...(binary ? {} : { text: bytes.toString('utf8') }) };
  } finally {
    await handle.close();
  }
}

/** One file's content from each tree (text, or marked binary), for a side-by-side diff. */
export async function readFilePair(before: TreeSnapshot, after: TreeSnapshot, path: string, maxBytes = 1024 * 1024): Promise<FilePair> {
  return { path, before: await readSide(before, path, maxBytes), after: await readSide(after, path, maxBytes) };
}
