// Decides whether an archive entry name or link target stays inside the extraction root.
// Pure string rules (POSIX separators only); never touches the file system.
import { ArtifactError } from './artifact-error';

function show(raw: string): string {
  const printable = raw.replace(/[\0-\x1f\x7f]/g, '?');
  return printable.length > 200 ? `${printable.slice(0, 200)}…` : printable;
}

/**
 * Returns the entry's path relative to the root ("" for the root itself), with "." and empty segments
 * dropped. Throws `unsafe-path` for absolute paths, ".." segments, backslashes, drive letters and NULs.
 */
export function normaliseEntryPath(raw: string): string {
  const name = show(raw);
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
 * target, or undefined when it is absolute or climbs above the root.
 */
export function resolveLinkTarget(linkPath: string, target: string): string | undefined {
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
