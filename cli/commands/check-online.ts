// `flux-oci check --online`: the same live (registry-backed) diagnostics the editor shows, added to the
// offline report, plus `resolved: { tag, digest }` on every OCIRepository that resolves. No output here.
import { join } from 'node:path';
import type { FluxDiagnostic } from '../../core/diagnostic';
import { defaultCacheDir } from '../../core/artifacts/pull-reference';
import { LiveService } from '../../core/live/live-service';
import { declaredProviders } from '../../core/live/declared-providers';
import { cliCredentials } from '../registry-credentials';
import type { ClientNetwork } from '../../core/oci/network-options';
import { proxyRulesFromEnvironment } from '../../core/oci/proxy-rules';
import { RegistryClient } from '../../core/oci/registry-client';
import type { WorkspaceIndex } from '../../core/workspace/workspace-index';
import type { CheckReport } from '../format/check-report';

export interface OnlineOptions {
  timeoutMs: number;
  insecureHosts?: string[];
  cacheDir?: string;
  /** Hints about newer versions outside a range (on by default, as in the editor). */
  newerVersionHints: boolean;
}

/** Adds live diagnostics and resolutions to `report`, whose files were all set in `index` under `absolutePaths`. */
export async function addOnlineResults(report: CheckReport, index: WorkspaceIndex, absolutePaths: string[], options: OnlineOptions, log: (line: string) => void): Promise<void> {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  // The environment's proxy rules, for registry requests and cloud sign-in alike.
  const network: ClientNetwork = { proxyRules: proxyRulesFromEnvironment() };
  const client = new RegistryClient({
    ...network,
    timeoutMs: options.timeoutMs,
    insecureHosts: options.insecureHosts,
    diskCacheDir: join(cacheDir, 'registry'),
    credentials: cliCredentials({ log, providerFor: declaredProviders(index), network }),
    log,
  });
  const live = new LiveService(index, client, {
    trusted: true,
    useWorkspaceSecrets: true,
    newerVersionHints: options.newerVersionHints,
    chartCacheDir: join(cacheDir, 'charts'),
  });
  try {
    const byPath = await live.diagnosticsFor(absolutePaths);
    const repositories = index.ociRepositories();
    for (let i = 0; i < report.files.length; i++) {
      const file = report.files[i];
      const absolute = absolutePaths[i];
      const extra: FluxDiagnostic[] = byPath.get(absolute) ?? [];
      file.diagnostics = [...file.diagnostics, ...extra].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
      for (const { path, model } of repositories) {
        if (path !== absolute) continue;
        const resolution = await live.resolveRepository(path, model);
        const object = file.objects.find((o) => o.documentIndex === model.object.documentIndex);
        if (!object || !resolution?.artifact) continue;
        object.resolved = { tag: resolution.tag ?? null, digest: resolution.artifact.digest };
      }
    }
  } finally {
    await client.close();
  }
}
