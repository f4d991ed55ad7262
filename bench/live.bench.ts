// Benchmark: live engine latency on a local registry — hover on a cached repository (median/p95 of 200, target < 10 ms)
// and time to first live diagnostics for 200 manifests over 20 repositories, with the registry request count.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineMap } from '../core/text-range';
import { RegistryClient } from '../core/oci/registry-client';
import { WorkspaceIndex } from '../core/workspace/workspace-index';
import { LiveService } from '../core/live/live-service';
import { startRegistry } from '../test/support/registry';
import { pushFluxArtifact } from '../test/support/registry-push';

const REPOSITORIES = 20;
const MANIFESTS = 200;
const HOVERS = 200;

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

function manifest(i: number, host: string): string {
  const repo = `apps/app-${i % REPOSITORIES}`;
  const ref = i % 2 === 0 ? `  ref:\n    semver: ">=1.0.0 <2.0.0"\n` : `  ref:\n    tag: 1.${i % 3}.0\n`;
  return `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: app-${i}\n  namespace: flux-system\nspec:\n  interval: 5m\n  url: oci://${host}/${repo}\n${ref}`;
}

async function main(): Promise<void> {
  const registry = await startRegistry();
  const dir = mkdtempSync(join(tmpdir(), 'flux-oci-live-bench-'));
  try {
    for (let r = 0; r < REPOSITORIES; r++) {
      for (const tag of ['1.0.0', '1.1.0', '1.2.0', '2.0.0']) await pushFluxArtifact(registry, `apps/app-${r}`, { tag });
    }
    const index = new WorkspaceIndex();
    for (let i = 0; i < MANIFESTS; i++) index.setFile(`/bench/app-${i}.yaml`, manifest(i, registry.host));
    const client = new RegistryClient({ diskCacheDir: join(dir, 'disk') });
    const service = new LiveService(index, client, { chartCacheDir: join(dir, 'charts') });

    const started = performance.now();
    const diagnostics = await service.diagnosticsFor();
    const firstDiagnosticsMs = performance.now() - started;
    const count = [...diagnostics.values()].reduce((n, ds) => n + ds.length, 0);
    const requests = client.stats().requests;

    const text = index.textOf('/bench/app-0.yaml')!;
    const at = new LineMap(text).positionAt(text.indexOf('>=1.0.0') + 2);
    const samples: number[] = [];
    const firstHoverStart = performance.now();
    await service.hoverAt('/bench/app-0.yaml', at);
    const firstHoverMs = performance.now() - firstHoverStart;
    for (let i = 0; i < HOVERS; i++) {
      const t = performance.now();
      const hover = await service.hoverAt('/bench/app-0.yaml', at);
      samples.push(performance.now() - t);
      if (!hover?.markdown.includes('1.2.0')) throw new Error('hover did not resolve 1.2.0');
    }
    await client.close();

    console.log('| measurement | value |');
    console.log('|---|---|');
    console.log(`| hover on a cached repository, median (${HOVERS} hovers) | ${percentile(samples, 0.5).toFixed(2)} ms |`);
    console.log(`| hover on a cached repository, p95 | ${percentile(samples, 0.95).toFixed(2)} ms (target < 10 ms) |`);
    console.log(`| first hover after the diagnostics (not in the percentiles) | ${firstHoverMs.toFixed(2)} ms |`);
    console.log(`| first live diagnostics, ${MANIFESTS} manifests / ${REPOSITORIES} repositories | ${firstDiagnosticsMs.toFixed(0)} ms |`);
    console.log(`| registry requests for those diagnostics | ${requests} |`);
    console.log(`| live diagnostics produced | ${count} |`);
  } finally {
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
