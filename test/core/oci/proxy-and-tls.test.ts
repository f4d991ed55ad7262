// The transport through a real CONNECT proxy to a TLS registry (private CA, client certificate required) that only the
// proxy can resolve: proxy rules from the environment, a source's own proxy and TLS material, NO_PROXY, and the failures.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RegistryClient } from '../../../core/oci/registry-client';
import { proxyRulesFromEnvironment } from '../../../core/oci/proxy-rules';
import type { TlsMaterial } from '../../../core/oci/network-options';
import { pushFluxArtifact } from '../../support/registry-push';
import { startPrivateNetwork, type PrivateNetwork } from '../../support/private-network';
import { rejectsWith } from './registry-assertions';

describe('registry requests through a proxy to a private-CA, mTLS registry', () => {
  let net: PrivateNetwork;
  let tls: TlsMaterial;
  const repo = () => ({ registry: net.host, repository: 'apps/web' });

  before(async () => {
    net = await startPrivateNetwork();
    for (const tag of ['1.0.0', '1.1.0']) await pushFluxArtifact(net.registry, 'apps/web', { tag });
    tls = { ca: net.ca.cert, cert: net.client.cert, key: net.client.key, source: 'test certSecretRef' };
  });
  after(async () => {
    await net?.stop();
  });

  it('lists tags with proxy rules from HTTPS_PROXY (credentials in the URL) and the CA and client certificate', async () => {
    const client = new RegistryClient({ proxyRules: proxyRulesFromEnvironment({ HTTPS_PROXY: net.proxyUrlWithCredentials }), tls });
    try {
      const before = net.front.withClientCertificate;
      const listing = await client.listTags(repo());
      assert.deepEqual([...listing.tags].sort(), ['1.0.0', '1.1.0']);
      assert.ok(net.proxy.tunnels.includes(net.host), `the proxy tunnelled to ${net.host}`);
      assert.ok(net.front.withClientCertificate > before, 'the registry saw the client certificate');
      const manifest = await client.getManifest(repo(), '1.1.0');
      assert.match(manifest.digest, /^sha256:/);
    } finally {
      await client.close();
    }
  });

  it('lower-case https_proxy works the same way', async () => {
    const client = new RegistryClient({ proxyRules: proxyRulesFromEnvironment({ https_proxy: net.proxyUrlWithCredentials }), tls });
    try {
      assert.equal((await client.listTags(repo())).tags.length, 2);
    } finally {
      await client.close();
    }
  });

  it("reaches it through a source's own proxy and TLS material alone (proxySecretRef + certSecretRef), with no proxy rules", async () => {
    const client = new RegistryClient({ proxyRules: proxyRulesFromEnvironment({}) });
    try {
      const network = { proxy: { address: net.proxy.url, ...net.proxyAuth, source: 'Secret apps/proxy' }, tls };
      const listing = await client.listTags(repo(), { network });
      assert.equal(listing.tags.length, 2);
      // The same client without the source's settings goes direct, where the name does not resolve.
      const error = await rejectsWith(client.listTags({ registry: net.host, repository: 'apps/other' }), 'unreachable');
      assert.match(error.message, /host name not found/);
      assert.equal(error.details.network, 'dns');
    } finally {
      await client.close();
    }
  });

  it('honours NO_PROXY: a matching host goes direct (and fails to resolve), other hosts keep the proxy', async () => {
    for (const noProxy of ['corp.test', '.corp.test', 'registry.corp.test', `registry.corp.test:${net.front.port}`, '*']) {
      const client = new RegistryClient({ proxyRules: proxyRulesFromEnvironment({ HTTPS_PROXY: net.proxyUrlWithCredentials, NO_PROXY: noProxy }), tls });
      try {
        const tunnels = net.proxy.tunnels.length;
        const error = await rejectsWith(client.listTags(repo()), 'unreachable');
        assert.equal(error.details.network, 'dns', `NO_PROXY=${noProxy}: ${error.message}`);
        assert.equal(net.proxy.tunnels.length, tunnels, `NO_PROXY=${noProxy}: nothing went through the proxy`);
      } finally {
        await client.close();
      }
    }
    const client = new RegistryClient({ proxyRules: proxyRulesFromEnvironment({ HTTPS_PROXY: net.proxyUrlWithCredentials, NO_PROXY: 'other.corp.test,registry.corp.test:1,10.0.0.0/8' }), tls });
    try {
      assert.equal((await client.listTags(repo())).tags.length, 2, 'non-matching NO_PROXY entries leave the proxy in use');
    } finally {
      await client.close();
    }
  });

  it('a wrong proxy password is a clear 407 message that repeats no credential, and is not retried', async () => {
    const wrong = new URL(net.proxy.url);
    wrong.username = net.proxyAuth.username;
    wrong.password = 'not-the-password';
    const client = new RegistryClient({ proxyRules: proxyRulesFromEnvironment({ HTTPS_PROXY: wrong.toString() }), tls });
    try {
      const refused = net.proxy.refused;
      const error = await rejectsWith(client.listTags(repo()), 'unreachable');
      assert.match(error.message, /proxy .*407|407.*proxy/i);
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${new URL(net.proxy.url).port}`), 'names the proxy');
      assert.doesNotMatch(error.message, /not-the-password|corp-user/);
      assert.equal(error.details.network, 'proxy');
      assert.equal(net.proxy.refused - refused, 1, 'one attempt: a refused tunnel is not retried');
    } finally {
      await client.close();
    }
  });

  it('without the private CA the certificate is refused with a TLS message; without the client certificate the handshake fails', async () => {
    const noCa = new RegistryClient({ proxyRules: proxyRulesFromEnvironment({ HTTPS_PROXY: net.proxyUrlWithCredentials }), maxRetries: 0 });
    try {
      const error = await rejectsWith(noCa.listTags(repo()), 'unreachable');
      assert.equal(error.details.network, 'tls', error.message);
      assert.match(error.message, /TLS certificate problem .*certSecretRef or --ca-file/);
    } finally {
      await noCa.close();
    }
    const noClientCert = new RegistryClient({ proxyRules: proxyRulesFromEnvironment({ HTTPS_PROXY: net.proxyUrlWithCredentials }), tls: { ca: net.ca.cert, source: 'CA only' }, maxRetries: 0 });
    try {
      await assert.rejects(noClientCert.listTags(repo()), (error: Error) => error.name === 'RegistryError' && /registry\.corp\.test/.test(error.message));
    } finally {
      await noClientCert.close();
    }
  });
});
