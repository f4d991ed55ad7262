// The transport entry point against a small local server: Retry-After honoured on 503/429, the retry budget, no retry of
// a refused connection, plain HTTP refused unless allowed, and the User-Agent sent on every request.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Transport } from '../../../core/oci/transport';
import { freePort } from '../../support/registry';
import { rejectsWith } from './registry-assertions';

describe('transport', () => {
  let server: Server;
  let origin = '';
  const seen: Array<{ path: string; agent?: string }> = [];
  before(async () => {
    let busy = 0;
    server = createServer((req, res) => {
      seen.push({ path: req.url ?? '', agent: req.headers['user-agent'] });
      if (req.url === '/busy' && busy++ < 2) res.writeHead(503, { 'retry-after': '1' }).end();
      else if (req.url === '/slow-down') res.writeHead(429, { 'retry-after': '120' }).end();
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const transport = (log?: (line: string) => void) => new Transport({ timeoutMs: 5000, maxRetries: 4, insecureHosts: ['127.0.0.1'], userAgent: 'test-agent/1', maxRetryWaitMs: 30_000, log });

  it('waits as Retry-After says on a 503, then succeeds; every request carries the User-Agent', async () => {
    const lines: string[] = [];
    const t = transport((l) => lines.push(l));
    try {
      seen.length = 0;
      const res = await t.fetchBuffered({ url: `${origin}/busy` }, 1024);
      assert.equal(res.status, 200);
      assert.equal(res.body.toString(), 'ok');
      assert.equal(seen.length, 3);
      assert.ok(seen.every((s) => s.agent === 'test-agent/1'));
      assert.deepEqual(
        lines.map((l) => /in (\d+) ms/.exec(l)?.[1]),
        ['1000', '1000'],
        'the waits came from Retry-After',
      );
    } finally {
      await t.close();
    }
  });

  it('a Retry-After beyond the retry budget returns the 429 at once for the caller to report', async () => {
    const t = transport();
    try {
      seen.length = 0;
      const res = await t.fetchBuffered({ url: `${origin}/slow-down` }, 1024);
      assert.equal(res.status, 429);
      assert.equal(seen.length, 1);
    } finally {
      await t.close();
    }
  });

  it('a refused connection is reported once, not retried; plain HTTP elsewhere is refused before any request', async () => {
    const lines: string[] = [];
    const t = transport((l) => lines.push(l));
    try {
      const error = await rejectsWith(t.fetchBuffered({ url: `http://127.0.0.1:${await freePort()}/v2/` }, 1024), 'unreachable');
      assert.equal(error.details.network, 'refused');
      assert.deepEqual(lines, [], 'no retry');
      await rejectsWith(t.fetchBuffered({ url: 'http://registry.example.com/v2/' }, 1024), 'insecure-refused');
    } finally {
      await t.close();
    }
  });
});
