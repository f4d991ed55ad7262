// Path arithmetic for the repository build model: '/'-separated paths (Windows separators folded), directory
// of a file, joining a kustomization's relative entries, the repository root a file belongs to. No file system.

/** The file names kustomize recognises, in its own order of preference. */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function toSlash(path: string): string {
  return path.includes('\\') ? path.replace(/\\/g, '/') : path;
}

export function baseName(path: string): string {
  const p = toSlash(path);
  return p.slice(p.lastIndexOf('/') + 1);
}

export function dirName(path: string): string {
  const p = toSlash(path);
  const slash = p.lastIndexOf('/');
  return slash > 0 ? p.slice(0, slash) : slash === 0 ? '/' : '';
}

export function isKustomizationFile(path: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.includes(baseName(path));
}

/** `relative` resolved against directory `dir`; `..` never climbs above `floor` (the repository root) when given. */
export function joinPath(dir: string, relative: string, floor?: string): string {
  const rel = toSlash(relative);
  const absolute = rel.startsWith('/');
  const base = absolute && floor === undefined ? '' : toSlash(dir);
  const out = base === '' ? [] : base.split('/').filter((s, i) => s !== '' || i === 0);
  const minimum =
    floor === undefined
      ? 1
      : toSlash(floor)
          .split('/')
          .filter((s, i) => s !== '' || i === 0).length;
  if (absolute && floor !== undefined) out.splice(minimum);
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > minimum) out.pop();
    } else out.push(seg);
  }
  const joined = out.join('/');
  return joined === '' && toSlash(dir).startsWith('/') ? '/' : joined;
}

/** Whether `path` lies inside directory `dir` (at any depth). The empty directory contains every relative path. */
export function isUnder(path: string, dir: string): boolean {
  if (dir === '') return !toSlash(path).startsWith('/');
  const d = dir.endsWith('/') ? dir : `${dir}/`;
  return toSlash(path).startsWith(d);
}

/** The deepest root containing `path`, else '' (paths then read as relative to an unnamed root). */
export function rootOf(path: string, roots: readonly string[]): string {
  let best: string | undefined;
  for (const root of roots) if ((isUnder(path, root) || toSlash(path) === root) && (best === undefined || root.length > best.length)) best = root;
  return best ?? '';
}

/** Whether a kustomization entry names a remote resource (git URL, http) rather than a path. */
export function isRemoteEntry(entry: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) || entry.startsWith('git@');
}
