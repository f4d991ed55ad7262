// Dispatcher choice: direct vs proxy per URL and per source, one pooled dispatcher per combination, and what the
// choice reports (the proxy's address and the TLS source, never credentials).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, ProxyAgent } from 'undici';
import { DispatcherPool } from '../../../core/oci/dispatcher-pool';
import { proxyRulesFromEnvironment } from '../../../core/oci/proxy-rules';

test('rules from the environment: proxied where they say, direct for NO_PROXY and loopback; dispatchers are reused', async () => {
  const pool = new DispatcherPool({ connectTimeoutMs: 1000, proxyRules: proxyRulesFromEnvironment({ HTTPS_PROXY: 'http://u:secret@proxy.corp:3128', NO_PROXY: 'internal.test' }) });
  try {
    const viaProxy = pool.choose(new URL('https://ghcr.io/v2/'));
    assert.ok(viaProxy.dispatcher instanceof ProxyAgent);
    assert.equal(viaProxy.proxy, 'http://proxy.corp:3128');
    assert.doesNotMatch(JSON.stringify({ ...viaProxy, dispatcher: undefined }), /secret/);
    assert.equal(pool.choose(new URL('https://quay.io/v2/')).dispatcher, viaProxy.dispatcher, 'one ProxyAgent for the same proxy');
    const direct = pool.choose(new URL('https://registry.internal.test/v2/'));
    assert.ok(direct.dispatcher instanceof Agent && !(direct.dispatcher instanceof ProxyAgent));
    assert.equal(direct.proxy, undefined);
    assert.equal(pool.choose(new URL('http://127.0.0.1:5000/v2/')).dispatcher, direct.dispatcher);
  } finally {
    await pool.close();
  }
});

test("a source's own proxy applies even where NO_PROXY would not proxy; its TLS material gets a dispatcher of its own", async () => {
  const pool = new DispatcherPool({ connectTimeoutMs: 1000, proxyRules: proxyRulesFromEnvironment({ NO_PROXY: '*' }) });
  try {
    const network = { proxy: { address: 'http://proxy.corp:3128', username: 'u', password: 'p', source: 'Secret a/p' } };
    const chosen = pool.choose(new URL('https://ghcr.io/v2/'), network);
    assert.equal(chosen.proxy, 'http://proxy.corp:3128');
    assert.equal(chosen.proxySource, 'Secret a/p');
    const withTls = pool.choose(new URL('https://ghcr.io/v2/'), { tls: { ca: 'PEM', source: 'Secret a/tls' } });
    const plain = pool.choose(new URL('https://ghcr.io/v2/'));
    assert.notEqual(withTls.dispatcher, plain.dispatcher);
    assert.equal(withTls.tlsSource, 'Secret a/tls');
    assert.equal(pool.proxyRules, undefined, 'NO_PROXY alone is no proxy in force');
  } finally {
    await pool.close();
  }
});
