// NO_PROXY matching as Go's httpproxy does it (cases follow its documented rules): suffixes, leading dots, `*.`, ports,
// IPs, CIDR ranges, `*`, and loopback always direct.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bypassesProxy, parseNoProxy } from '../../../core/oci/no-proxy';

const bypass = (noProxy: string, url: string) => bypassesProxy(new URL(url), parseNoProxy(noProxy));

test('a plain domain covers itself and its subdomains, not look-alikes', () => {
  assert.equal(bypass('example.com', 'https://example.com/v2/'), true);
  assert.equal(bypass('example.com', 'https://registry.example.com/v2/'), true);
  assert.equal(bypass('example.com', 'https://badexample.com/v2/'), false);
  assert.equal(bypass('example.com', 'https://example.com.evil.io/v2/'), false);
});

test('a leading dot (or *.) covers subdomains only', () => {
  assert.equal(bypass('.example.com', 'https://a.example.com/'), true);
  assert.equal(bypass('.example.com', 'https://example.com/'), false);
  assert.equal(bypass('*.example.com', 'https://a.b.example.com/'), true);
  assert.equal(bypass('*.example.com', 'https://example.com/'), false);
});

test('ports must match when given; the default port counts', () => {
  assert.equal(bypass('example.com:5000', 'https://example.com:5000/'), true);
  assert.equal(bypass('example.com:5000', 'https://example.com/'), false);
  assert.equal(bypass('example.com:443', 'https://example.com/'), true);
  assert.equal(bypass('example.com:80', 'http://example.com/'), true);
});

test('IP addresses, with and without a port, and CIDR ranges (IPv4 and IPv6)', () => {
  assert.equal(bypass('10.1.2.3', 'https://10.1.2.3/'), true);
  assert.equal(bypass('10.1.2.3', 'https://10.1.2.4/'), false);
  assert.equal(bypass('10.1.2.3:8443', 'https://10.1.2.3:8443/'), true);
  assert.equal(bypass('10.1.2.3:8443', 'https://10.1.2.3/'), false);
  assert.equal(bypass('10.0.0.0/8', 'https://10.200.0.1/'), true);
  assert.equal(bypass('10.0.0.0/8', 'https://11.0.0.1/'), false);
  assert.equal(bypass('fd00::/8', 'https://[fd12::1]/'), true);
  assert.equal(bypass('[2001:db8::1]:443', 'https://[2001:db8::1]/'), true);
  assert.equal(bypass('10.0.0.0/8', 'https://ten.example.com/'), false, 'a CIDR never matches a name');
});

test('`*` bypasses everything; entries are trimmed and case-insensitive; malformed ones are skipped', () => {
  assert.equal(bypass('*', 'https://anything.io/'), true);
  assert.equal(bypass(' Example.COM , other.io', 'https://registry.example.com/'), true);
  assert.equal(bypass(':8080,,  ,10.0.0.0/99', 'https://registry.example.com/'), false);
});

test('localhost and loopback addresses never go through a proxy, whatever NO_PROXY says', () => {
  assert.equal(bypass('', 'http://localhost:5000/'), true);
  assert.equal(bypass('', 'http://127.0.0.1:5000/'), true);
  assert.equal(bypass('', 'http://[::1]:5000/'), true);
  assert.equal(bypass('', 'https://ghcr.io/'), false);
});
