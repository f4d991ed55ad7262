// Pulls one chart version (by tag or digest) for an upgrade report: digest-verified into the content cache, extracted,
// values.yaml and values.schema.json read; loads are shared per repository and version for a while. No rendering.
import { ContentCache } from '../artifacts/content-cache';
import { pullArtifact } from '../artifacts/pull-artifact';
import type { RegistryClient, RequestOptions } from '../oci/registry-client';
import type { RepositoryRef } from '../oci/reference';
import { cancelledError } from './bounded';
import { credentialedSource, readChartValues, type ChartDeadline } from './chart-values';
import type { LoadedChart } from './upgrade-report';

export type ChartLoad = { ok: true; chart: LoadedChart } | { ok: false; message: string };

export interface ChartVersionRequest {
  client: RegistryClient;
  repository: RepositoryRef;
  /** Credentials (and signal) sent with every request. */
  request: RequestOptions;
  /** Tag or `sha256:…` digest. */
  reference: string;
  cacheDir: string;
  /** Per blob: the user's registry timeout or a shorter spec.timeout (see chartDownloadDeadline). */
  deadline?: ChartDeadline;
}

/** Pulls a chart version and reads what an upgrade report needs from it. Never throws except on cancellation. */
export async function loadChartVersion(input: ChartVersionRequest): Promise<ChartLoad> {
  const pulled = await pullArtifact({
    source: credentialedSource(input.client, input.repository, input.request, input.deadline),
    cache: new ContentCache(input.cacheDir),
    repository: input.repository.repository,
    reference: input.reference,
    signal: input.request.signal,
  });
  if (!pulled.ok) {
    if (pulled.problem.code === 'cancelled') throw cancelledError();
    return { ok: false, message: `${input.repository.registry}/${input.repository.repository}:${input.reference}: ${pulled.problem.message}` };
  }
  const artifact = pulled.value;
  const digest = artifact.indexDigest ?? artifact.digest;
  const values = await readChartValues(artifact, digest);
  if (!values.ok || !artifact.root) return { ok: false, message: `${input.reference} is not a Helm chart.` };
  const chart = artifact.chart;
  return {
    ok: true,
    chart: {
      side: { tag: input.reference, digest, ...(chart ? { chartVersion: chart.version } : {}), ...(chart?.appVersion ? { appVersion: chart.appVersion } : {}) },
      ...(chart ? { chartName: chart.name } : {}),
      extracted: { root: artifact.root, files: artifact.files, ...(chart ? { chart } : {}) },
      ...(values.chart.values ? { values: values.chart.values } : {}),
      ...(values.chart.schema !== undefined ? { schema: values.chart.schema } : {}),
    },
  };
}

/** Shares chart-version loads per repository, version and credentials for `ttlMs`; failures are not kept. */
export class ChartVersionLoader {
  private readonly loads = new Map<string, { at: number; pending: Promise<ChartLoad> }>();

  constructor(
    private readonly ttlMs: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  load(key: string, input: ChartVersionRequest): Promise<ChartLoad> {
    const id = `${key}@${input.reference}`;
    const hit = this.loads.get(id);
    if (hit && this.now() - hit.at < this.ttlMs()) return hit.pending;
    const pending = loadChartVersion(input);
    this.loads.set(id, { at: this.now(), pending });
    const forget = () => {
      if (this.loads.get(id)?.pending === pending) this.loads.delete(id);
    };
    pending.then((r) => (r.ok ? undefined : forget()), forget);
    return pending;
  }

  clear(): void {
    this.loads.clear();
  }
}
