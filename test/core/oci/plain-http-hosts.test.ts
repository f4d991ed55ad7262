// Which registry hosts may be spoken to over plain HTTP: loopback by default, listed hosts on any port, listed
// host:port on that port only; the same answer for the transport, cloud sign-in and the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOOPBACK_REGISTRY_HOSTS, isListedHost } from '../../../core/oci/plain-http-hosts';
import { Transport } from '../../../core/oci/transport';

test('loopback registries are listed on any port, IPv6 in brackets included; other hosts are not', () => {
  for (const host of ['127.0.0.1', '127.0.0.1:5000', 'localhost:5000', 'localhost', '[::1]:5000', '::1']) assert.equal(isListedHost(LOOPBACK_REGISTRY_HOSTS, host), true, host);
  for (const host of ['127.0.0.2:5000', 'localhost.example.com', 'ghcr.io', '[::2]:5000', 'evil-localhost:5000', '127.0.0.1.nip.io:5000'])
    assert.equal(isListedHost(LOOPBACK_REGISTRY_HOSTS, host), false, host);
});

test('an entry with a port lists only that port; one without lists every port', () => {
  const listed = ['registry.lan:5000', 'harbor.lan'];
  assert.equal(isListedHost(listed, 'registry.lan:5000'), true);
  assert.equal(isListedHost(listed, 'registry.lan:5001'), false);
  assert.equal(isListedHost(listed, 'registry.lan'), false);
  assert.equal(isListedHost(listed, 'harbor.lan:8080'), true);
  assert.equal(isListedHost(listed, 'harbor.lan'), true);
});

test('the transport allows plain HTTP exactly where the list does, or where the source says insecure', async () => {
  const transport = new Transport({ insecureHosts: ['registry.lan:5000', ...LOOPBACK_REGISTRY_HOSTS], timeoutMs: 1000, userAgent: 'test', maxRetries: 0 });
  try {
    assert.equal(transport.allowsPlainHttp('[::1]:5000'), true);
    assert.equal(transport.allowsPlainHttp('registry.lan:5000'), true);
    assert.equal(transport.allowsPlainHttp('registry.lan:5001'), false);
    assert.equal(transport.allowsPlainHttp('registry.lan:5001', true), true);
  } finally {
    await transport.close();
  }
});
