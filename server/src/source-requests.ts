// The workspace-source requests: fluxOci/artifactAtPosition (the source under a cursor) and fluxOci/workspaceSources
// (every OCIRepository, optionally with the tag Flux would pull), plus the change notice the tree view refreshes on.
import type { Connection } from 'vscode-languageserver/node';
import { mapBoundedSettled } from './bounded-map';
import type { FeatureContext } from './feature-context';
import {
  ArtifactAtPositionRequest,
  WorkspaceChangedNotification,
  WorkspaceSourcesRequest,
  type ArtifactAtPositionParams,
  type ArtifactAtPositionResult,
  type WorkspaceSourcesParams,
  type WorkspaceSourcesResult,
} from '../../shared/protocol';
import { failingClearly, requireDocumentPosition, signalFor } from './request-errors';
import { isHelmChartSource, sourceAtPosition, workspaceSources } from './source-lookup';
import { listSourceTags } from './source-tags';
import { workspaceSecretFor } from './workspace-credentials';
import { parseOciReference } from '../../core/oci/reference';
import { imageObjects } from '../../core/workspace/image-automation-scope';

const RESOLVE_CONCURRENCY = 4;

export function registerSourceRequests(connection: Connection, context: FeatureContext): void {
  connection.onRequest(
    ArtifactAtPositionRequest,
    failingClearly('Artifact at position', context.log, async (params: ArtifactAtPositionParams): Promise<ArtifactAtPositionResult> => {
      const { uri, position } = requireDocumentPosition(params);
      context.publisher.flushBuffer(uri);
      const path = context.uris.remember(uri);
      return sourceAtPosition(context.state.index, context.uris, path, position) ?? null;
    }),
  );

  connection.onRequest(
    WorkspaceSourcesRequest,
    failingClearly('Workspace sources', context.log, async (params: WorkspaceSourcesParams | undefined, token): Promise<WorkspaceSourcesResult> => {
      const sources = workspaceSources(context.state.index, context.uris);
      if (params?.resolve !== true) return sources;
      const blocked = context.registry.blockedReason();
      if (blocked) return sources.map((s) => (s.problem ? s : { ...s, problem: blocked }));
      const access = await context.registry.access();
      const signal = signalFor(token);
      const useSecrets = context.registry.isTrusted() && access.settings.registry.useWorkspaceSecrets;
      await mapBoundedSettled(sources, RESOLVE_CONCURRENCY, signal, async (source) => {
        if (!source.reference || source.ref.digest) return;
        try {
          const parsed = parseOciReference(source.reference);
          const secret = workspaceSecretFor(context.state.index, parsed.registry, parsed.repository, useSecrets);
          const tags = await context.activity.track(`Resolving ${source.namespace}/${source.name}`, () =>
            listSourceTags(access.client, { reference: source.reference!, ref: source.ref, helmChart: isHelmChartSource(source), insecure: source.insecure, request: { signal, ...secret } }),
          );
          if (tags.resolvedTag) source.resolvedTag = tags.resolvedTag;
          else if (tags.resolutionProblem) source.problem = tags.resolutionProblem;
        } catch (error) {
          source.problem = error instanceof Error ? error.message : String(error);
        }
      });
      return sources;
    }),
  );
}

/** Tells the client when the workspace's OCI sources change (debounced), so its tree view can refresh. */
export class WorkspaceChangeNotifier {
  private timer: NodeJS.Timeout | undefined;
  private lastKey = '';

  constructor(
    private readonly connection: Connection,
    private readonly context: FeatureContext,
    private readonly delayMs = 300,
  ) {}

  check(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sendIfChanged(false);
    }, this.delayMs);
  }

  /** Sends the notice now; `force` sends it even when nothing changed (after a refresh). */
  sendIfChanged(force: boolean): void {
    let key = '';
    try {
      const policies = imageObjects(this.context.state.index, 'ImagePolicy').map((p) => [p.path, p.object.namespace, p.object.name, p.object.range.start.line]);
      key = JSON.stringify([workspaceSources(this.context.state.index, this.context.uris).map((s) => [s.uri, s.namespace, s.name, s.reference, s.ref, s.range.start.line]), policies]);
    } catch (error) {
      this.context.log(`Listing workspace sources failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!force && key === this.lastKey) return;
    this.lastKey = key;
    void this.connection.sendNotification(WorkspaceChangedNotification, {}).catch(() => undefined);
  }
}
