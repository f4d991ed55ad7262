// A registry that trickles a blob (one byte every 200 ms) never trips an idle timeout; the blob download's total
// deadline must end it with a `timeout` RegistryError, and a download within the deadline must still succeed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RegistryClient } from '../../../core/oci/registry-client';
import { RegistryError } from '../../../core/oci/errors';
import { rejectsWith } from './registry-assertions';

const BLOB = Buffer.from('0123456789abcdefghij'); // 20 bytes: 4 s at one byte per 200 ms
const DIGEST = `sha256:${createHash('sha256').update(BLOB).digest('hex')}`;

async function drain(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('blob download deadline', () => {
  let server: Server;
  const timers = new Set<NodeJS.Timeout>();
  let host = '';

  before(async () => {
    // /v2/trickle/... sends one byte every 200 ms; /v2/fast/... sends the blob at once.
    server = createServer((req, res) => {
      if (!req.url?.includes('/blobs/')) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(BLOB.length) });
      if (req.url.startsWith('/v2/fast/')) {
        res.end(BLOB);
        return;
      }
      let sent = 0;
      const timer = setInterval(() => {
        res.write(BLOB.subarray(sent, sent + 1));
        if (++sent === BLOB.length) {
          clearInterval(timer);
          res.end();
        }
      }, 200);
      timers.add(timer);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const t of timers) clearInterval(t);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('cuts off a blob trickled one byte every 200 ms at the 1 s deadline, with a timeout error', async () => {
    // The per-request (idle) timeout is far longer than the deadline and the trickle completes in 4 s with a valid
    // digest: without a total deadline this download succeeds, so the rejection is the deadline's doing.
    const client = new RegistryClient({ timeoutMs: 30_000 });
    try {
      const stream = await client.fetchBlob({ registry: host, repository: 'trickle' }, DIGEST, { deadlineMs: 1000 });
      await assert.rejects(drain(stream), (error: unknown) => {
        assert.ok(error instanceof RegistryError, String(error));
        assert.equal(error.code, 'timeout', error.message);
        assert.match(error.message, /did not finish within 1 s/);
        assert.match(error.message, /trickle/);
        return true;
      });
    } finally {
      await client.close();
    }
  });

  it('applies the deadline to small blobs read whole too', async () => {
    const client = new RegistryClient({ timeoutMs: 30_000 });
    try {
      await rejectsWith(client.fetchBlobBuffer({ registry: host, repository: 'trickle' }, DIGEST, { deadlineMs: 600 }), 'timeout');
    } finally {
      await client.close();
    }
  });

  it('a download that finishes within its deadline is delivered and verified', async () => {
    const client = new RegistryClient({ timeoutMs: 30_000 });
    try {
      const bytes = await drain(await client.fetchBlob({ registry: host, repository: 'fast' }, DIGEST, { deadlineMs: 1000 }));
      assert.deepEqual(bytes, BLOB);
    } finally {
      await client.close();
    }
  });
});
