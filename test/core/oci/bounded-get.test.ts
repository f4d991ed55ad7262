// boundedGet (and Transport.getBounded) against real node http/https and raw TCP servers on 127.0.0.1: intact multi-MiB
// bodies, backpressure, bodies that come with the head, discard, broken/silent servers, abort, header injection, and real TLS.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { boundedGet, READ_BUFFER_BYTES, type BodySink, type BoundedResponse } from '../../../core/oci/bounded-get';
import { HttpParseError } from '../../../core/oci/http1-response-parser';
import { RegistryError } from '../../../core/oci/errors';
import { Transport } from '../../../core/oci/transport';
import { startTlsServer, type TlsTestServer } from '../../support/tls-server';
import { rejectsWith } from './registry-assertions';

const execFileAsync = promisify(execFile);
const BIG = randomBytes(3 * 1024 * 1024 + 12345); // a few MiB, not a multiple of the read buffer
const BIG_SHA = sha256(BIG);
const SMALL = Buffer.from('a small body that fits in the first read');

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

interface Received {
  bytes: number;
  sha256: string;
  body: Buffer;
  writes: number;
  /** Distinct ArrayBuffers the chunks were views of. */
  buffers: Set<ArrayBufferLike>;
}

/** Pipes the body into a sink that copies every chunk; `pauseEvery` > 0 makes settle() return a later-resolving promise every N reads. */
async function receive(res: BoundedResponse, options: { pauseEvery?: number; pause?: () => Promise<void> } = {}): Promise<Received> {
  const parts: Buffer[] = [];
  const buffers = new Set<ArrayBufferLike>();
  let writes = 0;
  let reads = 0;
  let paused = false;
  const sink: BodySink = {
    write: (chunk) => {
      assert.equal(paused, false, 'write() was called while settle() was still pending');
      writes++;
      buffers.add(chunk.buffer);
      parts.push(Buffer.from(chunk)); // borrowed view: copy it
    },
    settle: () => {
      reads++;
      if (!options.pauseEvery || reads % options.pauseEvery !== 0) return undefined;
      paused = true;
      const wait = options.pause?.() ?? new Promise<void>((resolve) => setTimeout(resolve, 1));
      return wait.then(() => {
        paused = false;
      });
    },
  };
  const bytes = await res.pipeBody(sink);
  const body = Buffer.concat(parts);
  return { bytes, sha256: sha256(body), body, writes, buffers };
}

function listen(server: Server | NetServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server | NetServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('boundedGet over plain HTTP', { timeout: 60_000 }, () => {
  let server: Server;
  let origin = '';
  let connections = 0;
  const openSockets = new Set<Socket>();
  const seenRequests: IncomingMessage[] = [];
  /** Resolves when the server-side socket of the request with this URL closed. */
  const serverSideClosed = new Map<string, Promise<void>>();

  before(async () => {
    server = createHttpServer((req, res) => {
      seenRequests.push(req);
      serverSideClosed.set(req.url!, new Promise((resolve) => req.socket.once('close', () => resolve())));
      const path = new URL(req.url!, 'http://x').pathname;
      if (path === '/length') {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': BIG.length });
        res.end(BIG);
      } else if (path === '/length-late') {
        // the head goes out alone, the body a moment later
        res.writeHead(200, { 'content-length': BIG.length });
        res.flushHeaders();
        setImmediate(() => res.end(BIG));
      } else if (path === '/chunked') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' }); // no length: node chunks it
        let at = 0;
        let size = 1;
        const writeMore = () => {
          while (at < BIG.length) {
            const piece = BIG.subarray(at, at + size);
            at += piece.length;
            size = (size * 7 + 4099) % 90_001; // chunk sizes from 1 byte to ~90 KB
            if (!res.write(piece)) return void res.once('drain', writeMore);
          }
          res.end();
        };
        writeMore();
      } else if (path === '/small') {
        res.writeHead(200, { 'content-length': SMALL.length });
        res.end(SMALL); // head and body leave in one write
      } else if (path === '/not-found') {
        res.writeHead(404, { 'content-type': 'application/json', 'content-length': 17 });
        res.end('{"errors":["no"]}');
      } else if (path === '/hold') {
        // the head and 64 KiB of a large body, then nothing (until the client goes away)
        res.writeHead(200, { 'content-length': BIG.length });
        res.write(BIG.subarray(0, 64 * 1024));
      } else if (path === '/cut') {
        // half the declared body, then the server hangs up
        res.writeHead(200, { 'content-length': BIG.length });
        res.write(BIG.subarray(0, BIG.length / 2), () => setImmediate(() => req.socket.destroy()));
      } else if (path === '/silent') {
        // never answers
      } else if (path === '/echo') {
        res.writeHead(200, { 'content-length': 2 });
        res.end('ok');
      } else {
        res.writeHead(500).end();
      }
    });
    server.on('connection', (socket) => {
      connections++;
      openSockets.add(socket);
      socket.once('close', () => openSockets.delete(socket));
    });
    origin = `http://127.0.0.1:${await listen(server)}`;
  });

  after(async () => {
    for (const socket of openSockets) socket.destroy();
    await closeServer(server);
  });

  const get = (path: string, extra: Partial<Parameters<typeof boundedGet>[0]> = {}) =>
    boundedGet({ url: new URL(path, origin), headers: {}, idleTimeoutMs: 10_000, ...extra });

  it('delivers a Content-Length body of a few MiB intact', async () => {
    const res = await get('/length');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-length'], String(BIG.length));
    assert.equal(res.url, `${origin}/length`);
    const got = await receive(res);
    assert.equal(got.bytes, BIG.length);
    assert.equal(got.body.length, BIG.length);
    assert.equal(got.sha256, BIG_SHA);
  });

  it('delivers a body whose head arrived alone', async () => {
    const got = await receive(await get('/length-late'));
    assert.equal(got.bytes, BIG.length);
    assert.equal(got.sha256, BIG_SHA);
  });

  it('delivers a chunked body of a few MiB intact', async () => {
    const res = await get('/chunked');
    assert.equal(res.headers['transfer-encoding'], 'chunked');
    const got = await receive(res);
    assert.equal(got.bytes, BIG.length);
    assert.equal(got.sha256, BIG_SHA);
  });

  it('hands the sink views of one reused read buffer, not a fresh buffer per read', async () => {
    const got = await receive(await get('/length'));
    assert.equal(got.sha256, BIG_SHA);
    assert.ok(got.writes > 20, `expected many reads, got ${got.writes}`);
    // the read buffer, plus at most one buffer holding the copy of bytes that came with the head
    assert.ok(got.buffers.size <= 2, `chunks came from ${got.buffers.size} different buffers`);
    assert.ok([...got.buffers].some((b) => b.byteLength === READ_BUFFER_BYTES), 'no chunk was a view of the read buffer');
  });

  it('keeps the exact bytes in order when settle() pauses the socket every few reads', async () => {
    for (const path of ['/length', '/chunked']) {
      const got = await receive(await get(path), { pauseEvery: 3 });
      assert.equal(got.bytes, BIG.length, path);
      assert.equal(got.sha256, BIG_SHA, path);
    }
    const immediate = await receive(await get('/length'), { pauseEvery: 1, pause: () => new Promise((resolve) => setImmediate(resolve)) });
    assert.equal(immediate.sha256, BIG_SHA);
  });

  it('waiting for a slow sink (or a late pipeBody) is not server idleness', async () => {
    // idleTimeoutMs limits waits for the server's bytes; the time the consumer takes must not count against it
    const slowSink = await receive(await get('/length', { idleTimeoutMs: 150 }), { pauseEvery: 20, pause: () => new Promise((resolve) => setTimeout(resolve, 450)) });
    assert.equal(slowSink.sha256, BIG_SHA);
    const res = await get('/length', { idleTimeoutMs: 150 });
    await new Promise((resolve) => setTimeout(resolve, 450));
    assert.equal((await receive(res)).sha256, BIG_SHA);
  });

  it('delivers a small body that arrived with the head', async () => {
    const res = await get('/small');
    assert.equal(res.status, 200);
    const got = await receive(res);
    assert.equal(got.bytes, SMALL.length);
    assert.equal(got.body.toString(), SMALL.toString());
    await serverSideClosed.get('/small'); // the connection is done with once the response is complete
  });

  it('rejects a second pipeBody, and pipeBody after discard', async () => {
    const res = await get('/small');
    await receive(res);
    await assert.rejects(receive(res), /already read or discarded/);
    const other = await get('/not-found');
    assert.equal(other.status, 404);
    other.discard();
    await assert.rejects(receive(other), /already read or discarded/);
  });

  it('discard() closes the connection without reading the body', async () => {
    const res = await get('/hold?discard');
    assert.equal(res.status, 200);
    res.discard();
    await serverSideClosed.get('/hold?discard'); // the server saw the connection close
    res.discard(); // a second discard is harmless
  });

  it('discard() during pipeBody rejects the pending pipeBody', async () => {
    const res = await get('/hold?discard-while-piping');
    let wrote = 0;
    const piping = res.pipeBody({
      write: (chunk) => {
        wrote += chunk.length;
        if (wrote >= 64 * 1024) setImmediate(() => res.discard());
      },
    });
    await assert.rejects(piping);
    await serverSideClosed.get('/hold?discard-while-piping');
  });

  it('rejects pipeBody when the server closes mid-body', async () => {
    const res = await get('/cut');
    let received = 0;
    await assert.rejects(
      res.pipeBody({ write: (chunk) => void (received += chunk.length) }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'ECONNRESET'); // a connection problem, not a malformed response
        assert.match(error.message, /closed/);
        return true;
      },
    );
    assert.ok(received > 0 && received < BIG.length, `received ${received} bytes`);
  });

  it('rejects with an idle timeout when the server never answers', async () => {
    await assert.rejects(get('/silent', { idleTimeoutMs: 200 }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'ERR_BLOB_IDLE_TIMEOUT');
      assert.match(error.message, /No data for 200 ms/);
      return true;
    });
    await serverSideClosed.get('/silent');
  });

  it('rejects pipeBody with an idle timeout when the body stalls', async () => {
    const res = await get('/hold?stall', { idleTimeoutMs: 200 });
    await assert.rejects(receive(res), { code: 'ERR_BLOB_IDLE_TIMEOUT' });
    await serverSideClosed.get('/hold?stall');
  });

  it('an AbortSignal aborted mid-body rejects pipeBody with its reason', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by the test');
    const res = await get('/hold?abort', { signal: controller.signal });
    let wrote = 0;
    await assert.rejects(
      res.pipeBody({
        write: (chunk) => {
          wrote += chunk.length;
          if (wrote >= 64 * 1024) controller.abort(reason);
        },
      }),
      (error) => error === reason,
    );
    await serverSideClosed.get('/hold?abort');
  });

  it('an AbortSignal aborted before the head rejects with its reason; an already-aborted one does not send', async () => {
    const controller = new AbortController();
    const reason = new Error('stop waiting');
    const pending = get('/silent?abort', { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 20);
    await assert.rejects(pending, (error) => error === reason);
    const already = new AbortController();
    already.abort(reason);
    const requestsBefore = seenRequests.length;
    await assert.rejects(get('/echo?never', { signal: already.signal }), (error) => error === reason);
    await receive(await get('/echo?after-abort'));
    assert.equal(seenRequests.length, requestsBefore + 1, 'the aborted request reached the server');
  });

  it('a sink whose write() throws rejects pipeBody with that error', async () => {
    const boom = new Error('disk full');
    const res = await get('/length?throwing-sink');
    await assert.rejects(res.pipeBody({ write: () => { throw boom; } }), (error) => error === boom);
    const settleFails = await get('/length?rejecting-settle');
    await assert.rejects(settleFails.pipeBody({ write: () => undefined, settle: () => Promise.reject(boom) }), (error) => error === boom);
  });

  it('refuses CR/LF/NUL in a header value (and odd header names) before connecting', async () => {
    const before = connections;
    const refused: Record<string, string>[] = [{ 'x-evil': 'a\r\nx-injected: 1' }, { 'x-evil': 'a\nb' }, { 'x-evil': 'a\0b' }, { 'x evil': 'a' }, { 'x-evil:': 'a' }];
    for (const headers of refused) {
      let promise: Promise<unknown> | undefined;
      assert.doesNotThrow(() => {
        promise = get('/echo?injected', { headers });
      }, 'boundedGet must reject, not throw synchronously');
      await assert.rejects(promise!, (error: Error & { code?: string }) => {
        assert.equal(error.code, 'ERR_INVALID_HEADER');
        assert.doesNotMatch(error.message, /x-injected|\r|\n/);
        return true;
      });
    }
    await receive(await get('/echo?after-injection'));
    assert.equal(connections, before + 1, 'a refused request opened a connection');
    assert.ok(!seenRequests.some((r) => r.url === '/echo?injected'));
  });

  it('sends the request line, host, connection: close and the given headers', async () => {
    await receive(await get('/echo?q=1&r=%20x', { headers: { 'x-custom': 'value with spaces', Accept: 'application/vnd.oci.image.layer.v1.tar+gzip' } }));
    const req = seenRequests.find((r) => r.url === '/echo?q=1&r=%20x');
    assert.ok(req, 'the server did not see the request');
    assert.equal(req.method, 'GET');
    assert.equal(req.httpVersion, '1.1');
    assert.equal(req.headers.host, new URL(origin).host);
    assert.equal(req.headers.connection, 'close');
    assert.equal(req.headers['x-custom'], 'value with spaces');
    assert.equal(req.headers.accept, 'application/vnd.oci.image.layer.v1.tar+gzip');
    const names = req.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
    assert.equal(names.filter((n) => n === 'host').length, 1);
    assert.equal(names.filter((n) => n === 'connection').length, 1);
  });

  it('rejects a URL that is neither http nor https', async () => {
    await assert.rejects(boundedGet({ url: new URL('ftp://127.0.0.1/x'), headers: {}, idleTimeoutMs: 1000 }), { code: 'ERR_INVALID_URL' });
  });

  it('rejects with the connection error when nothing listens', async () => {
    const probe = createNetServer();
    const port = await listen(probe);
    await closeServer(probe);
    await assert.rejects(boundedGet({ url: new URL(`http://127.0.0.1:${port}/x`), headers: {}, idleTimeoutMs: 5000 }), { code: 'ECONNREFUSED' });
  });

  describe('through Transport.getBounded', () => {
    let transport: Transport;
    before(() => {
      transport = new Transport({ timeoutMs: 10_000, maxRetries: 0, insecureHosts: ['127.0.0.1'], userAgent: 'flux-oci-test/1.0' });
    });
    after(() => transport.close());

    it('sends its user agent and the given headers', async () => {
      const before = transport.requests;
      const res = await transport.getBounded({ url: `${origin}/echo?transport`, headers: { 'x-custom': 'v' } });
      await receive(res);
      const req = seenRequests.find((r) => r.url === '/echo?transport');
      assert.equal(req?.headers['user-agent'], 'flux-oci-test/1.0');
      assert.equal(req?.headers['x-custom'], 'v');
      assert.equal(transport.requests, before + 1);
    });

    it('refuses plain HTTP to a host that is not allowed it', async () => {
      const strict = new Transport({ timeoutMs: 10_000, maxRetries: 0, insecureHosts: [], userAgent: 'flux-oci-test/1.0' });
      try {
        const before = connections;
        await rejectsWith(strict.getBounded({ url: `${origin}/echo?strict` }), 'insecure-refused');
        assert.equal(connections, before);
      } finally {
        await strict.close();
      }
    });

    it('maps a refused header to a RegistryError, not a thrown TypeError', async () => {
      await assert.rejects(transport.getBounded({ url: `${origin}/echo?bad-header`, headers: { 'x-evil': 'a\r\nsecret' } }), (error: Error) => {
      assert.ok(error instanceof RegistryError, `expected a RegistryError, got ${String(error)}`);
      assert.doesNotMatch(error.message, /secret/); // header values can be credentials
      return true;
    });
    });
  });
});

describe('boundedGet against raw TCP responses', { timeout: 30_000 }, () => {
  let server: NetServer;
  let origin = '';
  /** What the raw server answers, by request path. */
  const answers: Record<string, (socket: Socket) => void> = {
    '/read-to-close': (socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n');
      socket.end(BIG);
    },
    '/continue': (socket) => socket.end(Buffer.concat([Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello')])),
    '/garbage': (socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n\r\n'),
    '/bad-chunk': (socket) => socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n'),
    '/bad-chunk-later': (socket) => {
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
      setTimeout(() => socket.end('5\r\nhello\r\nzz\r\n'), 20);
    },
    '/no-head': (socket) => socket.end(),
    '/half-head': (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Len'),
  };

  before(async () => {
    server = createNetServer((socket) => {
      let request = '';
      socket.on('error', () => undefined);
      socket.on('data', (data) => {
        request += data.toString('latin1');
        if (!request.includes('\r\n\r\n')) return;
        const path = /^GET (\S+) HTTP\/1\.1\r\n/.exec(request)?.[1] ?? '';
        (answers[path] ?? ((s: Socket) => s.end('HTTP/1.1 500 Unknown\r\nContent-Length: 0\r\n\r\n')))(socket);
      });
    });
    origin = `http://127.0.0.1:${await listen(server)}`;
  });

  after(() => closeServer(server));

  const get = (path: string) => boundedGet({ url: new URL(path, origin), headers: {}, idleTimeoutMs: 10_000 });

  it('reads a body without length until the server closes', async () => {
    const got = await receive(await get('/read-to-close'), { pauseEvery: 5 });
    assert.equal(got.bytes, BIG.length);
    assert.equal(got.sha256, BIG_SHA);
  });

  it('skips 100 Continue and delivers the real response', async () => {
    const res = await get('/continue');
    assert.equal(res.status, 200);
    assert.equal((await receive(res)).body.toString(), 'hello');
  });

  it('rejects a response that is not HTTP with an HttpParseError', async () => {
    await assert.rejects(get('/garbage'), (error) => error instanceof HttpParseError && /status line/.test(error.message));
  });

  it('rejects a malformed chunked body (in the first read, or later in pipeBody)', async () => {
    await assert.rejects(get('/bad-chunk'), (error) => error instanceof HttpParseError && /chunk/.test(error.message));
    const res = await get('/bad-chunk-later');
    await assert.rejects(receive(res), (error) => error instanceof HttpParseError && /invalid chunk size/.test(error.message));
  });

  it('rejects with a connection error (not a parse error) when the server closes before or during the head', async () => {
    await assert.rejects(get('/no-head'), { code: 'ECONNRESET', message: /closed before a complete response head/ });
    await assert.rejects(get('/half-head'), (error) => !(error instanceof HttpParseError) && (error as { code?: string }).code === 'ECONNRESET');
  });

  it('Transport.getBounded maps a malformed response to a protocol RegistryError', async () => {
    const transport = new Transport({ timeoutMs: 10_000, maxRetries: 0, insecureHosts: ['127.0.0.1'], userAgent: 'flux-oci-test/1.0' });
    try {
      const error = await rejectsWith(transport.getBounded({ url: `${origin}/garbage` }), 'protocol');
      assert.match(error.message, /malformed HTTP response/);
      await rejectsWith(transport.getBounded({ url: `${origin}/no-head` }), 'unreachable');
    } finally {
      await transport.close();
    }
  });
});

describe('boundedGet over real TLS', { timeout: 60_000 }, () => {
  let tls: TlsTestServer;
  const childClient = join(__dirname, '..', '..', 'support', 'bounded-get-client.ts');
  const projectRoot = join(__dirname, '..', '..', '..');

  before(async () => {
    tls = await startTlsServer((req, res) => {
      if (req.url === '/blob' || req.url === `/v2/tls/app/blobs/sha256:${BIG_SHA}`) {
        res.writeHead(200, { 'content-length': BIG.length });
        res.end(BIG);
      } else if (req.url === '/chunked-blob') {
        res.writeHead(200);
        for (let at = 0; at < BIG.length; at += 100_003) res.write(BIG.subarray(at, at + 100_003));
        res.end();
      } else {
        res.writeHead(404).end();
      }
    });
  });

  after(() => tls.close());

  /** Runs the client in a child node process that trusts the test certificate through NODE_EXTRA_CA_CERTS. */
  async function childGet(url: string, ...extra: string[]): Promise<{ status?: number; bytes?: number; sha256?: string; writesWhilePaused?: number; error?: string; code?: string }> {
    const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', childClient, url, ...extra], {
      cwd: projectRoot,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.certificate.certPath },
      maxBuffer: 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`the child client failed: ${error.stdout ?? ''} ${error.stderr ?? ''}`);
    });
    return JSON.parse(stdout.trim().split('\n').pop()!);
  }

  it('downloads a few MiB over https intact when the certificate is trusted (child process)', async () => {
    for (const path of ['/blob', '/chunked-blob']) {
      const result = await childGet(`${tls.origin}${path}`);
      assert.equal(result.error, undefined, result.error);
      assert.equal(result.status, 200);
      assert.equal(result.bytes, BIG.length, path);
      assert.equal(result.sha256, BIG_SHA, path);
      // TLS hands over already-decrypted bytes even after a read callback said "pause": they must wait for the sink.
      assert.equal(result.writesWhilePaused, 0, `${path}: the sink got bytes while its settle() was pending`);
    }
  });

  it('RegistryClient.downloadBlob over https stores a byte-identical blob in the content cache (child process)', async () => {
    const result = await childGet(`${tls.origin}/v2/tls/app/blobs/`, 'cache', `sha256:${BIG_SHA}`, String(BIG.length));
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.bytes, BIG.length);
    assert.equal(result.sha256, BIG_SHA);
  });

  it('checks the host name against the certificate (localhost is in its SANs)', async () => {
    const port = new URL(tls.origin).port;
    const result = await childGet(`https://localhost:${port}/blob`);
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.sha256, BIG_SHA);
  });

  it('refuses the untrusted certificate in-process (no extra CA)', async () => {
    await assert.rejects(boundedGet({ url: new URL(`${tls.origin}/blob`), headers: {}, idleTimeoutMs: 10_000 }), (error: Error & { code?: string }) => {
      assert.match(error.code ?? '', /CERT|SELF_SIGNED/);
      return true;
    });
  });

  it('Transport.getBounded maps the untrusted certificate to an unreachable RegistryError about TLS', async () => {
    const transport = new Transport({ timeoutMs: 10_000, maxRetries: 0, insecureHosts: [], userAgent: 'flux-oci-test/1.0' });
    try {
      const error = await rejectsWith(transport.getBounded({ url: `${tls.origin}/blob` }), 'unreachable');
      assert.match(error.message, /TLS certificate/);
      assert.match(error.message, /127\.0\.0\.1/);
    } finally {
      await transport.close();
    }
  });
});
