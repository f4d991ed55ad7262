// Child-process client for the TLS tests: one boundedGet of argv[2] (trusting only the system store plus NODE_EXTRA_CA_CERTS),
// then prints one JSON line {status, bytes, sha256} or {error, code}. Test-only; prints no headers.
import { createHash } from 'node:crypto';
import { boundedGet } from '../../core/oci/bounded-get';

async function main(): Promise<void> {
  const url = new URL(process.argv[2]!);
  const hash = createHash('sha256');
  const res = await boundedGet({ url, headers: { accept: '*/*' }, idleTimeoutMs: 10_000 });
  let reads = 0;
  const bytes = await res.pipeBody({
    write: (chunk) => {
      hash.update(chunk);
    },
    // pause now and then, so backpressure over TLS is exercised too
    settle: () => (++reads % 7 === 0 ? new Promise<void>((resolve) => setImmediate(resolve)) : undefined),
  });
  process.stdout.write(`${JSON.stringify({ status: res.status, bytes, sha256: hash.digest('hex') })}\n`);
}

main().catch((error: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error), code: (error as { code?: string })?.code })}\n`);
  process.exitCode = 1;
});
