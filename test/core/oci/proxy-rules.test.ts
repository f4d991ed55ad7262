// Proxy rules from the environment (upper and lower case) and from VS Code's settings, proxy address parsing
// (no scheme = http, userinfo split off, other schemes refused without echoing the address), and per-scheme choice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProxySelector, parseProxyAddress, proxyRulesFromEditor, proxyRulesFromEnvironment } from '../../../core/oci/proxy-rules';
import { type RegistryError } from '../../../core/oci/errors';

test('environment: upper case wins over lower case, empty values count as unset (Go getEnvAny)', () => {
  const rules = proxyRulesFromEnvironment({ HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2', http_proxy: 'http://plain:3', NO_PROXY: '', no_proxy: 'corp.test' });
  assert.equal(rules.httpsProxy, 'http://upper:1');
  assert.equal(rules.httpProxy, 'http://plain:3');
  assert.equal(rules.noProxy, 'corp.test');
  assert.equal(proxyRulesFromEnvironment({}).httpsProxy, undefined);
});

test('https URLs use HTTPS_PROXY only, http URLs HTTP_PROXY only (as Go does)', () => {
  const onlyHttp = new ProxySelector(proxyRulesFromEnvironment({ HTTP_PROXY: 'proxy.corp:3128' }));
  assert.equal(onlyHttp.proxyFor(new URL('https://ghcr.io/v2/')), undefined);
  assert.equal(onlyHttp.proxyFor(new URL('http://registry.lan/v2/'))?.address, 'http://proxy.corp:3128');
  const both = new ProxySelector(proxyRulesFromEnvironment({ HTTPS_PROXY: 'https://secure.corp:8443', NO_PROXY: 'ghcr.io' }));
  assert.equal(both.proxyFor(new URL('https://quay.io/v2/'))?.address, 'https://secure.corp:8443');
  assert.equal(both.proxyFor(new URL('https://ghcr.io/v2/')), undefined);
  assert.match(both.proxyFor(new URL('https://quay.io/'))!.source, /HTTPS_PROXY/);
});

test('VS Code settings: http.proxy replaces the environment, http.noProxy adds to NO_PROXY, strict SSL defaults on', () => {
  const env = { HTTPS_PROXY: 'http://env:1', NO_PROXY: 'a.test' };
  const editor = proxyRulesFromEditor({ proxy: 'http://editor:2', noProxy: ['b.test'] }, env);
  assert.equal(editor.httpsProxy, 'http://editor:2');
  assert.equal(editor.noProxy, 'a.test,b.test');
  assert.equal(editor.proxyStrictSsl, true);
  assert.match(editor.origin, /VS Code/);
  const unset = proxyRulesFromEditor({ proxy: '', proxyStrictSsl: false }, env);
  assert.equal(unset.httpsProxy, 'http://env:1', 'an empty http.proxy leaves the environment in charge');
  assert.equal(unset.proxyStrictSsl, false);
});

test('proxy addresses: userinfo is split off; socks and garbage are refused without repeating the address', () => {
  const parsed = parseProxyAddress('http://user%40corp:p%3Ass@proxy.corp:3128', 'test');
  assert.deepEqual(parsed, { address: 'http://proxy.corp:3128', username: 'user@corp', password: 'p:ss', source: 'test' });
  assert.throws(
    () => parseProxyAddress('socks5://u:secret@proxy:1080', 'Secret a/b'),
    (error: RegistryError) => /only http:\/\/ and https:\/\//.test(error.message) && !error.message.includes('secret'),
  );
  assert.throws(
    () => parseProxyAddress('http://u:secret@[bad', 'Secret a/b'),
    (error: RegistryError) => /not a URL/.test(error.message) && !error.message.includes('secret'),
  );
});
