// TLS options for undici's connectors from a CA bundle and a client certificate/key (mTLS): a source's certSecretRef
// (`ca.crt`/`tls.crt`/`tls.key`, or the older `caFile`/`certFile`/`keyFile`) or the CLI's --ca-file/--cert-file/--key-file.
import { readFileSync } from 'node:fs';
import { rootCertificates, type ConnectionOptions } from 'node:tls';
import { RegistryError } from './errors';
import type { TlsMaterial } from './network-options';

/** Secret keys Flux reads for certSecretRef, newest first. */
export const CERT_SECRET_KEYS = { ca: ['ca.crt', 'caFile'], cert: ['tls.crt', 'certFile'], key: ['tls.key', 'keyFile'] } as const;

/** The TLS material of a certSecretRef Secret's decoded data, or undefined when it holds none of the keys. */
export function tlsMaterialFromSecret(data: Record<string, string>, source: string): TlsMaterial | undefined {
  const pick = (keys: readonly string[]) => keys.map((k) => data[k]).find((v) => v !== undefined && v.trim() !== '');
  const material: TlsMaterial = { source };
  const ca = pick(CERT_SECRET_KEYS.ca);
  const cert = pick(CERT_SECRET_KEYS.cert);
  const key = pick(CERT_SECRET_KEYS.key);
  if (ca) material.ca = ca;
  if (cert) material.cert = cert;
  if (key) material.key = key;
  if (!ca && !cert && !key) return undefined;
  if (!cert !== !key)
    throw new RegistryError('invalid-reference', `${source} has ${cert ? 'a client certificate (tls.crt) without its key (tls.key)' : 'a client key (tls.key) without its certificate (tls.crt)'}.`);
  return material;
}

/** Reads --ca-file / --cert-file / --key-file; a file that cannot be read is a clear error naming the flag. */
export function tlsMaterialFromFiles(files: { caFile?: string; certFile?: string; keyFile?: string }): TlsMaterial | undefined {
  const read = (flag: string, path: string | undefined) => {
    if (!path) return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new RegistryError('invalid-reference', `${flag} ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
  };
  if (!files.certFile !== !files.keyFile)
    throw new RegistryError('invalid-reference', files.certFile ? '--cert-file needs --key-file (the client key).' : '--key-file needs --cert-file (the client certificate).');
  const data: Record<string, string> = {};
  const ca = read('--ca-file', files.caFile);
  const cert = read('--cert-file', files.certFile);
  const key = read('--key-file', files.keyFile);
  if (ca) data['ca.crt'] = ca;
  if (cert) data['tls.crt'] = cert;
  if (key) data['tls.key'] = key;
  const names = [files.caFile && `--ca-file ${files.caFile}`, files.certFile && `--cert-file ${files.certFile}`].filter(Boolean).join(', ');
  return tlsMaterialFromSecret(data, names || '--key-file');
}

/** One source's material over the client's: each part the source sets wins, the rest comes from the client. */
export function mergeTlsMaterial(base: TlsMaterial | undefined, over: TlsMaterial | undefined): TlsMaterial | undefined {
  if (!over) return base;
  if (!base) return over;
  const clientPair = over.cert ? { cert: over.cert, key: over.key } : { cert: base.cert, key: base.key };
  return { ca: over.ca ?? base.ca, ...clientPair, source: `${over.source} over ${base.source}` };
}

/** Connector options: a custom CA is added to Node's bundled roots (public registries keep working), a client pair for mTLS. */
export function tlsConnectOptions(material: TlsMaterial | undefined): ConnectionOptions {
  if (!material) return {};
  const options: ConnectionOptions = {};
  if (material.ca) options.ca = [...rootCertificates, material.ca];
  if (material.cert && material.key) {
    options.cert = material.cert;
    options.key = material.key;
  }
  return options;
}
