// The Pull and Inspect requests (issue 5): fluxOci/listTags, pullArtifact (work-done progress in bytes, cancellable),
// readArtifactFile and compareArtifacts. Thin: the core pulls, verifies, extracts, summarizes and compares.
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import { compareTrees } from '../../core/artifacts/compare';
import { renderSummaryMarkdown, summarizeArtifact } from '../../core/artifacts/inspect-summary';
import { formatBytes } from '../../core/artifacts/limits';
import type { PulledArtifact, PullProgress } from '../../core/artifacts/pull-artifact';
import { pullReference } from '../../core/artifacts/pull-reference';
import type { ManifestAndBlobClient } from '../../core/artifacts/registry-source';
import { parseOciReference } from '../../core/oci/reference';
import type { RegistryClient, RequestOptions } from '../../core/oci/registry-client';
import { artifactId, parseArtifactId } from './artifact-store';
import { renderComparison } from './compare-report';
import type { FeatureContext } from './feature-context';
import {
  CompareArtifactsRequest,
  ListTagsRequest,
  PullArtifactRequest,
  ReadArtifactFileRequest,
  ResolveDigestRequest,
  type ResolveDigestParams,
  type ResolveDigestResult,
  type CompareArtifactsParams,
  type CompareArtifactsResult,
  type ListTagsParams,
  type ListTagsResult,
  type PullArtifactParams,
  type PullArtifactResult,
  type ReadArtifactFileParams,
  type ReadArtifactFileResult,
  type WorkspaceSource,
} from '../../shared/protocol';
import { failingClearly, optionalTimeoutSeconds, requestCancelled, requestFailed, requireDocumentPosition, signalFor } from './request-errors';
import { isHelmChartSource, sourceAtPosition } from './source-lookup';
import { listSourceTags } from './source-tags';
import { workspaceSecretFor } from './workspace-credentials';

const PHASE_LABEL: Record<PullProgress['phase'], string> = {
  manifest: 'Reading the manifest',
  config: 'Reading the config',
  layer: 'Downloading',
  extract: 'Extracting',
  signatures: 'Looking for signatures',
};

function progressMessage(p: PullProgress): string {
  if (p.phase !== 'layer' && p.phase !== 'config') return `${PHASE_LABEL[p.phase]}…`;
  return p.totalBytes ? `${PHASE_LABEL[p.phase]} ${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)}` : `${PHASE_LABEL[p.phase]} ${formatBytes(p.bytes)}`;
}

function parseReference(reference: unknown) {
  if (typeof reference !== 'string' || reference.trim() === '') throw requestFailed('A reference such as oci://ghcr.io/org/chart:1.0.0 is required.');
  try {
    return parseOciReference(reference);
  } catch (error) {
    throw requestFailed(error instanceof Error ? error.message : String(error));
  }
}

function toResult(id: string, pulled: PulledArtifact, registry: string): PullArtifactResult {
  return {
    id,
    reference: pulled.reference,
    registry,
    repository: pulled.repository,
    digest: pulled.digest,
    kind: pulled.kind,
    extracted: pulled.extracted,
    files: pulled.files.map((f) => ({ path: f.path, size: f.size })),
    summaryMarkdown: renderSummaryMarkdown(summarizeArtifact(pulled)),
    ...(pulled.chart ? { chart: { name: pulled.chart.name, version: pulled.chart.version, ...(pulled.chart.appVersion ? { appVersion: pulled.chart.appVersion } : {}) } } : {}),
    ...(pulled.layer.warning ? { layerWarning: pulled.layer.warning } : {}),
  };
}

/** Pulls through the shared client into the server's artifact cache and remembers the result under its id. */
async function pull(context: FeatureContext, connection: Connection, params: PullArtifactParams, token: CancellationToken | undefined): Promise<PullArtifactResult> {
  const parsed = parseReference(params?.reference);
  const timeoutSeconds = optionalTimeoutSeconds(params?.timeoutSeconds);
  const access = await context.registry.access();
  const settings = access.settings;
  const signal = signalFor(token);
  const display = `oci://${parsed.registry}/${parsed.repository}${parsed.digest ? `@${parsed.digest}` : `:${parsed.tag ?? 'latest'}`}`;
  const progress = connection.window.attachWorkDoneProgress(params.workDoneToken);
  progress.begin(`Pulling ${display}`, undefined, 'Reading the manifest…', true);
  let lastReport = 0;
  try {
    // The workspace Secret (when allowed) travels on each request; the client wraps the registry client's own chain.
    const secret = workspaceSecretFor(context.state.index, parsed.registry, parsed.repository, context.registry.isTrusted() && settings.registry.useWorkspaceSecrets);
    const deadline = timeoutSeconds === undefined ? {} : { deadlineMs: blobDeadlineMs(timeoutSeconds), deadlineLabel: 'spec.timeout' };
    const client = secret.secret || secret.network || deadline.deadlineMs ? withRequestExtras(access.client, { ...secret, ...deadline }) : access.client;
    const result = await context.activity.track(`Pulling ${display}`, () =>
      pullReference(display, {
        client,
        cache: access.artifactCacheDir,
        insecure: params.insecure === true,
        ...(params.layerMediaType ? { layerMediaType: params.layerMediaType } : {}),
        limits: { maxBytes: settings.pull.maxBytes, maxFiles: settings.pull.maxFiles },
        extractImageLayers: params.extractImageLayers === true,
        checkSignatures: params.checkSignatures === true,
        signal,
        onProgress: (p) => {
          const now = Date.now();
          if (p.phase === 'layer' && p.bytes !== p.totalBytes && now - lastReport < 100) return;
          lastReport = now;
          if (p.totalBytes) progress.report(Math.min(100, Math.round((p.bytes / p.totalBytes) * 100)), progressMessage(p));
          else progress.report(progressMessage(p));
        },
      }),
    );
    if (!result.ok) {
      if (result.problem.code === 'cancelled' || signal.aborted) throw requestCancelled();
      context.activity.reportFailure(result.problem.message);
      throw requestFailed(result.problem.message);
    }
    const id = artifactId(parsed.registry, parsed.repository, result.value.digest);
    context.artifacts.remember(id, result.value);
    return toResult(id, result.value, parsed.registry);
  } finally {
    progress.done();
  }
}

/** Node fires a timer longer than this at once, so a longer OCIRepository timeout is held to it (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The blob deadline for a validated timeout in seconds: at least 1 ms, at most what a Node timer can wait. */
function blobDeadlineMs(timeoutSeconds: number): number {
  return Math.min(MAX_TIMER_MS, Math.max(1, Math.round(timeoutSeconds * 1000)));
}

/**
 * A client view that adds the workspace Secret to every request and the OCIRepository's timeout to every blob download
 * (the pull engine knows nothing of Secrets or spec.timeout).
 */
function withRequestExtras(client: RegistryClient, extras: Pick<RequestOptions, 'secret' | 'secretLabel' | 'network'> & { deadlineMs?: number; deadlineLabel?: string }): ManifestAndBlobClient {
  const { deadlineMs, deadlineLabel, ...secret } = extras;
  const deadline = deadlineMs ? { deadlineMs, ...(deadlineLabel ? { deadlineLabel } : {}) } : {};
  return {
    getManifest: (repo, reference, options) => client.getManifest(repo, reference, { ...options, ...secret }),
    fetchBlob: (repo, digest, options) => client.fetchBlob(repo, digest, { ...options, ...secret, ...deadline }),
    downloadBlob: (repo, digest, sink, options) => client.downloadBlob(repo, digest, sink, { ...options, ...secret, ...deadline }),
    listReferrers: (repo, digest, options) => client.listReferrers(repo, digest, { ...options, ...secret }),
  };
}

/** The remembered artifact for an id, pulling it again by digest (from the disk cache) after a server restart. */
async function artifactFor(context: FeatureContext, connection: Connection, id: unknown, token?: CancellationToken): Promise<PulledArtifact> {
  if (typeof id !== 'string') throw requestFailed('An artifact id is required.');
  const known = context.artifacts.get(id);
  if (known) return known;
  const parts = parseArtifactId(id);
  if (!parts) throw requestFailed(`"${id}" is not an artifact id of the form registry/repository@sha256:….`);
  await pull(context, connection, { reference: `oci://${id}` }, token);
  const pulled = context.artifacts.get(id);
  if (!pulled) throw requestFailed(`The artifact ${id} could not be pulled again.`);
  return pulled;
}

function sameRepository(reference: string, registry: string, repository: string): boolean {
  try {
    const other = parseOciReference(reference);
    return other.registry === registry && other.repository === repository;
  } catch {
    return false;
  }
}

export function registerPullInspect(connection: Connection, context: FeatureContext): void {
  connection.onRequest(
    ListTagsRequest,
    failingClearly('List tags', context.log, async (params: ListTagsParams, token): Promise<ListTagsResult> => {
      const parsed = parseReference(params?.reference);
      const access = await context.registry.access();
      const repositoryUrl = `oci://${parsed.registry}/${parsed.repository}`;
      let source: WorkspaceSource | undefined;
      if (params.uri !== undefined || params.position !== undefined) {
        const { uri, position } = requireDocumentPosition(params);
        const path = context.uris.remember(uri);
        context.publisher.flushBuffer(uri);
        const found = sourceAtPosition(context.state.index, context.uris, path, position);
        if (found?.reference && sameRepository(found.reference, parsed.registry, parsed.repository)) source = found;
      }
      const progress = connection.window.attachWorkDoneProgress(params.workDoneToken);
      progress.begin(`Listing tags of ${repositoryUrl}`, undefined, undefined, true);
      try {
        const secret = workspaceSecretFor(context.state.index, parsed.registry, parsed.repository, context.registry.isTrusted() && access.settings.registry.useWorkspaceSecrets);
        const tags = await context.activity.track(`Listing tags of ${parsed.registry}/${parsed.repository}`, () =>
          listSourceTags(access.client, {
            reference: repositoryUrl,
            ...(source ? { ref: source.ref } : {}),
            helmChart: source ? isHelmChartSource(source) : false,
            insecure: source?.insecure,
            refresh: params.refresh === true,
            request: { signal: signalFor(token), ...secret },
          }),
        );
        return { reference: tags.reference, tags: tags.tags, source: tags.source, fetchedAt: tags.fetchedAt, ...(tags.resolvedTag ? { resolvedTag: tags.resolvedTag } : {}) };
      } finally {
        progress.done();
      }
    }),
  );

  connection.onRequest(
    PullArtifactRequest,
    failingClearly('Pull', context.log, (params: PullArtifactParams, token) => pull(context, connection, params, token)),
  );

  connection.onRequest(
    ReadArtifactFileRequest,
    failingClearly('Read artifact file', context.log, async (params: ReadArtifactFileParams, token): Promise<ReadArtifactFileResult> => {
      const artifact = await artifactFor(context, connection, params?.id, token);
      if (typeof params.path !== 'string') throw requestFailed('A file path is required.');
      const outcome = await context.artifacts.readFile(artifact, params.path);
      if (!outcome.ok) throw requestFailed(outcome.message);
      return outcome.value;
    }),
  );

  connection.onRequest(
    ResolveDigestRequest,
    failingClearly('Resolve digest', context.log, async (params: ResolveDigestParams, token): Promise<ResolveDigestResult> => {
      const parsed = parseReference(params?.reference);
      const base = `oci://${parsed.registry}/${parsed.repository}`;
      if (parsed.digest) return { reference: `${base}${parsed.tag ? `:${parsed.tag}` : ''}@${parsed.digest}`, digest: parsed.digest };
      const access = await context.registry.access();
      const tag = parsed.tag ?? 'latest';
      const repo = { registry: parsed.registry, repository: parsed.repository, ...(params.insecure ? { insecure: true } : {}) };
      const secret = workspaceSecretFor(context.state.index, parsed.registry, parsed.repository, context.registry.isTrusted() && access.settings.registry.useWorkspaceSecrets);
      const manifest = await context.activity.track(`Resolving ${parsed.registry}/${parsed.repository}:${tag}`, () => access.client.getManifest(repo, tag, { signal: signalFor(token), ...secret }));
      return { reference: `${base}:${tag}@${manifest.digest}`, digest: manifest.digest };
    }),
  );

  connection.onRequest(
    CompareArtifactsRequest,
    failingClearly('Compare artifacts', context.log, async (params: CompareArtifactsParams, token): Promise<CompareArtifactsResult> => {
      const left = await artifactFor(context, connection, params?.leftId, token);
      const right = await artifactFor(context, connection, params?.rightId, token);
      if (!left.root || !right.root) throw requestFailed('Only extracted artifacts can be compared (container image layers are only listed).');
      const comparison = await compareTrees({ root: left.root, files: left.files }, { root: right.root, files: right.files });
      return { ...comparison, markdown: renderComparison(left.reference, right.reference, comparison) };
    }),
  );
}
