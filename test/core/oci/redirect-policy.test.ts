// The redirect layer: which blob redirects are followed and whether Authorization may go along (same origin only).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRedirect } from '../../../core/oci/redirect-policy';
import { type RegistryError } from '../../../core/oci/errors';

const from = new URL('https://ghcr.io/v2/org/app/blobs/sha256:abc');

test('same origin keeps Authorization; another origin (host, port or scheme) does not', () => {
  assert.equal(checkRedirect(from, '/v2/org/app/blobs/other', 'ghcr.io').sameOrigin, true);
  assert.equal(checkRedirect(from, 'https://pkg-containers.githubusercontent.com/blob?sig=x', 'ghcr.io').sameOrigin, false);
  assert.equal(checkRedirect(from, 'https://ghcr.io:8443/v2/x', 'ghcr.io').sameOrigin, false);
});

test('refuses downgrades, other schemes, missing locations and private addresses for a public registry', () => {
  const refused = (location: string | undefined, code: string) =>
    assert.throws(
      () => checkRedirect(from, location, 'ghcr.io'),
      (e: RegistryError) => e.code === code,
    );
  refused('http://cdn.example.com/blob', 'insecure-refused');
  refused('file:///etc/passwd', 'protocol');
  refused(undefined, 'protocol');
  refused('https://169.254.169.254/latest/meta-data', 'protocol');
  refused('https://10.0.0.8/blob', 'protocol');
  assert.equal(checkRedirect(new URL('http://127.0.0.1:5000/v2/x'), 'http://127.0.0.1:5001/blob', '127.0.0.1:5000').url.port, '5001', 'a loopback registry may redirect to loopback');
});
