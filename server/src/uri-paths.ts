// Maps document URIs (file: and untitled:) to the path keys of the workspace index and back, with the running OS's
// path rules (or Windows'/POSIX' when told, for tests). Must not touch the file system: it only translates names.
import { fileURLToPath, pathToFileURL } from 'node:url';

const RUNNING_ON_WINDOWS = process.platform === 'win32';

/** The index key of a URI under Windows (`c:\dir\a.yaml`, `\\server\share\…`) or POSIX rules; non-file URIs stay as they are. */
export function uriToPathFor(uri: string, windows: boolean): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri, { windows });
    } catch {
      return uri;
    }
  }
  return uri;
}

/** The index key of a URI: the file system path for file: URIs, the URI itself otherwise. */
export function uriToPath(uri: string): string {
  return uriToPathFor(uri, RUNNING_ON_WINDOWS);
}

export function isFileUri(uri: string): boolean {
  return uri.startsWith('file:');
}

/** Remembers which URI a client used for each path, so diagnostics go back under the same spelling. */
export class UriRegistry {
  private readonly uriByPath = new Map<string, string>();

  constructor(private readonly windows = RUNNING_ON_WINDOWS) {}

  remember(uri: string): string {
    const path = uriToPathFor(uri, this.windows);
    this.uriByPath.set(path, uri);
    return path;
  }

  uriOf(path: string): string {
    const known = this.uriByPath.get(path);
    if (known) return known;
    return /^[a-z][a-z0-9+.-]*:/i.test(path) && !/^[a-z]:[\\/]/i.test(path) ? path : pathToFileURL(path, { windows: this.windows }).href;
  }
}
