// A throwaway certificate authority (openssl, in a temp dir) issuing server certificates for chosen DNS names/IPs and
// client certificates for mTLS. Test-only: keys stay in the temp dir, which remove() deletes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface IssuedCertificate {
  cert: string;
  key: string;
  certPath: string;
  keyPath: string;
}

export interface TestCa {
  /** PEM of the CA certificate, and its path (for --ca-file / NODE_EXTRA_CA_CERTS). */
  cert: string;
  certPath: string;
  /** A server certificate for `names` (DNS names or IP addresses), signed by this CA. */
  issueServer(names: string[]): IssuedCertificate;
  /** A client certificate (extendedKeyUsage clientAuth) for `commonName`. */
  issueClient(commonName: string): IssuedCertificate;
  remove(): void;
}

const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** Writes a fresh RSA key and a one-day self-signed certificate for `/CN=<commonName>` with the given -addext extensions. */
export function writeSelfSigned(commonName: string, extensions: string[], keyPath: string, certPath: string): void {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '1', '-subj', `/CN=${commonName}`, ...extensions.flatMap((e) => ['-addext', e]), '-keyout', keyPath, '-out', certPath]);
}

export function makeTestCa(name = 'flux-oci test CA'): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'flux-oci-pki-'));
  const caKey = join(dir, 'ca.key');
  const caCert = join(dir, 'ca.crt');
  writeSelfSigned(name, ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'], caKey, caCert);
  let serial = 1;
  const issue = (commonName: string, extensions: string): IssuedCertificate => {
    const base = join(dir, `issued-${serial++}`);
    const keyPath = `${base}.key`;
    const csr = `${base}.csr`;
    const certPath = `${base}.crt`;
    const extFile = `${base}.ext`;
    writeFileSync(extFile, extensions);
    openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${commonName}`, '-keyout', keyPath, '-out', csr]);
    openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      caCert,
      '-CAkey',
      caKey,
      '-set_serial',
      String(serial * 1000 + Math.floor(Math.random() * 1000)),
      '-days',
      '1',
      '-sha256',
      '-extfile',
      extFile,
      '-out',
      certPath,
    ]);
    return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), certPath, keyPath };
  };
  return {
    cert: readFileSync(caCert, 'utf8'),
    certPath: caCert,
    issueServer: (names) => {
      const san = names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
      return issue(names[0] ?? 'server', `subjectAltName=${san}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
    },
    issueClient: (commonName) => issue(commonName, 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
