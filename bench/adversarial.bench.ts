// Benchmark: how the registry transport ends hostile registries (test/support/hostile-registry.ts): a blob trickled one
// byte at a time, and a tag listing that pages forever with 20,000-tag pages. Reports time to the refusal and peak RSS growth.
import { readFileSync, writeFileSync } from 'node:fs';
import { RegistryClient } from '../core/oci/registry-client';
import { isRegistryError } from '../core/oci/errors';
import { startHostileRegistry } from '../test/support/hostile-registry';

function statusKiB(field: 'VmHWM' | 'VmRSS'): number {
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN);
}

/** Runs `work`, expecting a RegistryError; returns the time, VmHWM growth over the RSS before, and the message. */
async function measure(work: () => Promise<unknown>): Promise<{ ms: number; growthMiB: number; code: string; message: string }> {
  (globalThis as { gc?: () => void }).gc?.();
  try {
    writeFileSync('/proc/self/clear_refs', '5'); // VmHWM := current RSS (Linux)
  } catch {
    /* growth is then measured from the process's earlier peak */
  }
  const before = statusKiB('VmRSS');
  const started = performance.now();
  let code = 'none';
  let message = 'finished without an error';
  try {
    await work();
  } catch (error) {
    code = isRegistryError(error) ? error.code : 'other';
    message = error instanceof Error ? error.message : String(error);
  }
  return { ms: performance.now() - started, growthMiB: (statusKiB('VmHWM') - before) / 1024, code, message };
}

async function main(): Promise<void> {
  const hostile = await startHostileRegistry({ pageSize: 20_000, blob: Buffer.alloc(256 * 1024, 3), trickleBytes: 1, trickleEveryMs: 100 });
  const rows: string[] = [];
  const row = (name: string, r: Awaited<ReturnType<typeof measure>>) =>
    rows.push(`| ${name} | ${(r.ms / 1000).toFixed(1)} s | ${r.growthMiB.toFixed(1)} MiB | \`${r.code}\`: ${r.message.replace(/\|/g, '\\|')} |`);
  try {
    const client = new RegistryClient();
    const blob = { registry: hostile.host, repository: 'trickle/chart' };
    // Warm-up: a process's first request pays once for undici's WebAssembly parser (~36 MiB, see the pull bench).
    await client.listTags({ registry: hostile.host, repository: 'missing/app' }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    row(
      'trickling blob (1 byte / 100 ms), hover/diagnostics deadline = registry timeout 15 s',
      await measure(() => client.fetchBlobBuffer(blob, hostile.blobDigest, { deadlineMs: 15_000, deadlineLabel: 'the registry timeout' })),
    );
    row('trickling blob, explicit pull (10 min deadline): the minimum rate ends it', await measure(() => client.fetchBlobBuffer(blob, hostile.blobDigest)));
    const pagesBefore = hostile.pagesServed;
    row('endless paging, 20,000 tags per page', await measure(() => client.listTags({ registry: hostile.host, repository: 'endless/app' })));
    const pages = hostile.pagesServed - pagesBefore;
    await client.close();
    console.log('| Hostile case | Time to refusal | Peak RSS growth | Outcome |');
    console.log('|---|---:|---:|---|');
    for (const r of rows) console.log(r);
    console.log(`\nEndless paging: ${pages} pages were fetched before the cap. Limits: blob deadline (user timeout for live answers, spec.timeout or 10 min for pulls),`);
    console.log('minimum rate 1 KiB/s over 20 s; tag listings ≤ 250,000 tags, ≤ 32 MiB of pages, ≤ 2,000 pages, ≤ 16 MiB per page.');
  } finally {
    await hostile.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
