// The network line for the status bar and output channel: proxy address without credentials, NO_PROXY, CA bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeNetwork } from '../../../core/oci/network-summary';
import { proxyRulesFromEditor, proxyRulesFromEnvironment } from '../../../core/oci/proxy-rules';

test('names the proxy and where it came from, never its password', () => {
  const line = describeNetwork(proxyRulesFromEditor({ proxy: 'http://alice:hunter22@proxy.corp:3128', noProxy: ['.corp.test'], proxyStrictSsl: false }, {}), {});
  assert.match(line, /Proxy: http:\/\/proxy\.corp:3128 from VS Code settings \(http\.proxy\)/);
  assert.match(line, /NO_PROXY: \.corp\.test/);
  assert.match(line, /not verified \(http\.proxyStrictSSL: false\)/);
  assert.doesNotMatch(line, /hunter22|alice/);
});

test('direct connections and the CA bundle in use', () => {
  assert.match(
    describeNetwork(proxyRulesFromEnvironment({}), { NODE_EXTRA_CA_CERTS: '/etc/corp-ca.pem' }),
    /^Proxy: none \(direct\); CA bundle: Node's bundled roots \+ NODE_EXTRA_CA_CERTS \(\/etc\/corp-ca\.pem\)/,
  );
  assert.match(
    describeNetwork(proxyRulesFromEnvironment({ HTTPS_PROXY: 'proxy:8080', HTTP_PROXY: 'http://other:80' }), {}),
    /Proxy: http:\/\/proxy:8080 for https, http:\/\/other for http from environment/,
  );
});
