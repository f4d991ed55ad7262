// What every LSP feature handler gets: the workspace state, URI mapping, the publisher and a logger,
// plus `guarded`, which turns a throwing handler into a logged failure and an empty answer.
import type { ArtifactStore } from './artifact-store';
import type { DiagnosticsPublisher } from './diagnostics';
import type { LiveContext } from './live-context';
import type { RegistryActivity } from './registry-activity';
import type { RegistryContext } from './registry-context';
import type { SettingsReader } from './settings';
import type { UriRegistry } from './uri-paths';
import type { Logger, WorkspaceState } from './workspace-state';

export interface FeatureContext {
  state: WorkspaceState;
  uris: UriRegistry;
  publisher: DiagnosticsPublisher;
  log: Logger;
  settings: SettingsReader;
  /** The one registry client and the trust/offline gate in front of it. */
  registry: RegistryContext;
  /** Registry calls in flight, for the client's status bar. */
  activity: RegistryActivity;
  /** Artifacts pulled for inspection. */
  artifacts: ArtifactStore;
  /** The core's live (registry-backed) service. */
  live: LiveContext;
}

/** Runs registry-backed work, shown in the client's status bar when it may touch the network. */
export function trackLive<T>(context: FeatureContext, label: string, work: () => Promise<T>): Promise<T> {
  return context.registry.isTrusted() ? context.activity.track(label, work) : work();
}

/** Wraps a handler so bad input never crashes the server: failures are logged and `empty` is returned (also on cancellation). */
export function guarded<P, R, A extends unknown[] = []>(name: string, log: Logger, empty: R, handler: (params: P, ...rest: A) => R | Promise<R>): (params: P, ...rest: A) => Promise<R> {
  return async (params: P, ...rest: A) => {
    try {
      return await handler(params, ...rest);
    } catch (error) {
      const cancelled = error instanceof Error && (error.name === 'AbortError' || /cancell?ed/i.test(error.message));
      if (!cancelled) log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return empty;
    }
  };
}

/** Index path of an open document, with any pending edit indexed first so answers match the buffer. */
export function freshPath(context: FeatureContext, uri: string): string {
  context.publisher.flushBuffer(uri);
  return context.uris.remember(uri);
}
