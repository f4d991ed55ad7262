// An https front for a plain-HTTP registry (the real docker-registry behind it): a server certificate from a test CA
// for chosen names, optionally demanding a client certificate from that CA (mTLS). Counts requests and client certificates.
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { IssuedCertificate } from './test-pki';

export interface TlsFront {
  server: Server;
  port: number;
  /** Requests served, and how many of them came with an authorized client certificate. */
  requests: number;
  withClientCertificate: number;
  close(): Promise<void>;
}

export interface TlsFrontOptions {
  /** `http://127.0.0.1:PORT` of the registry behind. */
  upstream: string;
  certificate: IssuedCertificate;
  /** PEM CA whose client certificates are required (mTLS). */
  requireClientCa?: string;
}

export async function startTlsFront(options: TlsFrontOptions): Promise<TlsFront> {
  const upstream = new URL(options.upstream);
  const front: Partial<TlsFront> & { requests: number; withClientCertificate: number } = { requests: 0, withClientCertificate: 0 };
  const server = createServer(
    {
      cert: options.certificate.cert,
      key: options.certificate.key,
      ...(options.requireClientCa ? { ca: options.requireClientCa, requestCert: true, rejectUnauthorized: true } : {}),
    },
    (req, res) => {
      front.requests++;
      if ((req.socket as TLSSocket).authorized) front.withClientCertificate++;
      const headers = { ...req.headers, host: upstream.host };
      const up = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  front.server = server;
  front.port = (server.address() as AddressInfo).port;
  front.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return front as TlsFront;
}
