// What every LSP feature handler gets: the workspace state, URI mapping, the publisher and a logger,
// plus `guarded`, which turns a throwing handler into a logged failure and an empty answer.
import type { DiagnosticsPublisher } from './diagnostics';
import type { UriRegistry } from './uri-paths';
import type { Logger, WorkspaceState } from './workspace-state';

export interface FeatureContext {
  state: WorkspaceState;
  uris: UriRegistry;
  publisher: DiagnosticsPublisher;
  log: Logger;
}

/** Wraps a handler so bad input never crashes the server: failures are logged and `empty` is returned. */
export function guarded<P, R>(name: string, log: Logger, empty: R, handler: (params: P) => R | Promise<R>): (params: P) => Promise<R> {
  return async (params: P) => {
    try {
      return await handler(params);
    } catch (error) {
      log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return empty;
    }
  };
}

/** Index path of an open document, with any pending edit indexed first so answers match the buffer. */
export function freshPath(context: FeatureContext, uri: string): string {
  context.publisher.flushBuffer(uri);
  return context.uris.remember(uri);
}
