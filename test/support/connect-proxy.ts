// A real forward proxy for tests: an http server that answers CONNECT (tunnels, as corporate proxies do for https),
// with optional Basic proxy authentication and its own host table (names only it can resolve). Records what it was asked.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ConnectProxy {
  server: Server;
  /** `http://127.0.0.1:PORT` (no credentials). */
  url: string;
  /** `host:port` targets of CONNECTs that were let through. */
  tunnels: string[];
  /** CONNECTs refused for missing or wrong credentials. */
  refused: number;
  /** Proxy-Authorization headers seen (to check that only the proxy ever gets them). */
  authorizations: string[];
  close(): Promise<void>;
}

export interface ConnectProxyOptions {
  /** Required proxy credentials (Basic); none: the proxy is open. */
  auth?: { username: string; password: string };
  /** Names the proxy resolves itself, e.g. { 'registry.corp.test': '127.0.0.1' }; other names go to the system resolver. */
  hosts?: Record<string, string>;
}

export async function startConnectProxy(options: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const expected = options.auth ? `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}` : undefined;
  const sockets = new Set<Socket>();
  const proxy: Partial<ConnectProxy> & { tunnels: string[]; refused: number; authorizations: string[] } = { tunnels: [], refused: 0, authorizations: [] };
  const server = createServer((_req, res) => {
    res.writeHead(405, { 'content-type': 'text/plain' }).end('this test proxy only tunnels (CONNECT)');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    client.on('error', () => undefined);
    const given = req.headers['proxy-authorization'];
    if (given) proxy.authorizations.push(given);
    if (expected && given !== expected) {
      proxy.refused++;
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test-proxy"\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const target = req.url ?? '';
    const colon = target.lastIndexOf(':');
    const name = target.slice(0, colon);
    const port = Number(target.slice(colon + 1));
    const address = options.hosts?.[name] ?? name;
    const upstream = connect({ host: address, port }, () => {
      proxy.tunnels.push(target);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.server = server;
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return proxy as ConnectProxy;
}
