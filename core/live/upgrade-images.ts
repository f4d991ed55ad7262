// Finds the container images a chart's values.yaml names (`image.repository`/`image.tag`, `registry`, `name`, `digest`,
// and `image: repo:tag` strings) and what a version change does to each. Pure: indexed keys in, changes out.
import { displayPath, pathKey, type IndexedKey, type ValuesKeyIndex } from './values-key-index';

export interface ValuesImage {
  /** Path of the image in values.yaml (`image`, `controller.image`). */
  path: string;
  /** The key path itself, and where its tag lives (`[…, 'tag']`, or the path for `image: repo:tag` strings). */
  keyPath: string[];
  tagPath: string[];
  repository: string;
  tag: string;
  digest?: string;
}

export interface ImageChange {
  path: string;
  repository: string;
  before: string;
  after: string;
  /** Set when the tag is empty in values.yaml: the chart then uses its appVersion. */
  followsAppVersion?: boolean;
  /** The tag (or digest) the release sets itself, which wins over either default. */
  releaseSets?: string;
}

const text = (key: IndexedKey | undefined): string | undefined => (key?.scalar === undefined || key.scalar === null ? undefined : String(key.scalar));
const IMAGE_STRING = /^[a-z0-9][a-z0-9._\-/:]*[a-z0-9](:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/** Splits `registry/repo:tag@digest` into repository, tag and digest (the port colon is not a tag). */
function splitImageString(value: string): { repository: string; tag: string; digest?: string } | undefined {
  if (!IMAGE_STRING.test(value) || !value.includes('/')) return undefined;
  const [name, digest] = value.split('@') as [string, string | undefined];
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  if (!hasTag && !digest) return undefined;
  return { repository: hasTag ? name.slice(0, colon) : name, tag: hasTag ? name.slice(colon + 1) : '', ...(digest ? { digest } : {}) };
}

/** Every image values.yaml declares, by path. */
export function imagesIn(index: ValuesKeyIndex): Map<string, ValuesImage> {
  const out = new Map<string, ValuesImage>();
  for (const key of index.values()) {
    const path = key.path;
    if (key.kind === 'map') {
      const child = (name: string) => index.get(pathKey([...path, name]));
      const repository = text(child('repository')) ?? text(child('name')) ?? text(child('image'));
      const tagKey = child('tag');
      if (repository === undefined || tagKey === undefined || tagKey.kind !== 'scalar') continue;
      const registry = text(child('registry'));
      const digest = text(child('digest'));
      out.set(displayPath(path), {
        path: displayPath(path),
        keyPath: path,
        tagPath: [...path, 'tag'],
        repository: registry ? `${registry}/${repository}` : repository,
        tag: text(tagKey) ?? '',
        ...(digest ? { digest } : {}),
      });
    } else if (key.kind === 'scalar' && typeof key.scalar === 'string' && /image$/i.test(key.key)) {
      const split = splitImageString(key.scalar);
      if (split) out.set(displayPath(path), { path: displayPath(path), keyPath: path, tagPath: path, ...split });
    }
  }
  return out;
}

const versionOf = (image: ValuesImage): string => (image.digest ? `${image.tag ? `${image.tag}@` : ''}${image.digest}` : image.tag);

/**
 * Images whose tag, digest or repository differ between the versions. `appVersions` stands in for empty tags;
 * `releaseSets` answers what the release itself sets at a path (`image.tag`), if anything.
 */
export function imageChanges(before: ValuesKeyIndex, after: ValuesKeyIndex, appVersions: { before?: string; after?: string }, releaseSets: (path: string[]) => string | undefined): ImageChange[] {
  const old = imagesIn(before);
  const out: ImageChange[] = [];
  for (const [path, image] of imagesIn(after)) {
    const previous = old.get(path);
    if (!previous) continue;
    const follows = previous.tag === '' && image.tag === '' && !previous.digest && !image.digest;
    const beforeVersion = follows ? (appVersions.before ?? '') : versionOf(previous);
    const afterVersion = follows ? (appVersions.after ?? '') : versionOf(image);
    if (beforeVersion === afterVersion && previous.repository === image.repository) continue;
    const pinned = releaseSets(image.tagPath);
    out.push({
      path,
      repository: image.repository === previous.repository ? image.repository : `${previous.repository} → ${image.repository}`,
      before: beforeVersion || '(none)',
      after: afterVersion || '(none)',
      ...(follows ? { followsAppVersion: true } : {}),
      ...(pinned !== undefined ? { releaseSets: pinned } : {}),
    });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
