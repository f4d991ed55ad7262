// Pure parsing: oci:// references, WWW-Authenticate challenges, Link headers, Retry-After, digests and credential key matching.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseOciReference, parseOciUrl } from '../../../core/oci/reference';
import { parseWwwAuthenticate, preferredChallenge } from '../../../core/oci/challenge';
import { nextLinkTarget } from '../../../core/oci/link-header';
import { parseRetryAfter } from '../../../core/oci/retry-policy';
import { parseDigest } from '../../../core/oci/digest';
import { findDockerConfigKey, findKeyringKey, keyringKeyMatches } from '../../../core/oci/credentials/host-matching';
import { decodeAuthEntry } from '../../../core/oci/credentials/auth-entry';
import { RegistryError } from '../../../core/oci/errors';
import { tokenLifetimeMs } from '../../../core/oci/token-cache';

describe('oci:// references', () => {
  it('parses host, port and path', () => {
    assert.deepEqual(parseOciUrl('oci://ghcr.io/stefanprodan/charts/podinfo'), { registry: 'ghcr.io', repository: 'stefanprodan/charts/podinfo' });
    assert.deepEqual(parseOciUrl('oci://127.0.0.1:5000/charts/app'), { registry: '127.0.0.1:5000', repository: 'charts/app' });
  });
  it('maps Docker Hub aliases and adds library/', () => {
    assert.deepEqual(parseOciUrl('oci://docker.io/nginx'), { registry: 'registry-1.docker.io', repository: 'library/nginx' });
    assert.equal(parseOciUrl('oci://index.docker.io/bitnami/redis').repository, 'bitnami/redis');
  });
  it('rejects tags in url, bad names and other schemes', () => {
    assert.throws(() => parseOciUrl('oci://ghcr.io/org/app:1.0'), RegistryError);
    assert.throws(() => parseOciUrl('https://ghcr.io/org/app'), /oci:\/\//);
    assert.throws(() => parseOciUrl('oci://ghcr.io/Org/App'), /not a valid repository name/);
    assert.throws(() => parseOciUrl('oci://ghcr.io'), /repository path/);
  });
  it('parses tag and digest references', () => {
    const d = `sha256:${'a'.repeat(64)}`;
    assert.equal(parseOciReference('oci://localhost:5000/a/b:1.2.3').tag, '1.2.3');
    assert.equal(parseOciReference('oci://localhost:5000/a/b:1.2.3').registry, 'localhost:5000');
    assert.equal(parseOciReference(`ghcr.io/a/b@${d}`).digest, d);
    assert.throws(() => parseOciReference('ghcr.io/a/b:bad+tag'), /not a valid tag/);
  });
});

describe('WWW-Authenticate', () => {
  it('parses Bearer with quoted params including commas', () => {
    const [c] = parseWwwAuthenticate('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"');
    assert.equal(c.scheme, 'bearer');
    assert.equal(c.params.scope, 'repository:samalba/my-app:pull,push');
    assert.equal(c.params.service, 'registry.docker.io');
  });
  it('parses several challenges and prefers Bearer', () => {
    const all = parseWwwAuthenticate('Basic realm="x", Bearer realm="https://t/token",error="insufficient_scope"');
    assert.deepEqual(
      all.map((c) => c.scheme),
      ['basic', 'bearer'],
    );
    assert.equal(preferredChallenge(all)?.params.error, 'insufficient_scope');
    assert.deepEqual(parseWwwAuthenticate(undefined), []);
  });
});

describe('Link, Retry-After, digests, token lifetimes', () => {
  it('finds rel="next" among several links', () => {
    assert.equal(nextLinkTarget('</v2/a/tags/list?n=2&last=b>; rel="next"'), '/v2/a/tags/list?n=2&last=b');
    assert.equal(nextLinkTarget('<https://x/prev>; rel="prev", <https://x/next?page=Q2>; rel="next"'), 'https://x/next?page=Q2');
    assert.equal(nextLinkTarget('<https://x/prev>; rel="prev"'), undefined);
  });
  it('reads Retry-After seconds and dates', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    const now = Date.parse('2024-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Mon, 01 Jan 2024 00:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
  it('validates digests strictly', () => {
    assert.ok(parseDigest(`sha256:${'a'.repeat(64)}`));
    assert.equal(parseDigest(`sha256:${'A'.repeat(64)}`), undefined);
    assert.equal(parseDigest(`sha512:${'a'.repeat(64)}`), undefined);
    assert.ok(parseDigest(`sha512:${'b'.repeat(128)}`));
  });
  it('keeps tokens until 30 s before expiry, half-life when short', () => {
    assert.equal(tokenLifetimeMs(300), 270_000);
    assert.equal(tokenLifetimeMs(60), 30_000);
    assert.equal(tokenLifetimeMs(2), 1000);
  });
});

describe('credential key matching', () => {
  it('Docker rules: exact key first, then same hostname; Docker Hub legacy key', () => {
    assert.equal(findDockerConfigKey(['https://ghcr.io', 'ghcr.io'], 'ghcr.io'), 'ghcr.io');
    assert.equal(findDockerConfigKey(['https://ghcr.io/v2/'], 'ghcr.io'), 'https://ghcr.io/v2/');
    assert.equal(findDockerConfigKey(['https://index.docker.io/v1/'], 'registry-1.docker.io'), 'https://index.docker.io/v1/');
    assert.equal(findDockerConfigKey(['quay.io'], 'ghcr.io'), undefined);
  });
  it('Flux keyring rules: globs per label, ports, path prefixes, reverse-sorted', () => {
    assert.ok(keyringKeyMatches('*.azurecr.io', 'myreg.azurecr.io', 'app'));
    assert.ok(!keyringKeyMatches('*.azurecr.io', 'a.b.azurecr.io', 'app'));
    assert.ok(!keyringKeyMatches('localhost', 'localhost:5000', 'app'));
    assert.ok(keyringKeyMatches('localhost:5000', 'localhost:5000', 'app'));
    assert.ok(keyringKeyMatches('ghcr.io/org', 'ghcr.io', 'org/app'));
    assert.ok(!keyringKeyMatches('ghcr.io/org', 'ghcr.io', 'organisation/app'));
    assert.ok(!keyringKeyMatches('docker.io', 'registry-1.docker.io', 'library/nginx'), 'a docker.io key never matches Docker Hub images');
    assert.equal(findKeyringKey(['ghcr.io', 'ghcr.io/org'], 'ghcr.io', 'org/app'), 'ghcr.io/org');
  });
  it('decodes auth entries: unpadded base64, colon in password, identity tokens', () => {
    const auth = Buffer.from('user:pa:ss').toString('base64').replace(/=+$/, '');
    assert.deepEqual(decodeAuthEntry({ auth }), { username: 'user', password: 'pa:ss' });
    assert.deepEqual(decodeAuthEntry({ identitytoken: 'tok' }), { identityToken: 'tok' });
    assert.equal(decodeAuthEntry({}), undefined);
  });
});
