// TLS material from certSecretRef data (new and older keys), from CLI files, merged client-over-source, and as connector
// options (a custom CA is added to the bundled roots, not instead of them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rootCertificates } from 'node:tls';
import { mergeTlsMaterial, tlsConnectOptions, tlsMaterialFromFiles, tlsMaterialFromSecret } from '../../../core/oci/tls-material';
import { type RegistryError } from '../../../core/oci/errors';

test('certSecretRef keys: ca.crt/tls.crt/tls.key, and the older caFile/certFile/keyFile', () => {
  assert.deepEqual(tlsMaterialFromSecret({ 'ca.crt': 'CA', 'tls.crt': 'CRT', 'tls.key': 'KEY' }, 's'), { ca: 'CA', cert: 'CRT', key: 'KEY', source: 's' });
  assert.deepEqual(tlsMaterialFromSecret({ caFile: 'CA2', certFile: 'C2', keyFile: 'K2' }, 's'), { ca: 'CA2', cert: 'C2', key: 'K2', source: 's' });
  assert.deepEqual(tlsMaterialFromSecret({ 'ca.crt': 'NEW', caFile: 'OLD' }, 's'), { ca: 'NEW', source: 's' });
  assert.equal(tlsMaterialFromSecret({ unrelated: 'x' }, 's'), undefined);
});

test('a client certificate without its key (or the reverse) is refused, naming the Secret and not the value', () => {
  assert.throws(
    () => tlsMaterialFromSecret({ 'tls.crt': 'CERT-VALUE' }, 'Secret apps/tls'),
    (e: RegistryError) => /Secret apps\/tls has a client certificate/.test(e.message) && !e.message.includes('CERT-VALUE'),
  );
  assert.throws(() => tlsMaterialFromFiles({ certFile: '/x' }), /--cert-file needs --key-file/);
  assert.throws(() => tlsMaterialFromFiles({ caFile: '/definitely/not/here.pem' }), /--ca-file \/definitely\/not\/here\.pem cannot be read \(ENOENT\)/);
});

test('merge: the source wins part by part; a client pair is never mixed', () => {
  const base = { ca: 'BASE-CA', cert: 'BASE-C', key: 'BASE-K', source: '--ca-file' };
  assert.deepEqual(mergeTlsMaterial(base, { ca: 'SRC-CA', source: 'Secret' }), { ca: 'SRC-CA', cert: 'BASE-C', key: 'BASE-K', source: 'Secret over --ca-file' });
  assert.deepEqual(mergeTlsMaterial(base, { cert: 'C', key: 'K', source: 'Secret' })?.cert, 'C');
  assert.equal(mergeTlsMaterial(undefined, undefined), undefined);
});

test('connector options keep the public roots next to a private CA', () => {
  const options = tlsConnectOptions({ ca: 'PRIVATE', source: 's' });
  assert.ok(Array.isArray(options.ca));
  assert.equal((options.ca as string[]).length, rootCertificates.length + 1);
  assert.equal((options.ca as string[]).at(-1), 'PRIVATE');
  assert.deepEqual(tlsConnectOptions(undefined), {});
});
