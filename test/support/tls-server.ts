// A throwaway self-signed certificate for 127.0.0.1 (made with openssl in a temp dir) and an https server using it.
// Test-only: the key never leaves the temp dir, which close() removes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSelfSigned } from './test-pki';

export interface SelfSignedCertificate {
  /** The temp dir holding cert.pem and key.pem. */
  dir: string;
  /** Path of the PEM certificate (what NODE_EXTRA_CA_CERTS should point at to trust it). */
  certPath: string;
  cert: Buffer;
  key: Buffer;
  remove(): void;
}

/** A self-signed certificate (no CA) valid for IP 127.0.0.1 and localhost, for one day. */
export function makeSelfSignedCertificate(): SelfSignedCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'flux-oci-tls-'));
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  try {
    writeSelfSigned('127.0.0.1', ['subjectAltName=IP:127.0.0.1,DNS:localhost'], keyPath, certPath);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    certPath,
    cert: readFileSync(certPath),
    key: readFileSync(keyPath),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface TlsTestServer {
  server: Server;
  /** `https://127.0.0.1:<port>` */
  origin: string;
  certificate: SelfSignedCertificate;
  /** Stops the server (dropping open connections) and removes the certificate's temp dir. */
  close(): Promise<void>;
}

/** Starts an https server on 127.0.0.1 with a fresh self-signed certificate. */
export async function startTlsServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TlsTestServer> {
  const certificate = makeSelfSignedCertificate();
  const server = createServer({ cert: certificate.cert, key: certificate.key }, handler);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    certificate.remove();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `https://127.0.0.1:${port}`,
    certificate,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      certificate.remove();
    },
  };
}
