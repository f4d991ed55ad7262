// The proxy environment of the sign-in programs: the editor's or --proxy's rules replace the environment's (both cases),
// a source's own proxy carries everything (no NO_PROXY), and without a proxy the environment is left as it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { programProxyEnvironment } from '../../../../core/oci/credentials/program-proxy-env';
import { proxyRulesFromEditor } from '../../../../core/oci/proxy-rules';

test("the editor's http.proxy and http.noProxy reach the programs in both cases; other variables stay", () => {
  const env = { PATH: '/bin', https_proxy: 'http://old:3128', NO_PROXY: 'a.test' };
  const rules = proxyRulesFromEditor({ proxy: 'http://u:p@proxy.corp:3128', noProxy: ['.internal.test'] }, env);
  const out = programProxyEnvironment(env, { proxyRules: rules });
  assert.equal(out.PATH, '/bin');
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) assert.equal(out[name], 'http://u:p@proxy.corp:3128', name);
  assert.equal(out.NO_PROXY, 'a.test,.internal.test');
  assert.equal(out.no_proxy, 'a.test,.internal.test');
  assert.equal(env.https_proxy, 'http://old:3128', 'the caller’s environment is not changed');
});

test("a source's proxySecretRef proxy carries every request, its credentials encoded; no rules, no change", () => {
  const env = { NO_PROXY: '*' };
  const out = programProxyEnvironment(env, {}, { address: 'https://proxy.corp:8443', username: 'me@corp', password: 'p:w/d', source: 'Secret apps/proxy' });
  assert.equal(out.HTTPS_PROXY, 'https://me%40corp:p%3Aw%2Fd@proxy.corp:8443');
  assert.equal(out.NO_PROXY, undefined);
  assert.equal(programProxyEnvironment(env, {}), env);
});
