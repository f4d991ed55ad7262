// Blob downloads into a sink (core/oci/blob-download.ts) against a real distribution registry behind a fault-injecting
// proxy: exact bytes, auth, redirects, faults, resumes, deadline, cancellation, all over the one undici transport.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryClient } from '../../../core/oci/registry-client';
import { MAX_RESUMES, type BodySink } from '../../../core/oci/blob-download';
import { ContentCache } from '../../../core/artifacts/content-cache';
import { startRegistry, type Registry } from '../../support/registry';
import { startPagingProxy, type PagingProxy, type RecordedRequest } from '../../support/paging-proxy';
import { MediaTypes, pushBlob, pushManifest, type Descriptor } from '../../support/registry-push';
import { seededRandom } from '../../support/seeded-random';
import { rejectsWith } from './registry-assertions';

const MiB = 1024 * 1024;

/** `size` reproducible random bytes (incompressible, so nothing along the way can shrink them). */
function randomBlob(seed: number, size: number): Buffer {
  const rand = seededRandom(seed);
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) out[i] = rand(256);
  return out;
}

/** A sink that copies every borrowed chunk (they are only valid during `write`). */
function collectingSink(onWrite?: (received: number) => void): { sink: BodySink; bytes(): Buffer; received(): number } {
  const chunks: Buffer[] = [];
  let received = 0;
  return {
    sink: {
      write(chunk) {
        chunks.push(Buffer.from(chunk));
        received += chunk.byteLength;
        onWrite?.(received);
      },
    },
    bytes: () => Buffer.concat(chunks),
    received: () => received,
  };
}

/** The GETs of one blob the proxy (or its redirect origin) saw, in order. */
const blobGets = (requests: RecordedRequest[], digest: string) => requests.filter((r) => r.method === 'GET' && r.path.includes(`/blobs/${digest}`));

function cacheLeftovers(dir: string): string[] {
  const list = (sub: string) => (existsSync(join(dir, sub)) ? readdirSync(join(dir, sub), { recursive: true }).map(String) : []);
  return [...list('blobs').map((p) => `blobs/${p}`), ...list('tmp').map((p) => `tmp/${p}`)];
}

describe('blob downloads from an anonymous registry', () => {
  let registry: Registry;
  let proxy: PagingProxy;
  let cacheDir: string;
  const big = randomBlob(1, 2 * MiB + 12_345);
  const small = randomBlob(2, 300_000);
  let bigBlob: Descriptor;
  let smallBlob: Descriptor;
  const repo = () => ({ registry: proxy.host, repository: 'blobs/anon' });

  before(async () => {
    registry = await startRegistry();
    bigBlob = await pushBlob(registry, 'blobs/anon', big);
    smallBlob = await pushBlob(registry, 'blobs/anon', small);
    proxy = await startPagingProxy(registry.url);
    cacheDir = mkdtempSync(join(tmpdir(), 'flux-oci-blob-download-'));
  });
  after(async () => {
    await proxy?.stop();
    await registry?.stop();
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  });

  const fresh = () => {
    proxy.requests.length = 0;
    proxy.faults.length = 0;
    return new RegistryClient();
  };

  it('reads a 2 MiB blob byte for byte in one GET, with progress up to its size', async () => {
    const client = fresh();
    try {
      const progress: number[] = [];
      const collected = collectingSink();
      await client.downloadBlob(repo(), bigBlob.digest, collected.sink, { expectedSize: big.length, onProgress: (bytes) => progress.push(bytes) });
      assert.ok(collected.bytes().equals(big), 'the exact bytes arrive');
      const gets = blobGets(proxy.requests, bigBlob.digest);
      assert.equal(gets.length, 1, 'one blob GET');
      assert.ok(progress.length > 1, 'progress reported while downloading');
      assert.deepEqual(
        progress,
        [...progress].sort((a, b) => a - b),
        'progress never goes back',
      );
      assert.equal(progress.at(-1), big.length, 'progress reaches the blob size');
    } finally {
      await client.close();
    }
  });

  it('a small blob and a download without a known size arrive intact, one GET each', async () => {
    const client = fresh();
    try {
      const progress: number[] = [];
      const collected = collectingSink();
      await client.downloadBlob(repo(), smallBlob.digest, collected.sink, { expectedSize: small.length, onProgress: (bytes) => progress.push(bytes) });
      assert.ok(collected.bytes().equals(small));
      assert.equal(progress.at(-1), small.length);
      const smallGets = blobGets(proxy.requests, smallBlob.digest);
      assert.equal(smallGets.length, 1);

      const unsized = collectingSink();
      await client.downloadBlob(repo(), bigBlob.digest, unsized.sink);
      assert.ok(unsized.bytes().equals(big));
      const bigGets = blobGets(proxy.requests, bigBlob.digest);
      assert.equal(bigGets.length, 1);
    } finally {
      await client.close();
    }
  });

  it('rejects a flipped byte as a digest mismatch, and the cache keeps neither blob nor temp file', async () => {
    const client = fresh();
    const ownCache = join(cacheDir, 'flip');
    try {
      proxy.faults.push({ match: new RegExp(bigBlob.digest), method: 'GET', times: 2, fault: { kind: 'flip-byte' } });
      const error = await rejectsWith(client.downloadBlob(repo(), bigBlob.digest, collectingSink().sink, { expectedSize: big.length }), 'digest-mismatch');
      assert.match(error.message, /does not match its digest/);
      const cache = new ContentCache(ownCache);
      await rejectsWith(
        cache.storeBlobFrom(bigBlob.digest, (sink) => client.downloadBlob(repo(), bigBlob.digest, sink, { expectedSize: big.length }), { expectedSize: big.length }),
        'digest-mismatch',
      );
      const gets = blobGets(proxy.requests, bigBlob.digest);
      assert.equal(gets.length, 2, 'no retry into success');
      assert.equal(existsSync(cache.blobPath(bigBlob.digest)), false);
      assert.deepEqual(cacheLeftovers(ownCache), []);
    } finally {
      await client.close();
    }
  });

  it('resumes a body that breaks off with a range request, and the blob verifies', async () => {
    const client = fresh();
    const ownCache = join(cacheDir, 'resume');
    try {
      proxy.faults.push({ match: new RegExp(bigBlob.digest), method: 'GET', fault: { kind: 'truncate' } });
      const cache = new ContentCache(ownCache);
      const progress: number[] = [];
      const path = await cache.storeBlobFrom(bigBlob.digest, (sink) => client.downloadBlob(repo(), bigBlob.digest, sink, { expectedSize: big.length, onProgress: (n) => progress.push(n) }), {
        expectedSize: big.length,
      });
      assert.ok(readFileSync(path).equals(big), 'the stored blob is byte-identical');
      const gets = blobGets(proxy.requests, bigBlob.digest);
      assert.equal(gets.length, 2, 'the first GET broke off, one range request finished it');
      assert.equal(gets[0]!.range, undefined);
      const offset = Number(/^bytes=(\d+)-$/.exec(gets[1]!.range ?? '')?.[1]);
      assert.ok(offset > 0 && offset < big.length, `resumed from where the first body stopped (${gets[1]!.range})`);
      assert.ok(
        progress.every((n, i) => i === 0 || n >= progress[i - 1]!),
        'progress never goes back',
      );
      assert.equal(progress.at(-1), big.length);
    } finally {
      await client.close();
    }
  });

  it('gives up as unreachable after three resumes that all break off, keeping nothing', async () => {
    const client = fresh();
    const ownCache = join(cacheDir, 'truncate-always');
    try {
      proxy.faults.push({ match: new RegExp(bigBlob.digest), method: 'GET', times: 10, fault: { kind: 'truncate' } });
      const cache = new ContentCache(ownCache);
      const error = await rejectsWith(
        cache.storeBlobFrom(bigBlob.digest, (sink) => client.downloadBlob(repo(), bigBlob.digest, sink, { expectedSize: big.length }), { expectedSize: big.length }),
        'unreachable',
      );
      assert.match(error.message, /broke off after \d+ bytes/);
      const gets = blobGets(proxy.requests, bigBlob.digest);
      assert.equal(gets.length, 1 + MAX_RESUMES);
      assert.ok(gets.slice(1).every((g) => /^bytes=\d+-$/.test(g.range ?? '')));
      assert.deepEqual(cacheLeftovers(ownCache), []);
    } finally {
      proxy.faults.length = 0;
      await client.close();
    }
  });

  it('does not resume from a registry that answers a range request with the whole blob', async () => {
    const client = fresh();
    try {
      proxy.ignoreRange = true;
      proxy.faults.push({ match: new RegExp(bigBlob.digest), method: 'GET', fault: { kind: 'truncate' } });
      const collected = collectingSink();
      const error = await rejectsWith(client.downloadBlob(repo(), bigBlob.digest, collected.sink, { expectedSize: big.length }), 'unreachable');
      assert.match(error.message, /broke off after \d+ bytes/);
      assert.equal(blobGets(proxy.requests, bigBlob.digest).length, 2, 'one range request was tried, its 200 refused');
      assert.ok(collected.bytes().length < big.length);
    } finally {
      proxy.ignoreRange = false;
      proxy.faults.length = 0;
      await client.close();
    }
  });

  it('retries a connection reset before any header', async () => {
    const client = fresh();
    try {
      proxy.faults.push({ match: new RegExp(bigBlob.digest), method: 'GET', fault: { kind: 'reset' } });
      const collected = collectingSink();
      await client.downloadBlob(repo(), bigBlob.digest, collected.sink, { expectedSize: big.length });
      assert.ok(collected.bytes().equals(big));
      const gets = blobGets(proxy.requests, bigBlob.digest);
      assert.equal(gets.length, 2, 'the reset attempt, then the retry');
    } finally {
      await client.close();
    }
  });

  it('retries 500s before the body into success', async () => {
    const client = fresh();
    try {
      proxy.faults.push({ match: new RegExp(bigBlob.digest), method: 'GET', times: 2, fault: { kind: 'status', status: 500 } });
      const collected = collectingSink();
      await client.downloadBlob(repo(), bigBlob.digest, collected.sink, { expectedSize: big.length });
      assert.ok(collected.bytes().equals(big));
      const gets = blobGets(proxy.requests, bigBlob.digest);
      assert.equal(gets.length, 3, '500, 500, then the blob');
    } finally {
      await client.close();
    }
  });

  it('rejects a descriptor size that disagrees with the Content-Length before reading the body', async () => {
    const client = fresh();
    try {
      const collected = collectingSink();
      await rejectsWith(client.downloadBlob(repo(), bigBlob.digest, collected.sink, { expectedSize: big.length + 1 }), 'digest-mismatch');
      assert.equal(collected.received(), 0);
    } finally {
      await client.close();
    }
  });

  it('aborting the signal mid-download rejects with the abort, before the blob is complete', async () => {
    const client = fresh();
    try {
      const controller = new AbortController();
      const collected = collectingSink((received) => {
        if (received >= 100_000) controller.abort();
      });
      await assert.rejects(client.downloadBlob(repo(), bigBlob.digest, collected.sink, { expectedSize: big.length, signal: controller.signal }), (error: unknown) => {
        assert.equal((error as Error).name, 'AbortError', String(error));
        return true;
      });
      assert.ok(collected.received() < big.length, `stopped early (${collected.received()} bytes)`);
    } finally {
      await client.close();
    }
  });
});

describe('blob downloads from a registry with htpasswd auth', () => {
  const user = 'ci';
  const pass = 'bounded-pass-456';
  let registry: Registry;
  let proxy: PagingProxy;
  const big = randomBlob(3, 3 * MiB - 777);
  let layer: Descriptor;
  const repo = () => ({ registry: proxy.host, repository: 'blobs/private' });
  const newClient = () => {
    proxy.requests.length = 0;
    proxy.other.requests.length = 0;
    proxy.faults.length = 0;
    return new RegistryClient({ credentials: { name: 'test credentials', lookup: async () => ({ username: user, password: pass, source: 'test credentials' }) } });
  };

  before(async () => {
    registry = await startRegistry({ auth: { htpasswd: { user, pass } } });
    const config = await pushBlob(registry, 'blobs/private', '{}', MediaTypes.fluxConfig);
    layer = await pushBlob(registry, 'blobs/private', big, MediaTypes.fluxContent);
    await pushManifest(registry, 'blobs/private', { schemaVersion: 2, mediaType: MediaTypes.ociManifest, config, layers: [layer] }, 'v1');
    proxy = await startPagingProxy(registry.url, { upstreamAuth: registry.pushAuth });
  });
  after(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it('after a manifest request, the blob GET carries Authorization straight away', async () => {
    const client = newClient();
    try {
      await client.getManifest(repo(), 'v1');
      const collected = collectingSink();
      await client.downloadBlob(repo(), layer.digest, collected.sink, { expectedSize: big.length });
      assert.ok(collected.bytes().equals(big));
      const gets = blobGets(proxy.requests, layer.digest);
      assert.equal(gets.length, 1);
      assert.equal(gets[0]!.authorization, true);
    } finally {
      await client.close();
    }
  });

  it('a fresh client answers the 401 challenge once, then sends Authorization straight away', async () => {
    const client = newClient();
    try {
      const first = collectingSink();
      await client.downloadBlob(repo(), layer.digest, first.sink, { expectedSize: big.length });
      assert.ok(first.bytes().equals(big));
      const gets = blobGets(proxy.requests, layer.digest);
      assert.equal(gets.length, 2, '401, then the GET with Authorization');
      assert.deepEqual(
        gets.map((r) => r.authorization),
        [false, true],
      );

      // The challenge is known now: the next download sends Authorization straight away.
      proxy.requests.length = 0;
      const second = collectingSink();
      await client.downloadBlob(repo(), layer.digest, second.sink, { expectedSize: big.length });
      assert.ok(second.bytes().equals(big));
      const again = blobGets(proxy.requests, layer.digest);
      assert.equal(again.length, 1);
      assert.ok(again[0]!.authorization);
    } finally {
      await client.close();
    }
  });

  it('follows a redirect to another origin without sending Authorization there', async () => {
    const client = newClient();
    try {
      await client.getManifest(repo(), 'v1');
      proxy.faults.push({ match: /\/blobs\//, method: 'GET', fault: { kind: 'redirect-blob' } });
      const collected = collectingSink();
      await client.downloadBlob(repo(), layer.digest, collected.sink, { expectedSize: big.length });
      assert.ok(collected.bytes().equals(big));
      const gets = blobGets(proxy.requests, layer.digest);
      assert.equal(gets.length, 1, 'the registry redirected the one authorized GET');
      assert.ok(gets[0]!.authorization);
      const elsewhere = blobGets(proxy.other.requests, layer.digest);
      assert.equal(elsewhere.length, 1);
      assert.equal(elsewhere[0]!.authorization, false, 'Authorization must not cross origins');
    } finally {
      await client.close();
    }
  });
});

describe('blob download deadline', () => {
  // 1 MiB at once, then one byte every 200 ms: an idle timeout never fires, and the whole blob arrives (valid) after 2 s.
  const HEAD_START = MiB;
  const TRICKLED = 10;
  const blob = randomBlob(4, HEAD_START + TRICKLED);
  const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
  let server: Server;
  let host = '';
  const seen: Array<string | undefined> = [];

  before(async () => {
    server = createServer((req, res) => {
      if (!req.url?.includes('/blobs/')) {
        res.writeHead(404).end();
        return;
      }
      seen.push(req.headers.connection);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(blob.length) });
      res.write(blob.subarray(0, HEAD_START));
      let sent = HEAD_START;
      const timer = setInterval(() => {
        res.write(blob.subarray(sent, sent + 1));
        if (++sent === blob.length) {
          clearInterval(timer);
          res.end();
        }
      }, 200);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('ends a trickling download at its deadline with a timeout error', async () => {
    const client = new RegistryClient({ timeoutMs: 30_000 });
    seen.length = 0;
    try {
      const collected = collectingSink();
      const error = await rejectsWith(client.downloadBlob({ registry: host, repository: 'trickle' }, digest, collected.sink, { expectedSize: blob.length, deadlineMs: 600 }), 'timeout');
      assert.match(error.message, /did not finish within 600 ms/);
      assert.match(error.message, /trickle/);
      assert.ok(collected.received() < blob.length);
      assert.equal(seen.length, 1, 'one request: a deadline is not retried');
    } finally {
      await client.close();
    }
  });

  it('the same trickle within a generous deadline completes and verifies (so the rejection above is the deadline)', async () => {
    const client = new RegistryClient({ timeoutMs: 30_000 });
    seen.length = 0;
    try {
      const collected = collectingSink();
      await client.downloadBlob({ registry: host, repository: 'trickle' }, digest, collected.sink, { expectedSize: blob.length, deadlineMs: 60_000 });
      assert.ok(collected.bytes().equals(blob));
      assert.equal(seen.length, 1);
    } finally {
      await client.close();
    }
  });

  it('an unsized download of the same blob honours the deadline too', async () => {
    const client = new RegistryClient({ timeoutMs: 30_000 });
    seen.length = 0;
    try {
      await rejectsWith(client.downloadBlob({ registry: host, repository: 'trickle' }, digest, collectingSink().sink, { deadlineMs: 600 }), 'timeout');
      assert.equal(seen.length, 1);
    } finally {
      await client.close();
    }
  });
});

describe('blob download of a malformed body', () => {
  it('a chunked body with a bad chunk size after 1 MiB is a protocol error, not a connection problem', async () => {
    const first = randomBlob(5, MiB);
    const digest = `sha256:${createHash('sha256').update(first).digest('hex')}`;
    const server = createTcpServer((socket) => {
      socket.once('data', () => {
        socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ntransfer-encoding: chunked\r\n\r\n${first.length.toString(16)}\r\n`);
        socket.write(first);
        socket.end('\r\nzz-not-a-size\r\n');
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new RegistryClient({ maxRetries: 0 });
    try {
      const error = await rejectsWith(client.downloadBlob({ registry: host, repository: 'malformed' }, digest, collectingSink().sink, { expectedSize: first.length + 10 }), 'protocol');
      assert.match(error.message, /arrived malformed.*chunk size/);
    } finally {
      await client.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('blob download resumed from a registry that answers ranges oddly', () => {
  const blob = randomBlob(6, 2 * MiB);
  const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;

  /** First GET: the head and half the body, then the connection drops. Range GETs: whatever `range` answers. */
  async function withServer(range: (offset: number) => { status: number; headers: Record<string, string>; body: Buffer }, test: (host: string, ranges: string[]) => Promise<void>) {
    const ranges: string[] = [];
    const server = createServer((req, res) => {
      const asked = req.headers.range;
      if (!asked) {
        res.writeHead(200, { 'content-length': String(blob.length) });
        res.write(blob.subarray(0, blob.length / 2), () => res.socket?.destroy());
        return;
      }
      ranges.push(asked);
      const answer = range(Number(/^bytes=(\d+)-$/.exec(asked)?.[1]));
      res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
      res.end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await test(`127.0.0.1:${(server.address() as AddressInfo).port}`, ranges);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  it('finishes with a 206 that covers exactly the rest of the blob', async () => {
    await withServer(
      (offset) => ({ status: 206, headers: { 'content-range': `bytes ${offset}-${blob.length - 1}/${blob.length}` }, body: blob.subarray(offset) }),
      async (host, ranges) => {
        const client = new RegistryClient({ maxRetries: 0 });
        try {
          const collected = collectingSink();
          await client.downloadBlob({ registry: host, repository: 'ranges' }, digest, collected.sink, { expectedSize: blob.length });
          assert.ok(collected.bytes().equals(blob));
          assert.equal(ranges.length, 1);
        } finally {
          await client.close();
        }
      },
    );
  });

  it('refuses a 206 that stops short of the end, or claims another total size, as a broken-off download', async () => {
    const answers = [
      (offset: number) => ({ status: 206, headers: { 'content-range': `bytes ${offset}-${blob.length - 2}/${blob.length}` }, body: blob.subarray(offset, blob.length - 1) }),
      (offset: number) => ({ status: 206, headers: { 'content-range': `bytes ${offset}-${blob.length}/${blob.length + 1}` }, body: Buffer.concat([blob.subarray(offset), Buffer.from('x')]) }),
      (offset: number) => ({ status: 206, headers: { 'content-range': `bytes ${offset + 1}-${blob.length - 1}/${blob.length}` }, body: blob.subarray(offset + 1) }),
    ];
    for (const answer of answers) {
      await withServer(answer, async (host, ranges) => {
        const client = new RegistryClient({ maxRetries: 0 });
        try {
          const collected = collectingSink();
          const error = await rejectsWith(client.downloadBlob({ registry: host, repository: 'ranges' }, digest, collected.sink, { expectedSize: blob.length }), 'unreachable');
          assert.match(error.message, /broke off after \d+ bytes/);
          assert.equal(ranges.length, 1, 'one range was asked for and refused');
          assert.ok(collected.received() <= blob.length / 2, 'nothing of the refused range reached the sink');
        } finally {
          await client.close();
        }
      });
    }
  });
});
