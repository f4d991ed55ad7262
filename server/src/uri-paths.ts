// Maps document URIs (file: and untitled:) to the path keys of the workspace index and back.
// Must not touch the file system: it only translates names, remembering the exact URI spelling a client used.
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The index key of a URI: the file system path for file: URIs, the URI itself otherwise. */
export function uriToPath(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return uri;
    }
  }
  return uri;
}

export function isFileUri(uri: string): boolean {
  return uri.startsWith('file:');
}

/** Remembers which URI a client used for each path, so diagnostics go back under the same spelling. */
export class UriRegistry {
  private readonly uriByPath = new Map<string, string>();

  remember(uri: string): string {
    const path = uriToPath(uri);
    this.uriByPath.set(path, uri);
    return path;
  }

  uriOf(path: string): string {
    const known = this.uriByPath.get(path);
    if (known) return known;
    return /^[a-z][a-z0-9+.-]*:/i.test(path) && !/^[a-z]:[\\/]/i.test(path) ? path : pathToFileURL(path).href;
  }
}
