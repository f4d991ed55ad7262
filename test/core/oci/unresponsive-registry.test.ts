// Registries that do not answer, answer too slowly (slowloris bodies) or refuse connections: one request's time budget
// is the timeout, never multiplied by retries, and a body trickled in slowly is cut off by the same budget.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { RegistryClient } from '../../../core/oci/registry-client';
import { RegistryError } from '../../../core/oci/errors';
import { freePort } from '../../support/registry';

const isCode = (code: string) => (error: unknown) => {
  assert.ok(error instanceof RegistryError, String(error));
  assert.equal(error.code, code, error.message);
  return true;
};

describe('unresponsive registries', () => {
  let silent: TcpServer;
  let slow: Server;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let silentConnections = 0;
  let slowRequests = 0;
  const port = (s: TcpServer | Server) => (s.address() as AddressInfo).port;

  before(async () => {
    // Accepts connections and never says a word.
    silent = createTcpServer((socket) => {
      silentConnections++;
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    // Sends headers at once, then one byte of the tag list every 100 ms (a real body would take minutes).
    slow = createServer((req, res) => {
      slowRequests++;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
      const timer = setInterval(() => res.write(' '), 100);
      timers.add(timer);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    for (const t of timers) clearInterval(t);
    for (const s of sockets) s.destroy();
    slow.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    await new Promise<void>((resolve) => slow.close(() => resolve()));
  });

  it('a registry that never answers times out once: the timeout is not retried', async () => {
    const client = new RegistryClient({ timeoutMs: 300, maxRetries: 4 });
    try {
      await assert.rejects(client.listTags({ registry: `127.0.0.1:${port(silent)}`, repository: 'x' }), isCode('timeout'));
      assert.equal(client.stats().requests, 1);
      assert.equal(silentConnections, 1);
    } finally {
      await client.close();
    }
  });

  it('a slowloris body is cut off by the request timeout, not only the headers', async () => {
    const client = new RegistryClient({ timeoutMs: 400, maxRetries: 4 });
    try {
      await assert.rejects(client.listTags({ registry: `127.0.0.1:${port(slow)}`, repository: 'x' }), isCode('timeout'));
      assert.equal(slowRequests, 1);
    } finally {
      await client.close();
    }
  });

  it('a refused connection fails at once, without retries', async () => {
    const client = new RegistryClient({ maxRetries: 4 });
    try {
      const closedPort = await freePort();
      await assert.rejects(client.getManifest({ registry: `127.0.0.1:${closedPort}`, repository: 'x' }, 'v1'), (error: unknown) => {
        isCode('unreachable')(error);
        assert.match((error as Error).message, /connection refused/);
        return true;
      });
      assert.equal(client.stats().requests, 1);
    } finally {
      await client.close();
    }
  });
});
