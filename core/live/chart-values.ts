// Pulls a resolved chart's content layer (cached per digest) and answers questions about its values.yaml
// (keys at a path, defaults, the comments above them) and values.schema.json. No LSP types, no rendering.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { ArtifactSource, FetchedManifest } from '../artifacts/artifact-source';
import { ContentCache } from '../artifacts/content-cache';
import { pullArtifact, type PulledArtifact } from '../artifacts/pull-artifact';
import type { RegistryClient, RequestOptions } from '../oci/registry-client';
import type { RepositoryRef } from '../oci/reference';
import { exceedsNestingDepth } from '../manifests/nesting-depth';

export interface ChartValues {
  digest: string;
  chartName?: string;
  /** Parsed values.yaml (comments kept), when the chart has one. */
  values?: Document.Parsed;
  /** Parsed values.schema.json, when the chart has one and it is JSON. */
  schema?: unknown;
}

export interface ValueKeyInfo {
  key: string;
  /** The default as YAML text (one line for scalars, a short block for maps and lists). */
  defaultText: string;
  kind: 'map' | 'list' | 'scalar';
  /** The comment lines written above the key in values.yaml, without `#`. */
  comment?: string;
}

/** How long each blob of a chart pull may take, and what set that limit (for the timeout message). */
export interface ChartDeadline {
  deadlineMs: number;
  deadlineLabel: string;
}

/**
 * A chart for a hover or a diagnostic must come within the user's registry timeout (seconds, not a pull's minutes);
 * a shorter spec.timeout (what Flux bounds the pull by) wins.
 */
export function chartDownloadDeadline(specTimeoutMs: number | undefined, userTimeoutMs: number): ChartDeadline {
  return specTimeoutMs !== undefined && specTimeoutMs < userTimeoutMs
    ? { deadlineMs: specTimeoutMs, deadlineLabel: 'spec.timeout' }
    : { deadlineMs: userTimeoutMs, deadlineLabel: 'the registry timeout' };
}

/** An ArtifactSource over RegistryClient that also sends the source's pull credentials. */
export function credentialedSource(client: RegistryClient, repository: RepositoryRef, request: RequestOptions, deadline: ChartDeadline | undefined): ArtifactSource {
  return {
    async getManifest(_repo, reference, options = {}): Promise<FetchedManifest> {
      return client.getManifest(repository, reference, { ...request, signal: options.signal ?? request.signal });
    },
    async fetchBlob(_repo, digest, options = {}) {
      return (await client.fetchBlob(repository, digest, {
        ...request,
        signal: options.signal ?? request.signal,
        maxBytes: options.maxBytes,
        onProgress: options.onProgress,
        ...(deadline ?? {}),
      })) as AsyncIterable<Uint8Array>;
    },
  };
}

/**
 * Pulls the chart by digest into `cacheDir` (a no-op when already extracted) and reads values.yaml and values.schema.json.
 * `deadline` bounds each blob download (the user's registry timeout, or a shorter spec.timeout); else the client's default.
 */
export async function loadChartValues(
  client: RegistryClient,
  repository: RepositoryRef,
  request: RequestOptions,
  digest: string,
  cacheDir: string,
  deadline?: ChartDeadline,
): Promise<{ ok: true; chart: ChartValues } | { ok: false; message: string }> {
  const pulled = await pullArtifact({
    source: credentialedSource(client, repository, request, deadline),
    cache: new ContentCache(cacheDir),
    repository: repository.repository,
    reference: digest,
    signal: request.signal,
  });
  if (!pulled.ok) return { ok: false, message: pulled.problem.message };
  return readChartValues(pulled.value, digest);
}

/** values.yaml and values.schema.json of a pulled, extracted chart. */
export async function readChartValues(artifact: PulledArtifact, digest: string): Promise<{ ok: true; chart: ChartValues } | { ok: false; message: string }> {
  if (artifact.kind !== 'helm-chart' || !artifact.root) return { ok: false, message: 'The artifact is not a Helm chart.' };
  const paths = artifact.files.map((f) => f.path);
  const valuesPath = paths.find((p) => /^[^/]+\/values\.yaml$/.test(p)) ?? paths.find((p) => p === 'values.yaml');
  const schemaPath = paths.find((p) => /^[^/]+\/values\.schema\.json$/.test(p)) ?? paths.find((p) => p === 'values.schema.json');
  const chart: ChartValues = { digest, ...(artifact.chart ? { chartName: artifact.chart.name } : {}) };
  if (valuesPath) {
    const text = await readFile(join(artifact.root, valuesPath), 'utf8');
    // A published chart's values.yaml nested too deeply for the recursive parser gives no values hints.
    if (!exceedsNestingDepth(text)) chart.values = parseDocument(text, { uniqueKeys: false });
  }
  if (schemaPath) {
    try {
      chart.schema = JSON.parse(await readFile(join(artifact.root, schemaPath), 'utf8')) as unknown;
    } catch {
      /* a broken schema gives no schema diagnostics */
    }
  }
  return { ok: true, chart };
}

function keyOf(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

/** The values.yaml mapping at a key path (`[]` steps into the first list item), if there is one. */
export function mapAtPath(values: Document.Parsed | undefined, path: readonly string[]): YAMLMap | undefined {
  let node: unknown = values?.contents;
  for (const step of path) {
    if (step === '[]') node = isSeq(node) ? node.items[0] : undefined;
    else node = isMap(node) ? (node.items as Pair[]).find((p) => keyOf(p) === step)?.value : undefined;
    if (node === undefined) return undefined;
  }
  return isMap(node) ? node : undefined;
}

function commentOf(pair: Pair, index: number, map: YAMLMap): string | undefined {
  const keyNode = pair.key as Node & { commentBefore?: string | null };
  let text = keyNode?.commentBefore ?? undefined;
  if (!text && index === 0) text = map.commentBefore ?? undefined;
  if (!text) return undefined;
  return (
    text
      .split('\n')
      .map((l) => l.replace(/^ ?/, ''))
      .join('\n')
      .trim() || undefined
  );
}

function defaultText(value: unknown): string {
  if (isScalar(value)) return value.value === null ? 'null' : JSON.stringify(value.value);
  const text = String(value ?? 'null').trimEnd();
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

function infoOf(pair: Pair, index: number, map: YAMLMap): ValueKeyInfo | undefined {
  const key = keyOf(pair);
  if (key === undefined) return undefined;
  const kind = isMap(pair.value) ? 'map' : isSeq(pair.value) ? 'list' : 'scalar';
  const comment = commentOf(pair, index, map);
  return { key, kind, defaultText: defaultText(pair.value), ...(comment ? { comment } : {}) };
}

/** The keys values.yaml declares at a path, with defaults and comments. */
export function keysAt(values: Document.Parsed | undefined, path: readonly string[]): ValueKeyInfo[] {
  const map = mapAtPath(values, path);
  if (!map) return [];
  return (map.items as Pair[]).map((p, i) => infoOf(p, i, map)).filter((x): x is ValueKeyInfo => x !== undefined);
}

/** One key's default and comment, by its full path. */
export function keyInfo(values: Document.Parsed | undefined, path: readonly string[]): ValueKeyInfo | undefined {
  if (path.length === 0) return undefined;
  const last = path[path.length - 1]!;
  return keysAt(values, path.slice(0, -1)).find((k) => k.key === last);
}
