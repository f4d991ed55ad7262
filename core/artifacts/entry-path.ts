// Decides whether an archive entry name or link target stays inside the extraction root.
// Pure string rules (POSIX separators only); never touches the file system.
import { ArtifactError } from './artifact-error';

function show(raw: string): string {
  const printable = raw.replace(/[\0-\x1f\x7f]/g, '?');
  return printable.length > 200 ? `${printable.slice(0, 200)}…` : printable;
}

/** NAME_MAX on Linux, macOS and NTFS, in bytes of UTF-8. */
export const MAX_NAME_BYTES = 255;
/** A whole entry path (or link target) within the artifact: far beyond any chart, well inside PATH_MAX with the cache's root. */
export const MAX_PATH_BYTES = 1024;

function checkLength(raw: string, name: string, what: 'entry' | 'link target'): void {
  if (Buffer.byteLength(raw) > MAX_PATH_BYTES) {
    throw new ArtifactError('unsafe-path', `Refused ${what} "${name}": its path is longer than ${MAX_PATH_BYTES} bytes.`, raw);
  }
  const long = raw.split('/').find((segment) => Buffer.byteLength(segment) > MAX_NAME_BYTES);
  if (long !== undefined) {
    throw new ArtifactError('unsafe-path', `Refused ${what} "${name}": a name in its path is longer than ${MAX_NAME_BYTES} bytes, more than file systems allow.`, raw);
  }
}

/**
 * Returns the entry's path relative to the root ("" for the root itself), with "." and empty segments
 * dropped. Throws `unsafe-path` for absolute paths, ".." segments, backslashes, drive letters, NULs and names
 * longer than file systems take.
 */
export function normaliseEntryPath(raw: string): string {
  const name = show(raw);
  checkLength(raw, name, 'entry');
  if (raw.includes('\0')) throw new ArtifactError('unsafe-path', `Refused entry "${name}": its name contains a NUL character.`, raw);
  if (raw.includes('\\')) throw new ArtifactError('unsafe-path', `Refused entry "${name}": backslashes in names are not allowed (they are path separators on Windows).`, raw);
  if (/^[A-Za-z]:/.test(raw)) throw new ArtifactError('unsafe-path', `Refused entry "${name}": it starts with a Windows drive letter.`, raw);
  if (process.platform === 'win32' && raw.includes(':')) {
    throw new ArtifactError('unsafe-path', `Refused entry "${name}": ":" in a name would address an alternate data stream on Windows.`, raw);
  }
  if (raw.startsWith('/')) throw new ArtifactError('unsafe-path', `Refused entry "${name}": absolute paths are not allowed.`, raw);
  const segments = raw.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new ArtifactError('unsafe-path', `Refused entry "${name}": ".." would step outside the extraction folder.`, raw);
  return segments.join('/');
}

/**
 * Resolves a symlink target against the directory of the link, lexically. Returns the root-relative
 * target, or undefined when it is absolute or climbs above the root; throws `unsafe-path` when it is over-long.
 */
export function resolveLinkTarget(linkPath: string, target: string): string | undefined {
  checkLength(target, show(target), 'link target');
  if (target === '' || target.startsWith('/') || target.includes('\\') || target.includes('\0') || /^[A-Za-z]:/.test(target)) return undefined;
  const stack = linkPath.split('/').filter((s) => s !== '' && s !== '.');
  stack.pop(); // the link's own name
  for (const segment of target.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (stack.length === 0) return undefined;
      stack.pop();
    } else stack.push(segment);
  }
  return stack.join('/');
}

export { show as printableEntryName };
