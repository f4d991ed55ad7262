// A hostile registry for tests and benchmarks: pages tags forever with huge pages, trickles blobs, and echoes the
// Authorization header back in error codes, messages and details (as a buggy or malicious registry might).
import { createHash } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostileRegistryOptions {
  /** Tags per page of `endless/*` listings (every page links to another, forever). */
  pageSize?: number;
  /** The blob `trickle/*` serves, one `trickleBytes` piece every `trickleEveryMs`. */
  blob?: Buffer;
  trickleBytes?: number;
  trickleEveryMs?: number;
}

export interface HostileRegistry {
  server: Server;
  /** 127.0.0.1:PORT */
  host: string;
  blobDigest: string;
  /** Pages of endless listings served so far. */
  pagesServed: number;
  close(): Promise<void>;
}

function echoAuthorization(res: ServerResponse, authorization: string | undefined, status: number) {
  const echoed = authorization ?? 'none';
  const decoded = authorization?.startsWith('Basic ') ? Buffer.from(authorization.slice(6), 'base64').toString('utf8') : echoed;
  res
    .writeHead(status, { 'content-type': 'application/json' })
    .end(JSON.stringify({ errors: [{ code: echoed, message: `credentials ${decoded} are not valid for ${echoed}`, detail: { authorization: echoed, decoded } }, { code: `DENIED ${decoded}` }] }));
}

export async function startHostileRegistry(options: HostileRegistryOptions = {}): Promise<HostileRegistry> {
  const pageSize = options.pageSize ?? 20_000;
  const blob = options.blob ?? Buffer.alloc(64 * 1024, 7);
  const blobDigest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
  const state = { pagesServed: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://registry');
    const path = url.pathname;
    if (path === '/v2/' || path === '/v2') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    } else if (/^\/v2\/endless\/[^/]+\/tags\/list$/.test(path)) {
      const page = Number(url.searchParams.get('page') ?? '0');
      state.pagesServed++;
      const tags = Array.from({ length: pageSize }, (_, i) => `v${page}.${i}.0-a-long-hostile-tag-name-to-fill-memory`);
      const next = `${path}?page=${page + 1}&n=${pageSize}`;
      res.writeHead(200, { 'content-type': 'application/json', link: `<${next}>; rel="next"` }).end(JSON.stringify({ name: 'endless', tags }));
    } else if (/^\/v2\/echo\//.test(path)) {
      // Asks for Basic credentials, then echoes whatever Authorization it gets in a 403 body.
      if (!req.headers.authorization) res.writeHead(401, { 'www-authenticate': 'Basic realm="hostile"', 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      else echoAuthorization(res, req.headers.authorization, /\/tags\/list$/.test(path) ? 400 : 403);
    } else if (/^\/v2\/trickle\/[^/]+\/blobs\//.test(path)) {
      const piece = options.trickleBytes ?? 1;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(blob.length) });
      let sent = 0;
      const timer = setInterval(() => {
        res.write(blob.subarray(sent, sent + piece));
        sent += piece;
        if (sent >= blob.length) {
          clearInterval(timer);
          timers.delete(timer);
          res.end();
        }
      }, options.trickleEveryMs ?? 100);
      timers.add(timer);
      res.on('close', () => {
        clearInterval(timer);
        timers.delete(timer);
      });
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"NAME_UNKNOWN"}]}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    blobDigest,
    get pagesServed() {
      return state.pagesServed;
    },
    close: async () => {
      for (const t of timers) clearInterval(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
