// Child-process client for the TLS tests (trusting only the system store plus NODE_EXTRA_CA_CERTS). `URL`: one boundedGet
// with a sink that pauses now and then; `URL cache DIGEST SIZE`: RegistryClient.downloadBlob into a ContentCache over https.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContentCache } from '../../core/artifacts/content-cache';
import { boundedGet } from '../../core/oci/bounded-get';
import { RegistryClient } from '../../core/oci/registry-client';

/** One JSON line: {status, bytes, sha256, writesWhilePaused} or {error, code}. Prints no headers. */
async function direct(url: URL): Promise<void> {
  const hash = createHash('sha256');
  const res = await boundedGet({ url, headers: { accept: '*/*' }, idleTimeoutMs: 10_000 });
  let reads = 0;
  let pausedNow = false;
  let writesWhilePaused = 0;
  const bytes = await res.pipeBody({
    write: (chunk) => {
      if (pausedNow) writesWhilePaused++; // the contract: nothing arrives while a settle() is pending
      hash.update(chunk);
    },
    // pause now and then for a few ms, long enough for TLS to have decrypted more than one read
    settle: () => {
      if (++reads % 7 !== 0) return undefined;
      pausedNow = true;
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          pausedNow = false;
          resolve();
        }, 3),
      );
    },
  });
  process.stdout.write(`${JSON.stringify({ status: res.status, bytes, sha256: hash.digest('hex'), writesWhilePaused })}\n`);
}

/** One JSON line: {bytes, sha256} of the blob the cache stored, or {error, code}. */
async function intoCache(url: URL, digest: string, size: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'flux-oci-tls-cache-'));
  const client = new RegistryClient({ insecureHosts: [] }); // https even on loopback
  try {
    const [, repository] = /^\/v2\/(.+)\/blobs\/$/.exec(url.pathname) ?? [];
    const repo = { registry: url.host, repository: repository ?? '' };
    const path = await new ContentCache(dir).storeBlobFrom(digest, (sink) => client.downloadBlob(repo, digest, sink, { expectedSize: size }), { expectedSize: size });
    const stored = readFileSync(path);
    process.stdout.write(`${JSON.stringify({ bytes: stored.length, sha256: createHash('sha256').update(stored).digest('hex') })}\n`);
  } finally {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const [url, mode, digest, size] = process.argv.slice(2);
(mode === 'cache' ? intoCache(new URL(url!), digest!, Number(size)) : direct(new URL(url!))).catch((error: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error), code: (error as { code?: string })?.code })}\n`);
  process.exitCode = 1;
});
