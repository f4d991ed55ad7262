// Node agents for the cloud SDKs: the same proxy choice as the DispatcherPool (NO_PROXY, loopback, a source's own proxy),
// a real https request tunnelled through an authenticating CONNECT proxy to a private-CA host, and no credential reported;
// http.proxyStrictSSL reaches an https:// proxy's certificate only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, createServer as createHttpsServer, request } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { NodeAgents } from '../../../core/oci/node-agents';
import { proxyRulesFromEnvironment } from '../../../core/oci/proxy-rules';
import { startConnectProxy } from '../../support/connect-proxy';
import { makeTestCa } from '../../support/test-pki';
import { startTlsFront } from '../../support/tls-front';
import { startRegistry } from '../../support/registry';

const classes = { HttpsProxyAgent, HttpProxyAgent };

test('proxied where the rules say, direct (no agent) for NO_PROXY and loopback; one agent per proxy and scheme; no password reported', () => {
  const agents = new NodeAgents(
    { proxyRules: proxyRulesFromEnvironment({ HTTPS_PROXY: 'http://u:secret-9@proxy.corp:3128', HTTP_PROXY: 'http://proxy.corp:3128', NO_PROXY: '.internal.test' }) },
    classes,
  );
  try {
    const viaProxy = agents.choose(new URL('https://api.ecr.eu-west-1.amazonaws.com/'));
    assert.ok(viaProxy.agent instanceof HttpsProxyAgent);
    assert.equal(viaProxy.proxy, 'http://proxy.corp:3128');
    assert.doesNotMatch(JSON.stringify({ proxy: viaProxy.proxy }), /secret-9/);
    assert.equal(agents.choose(new URL('https://sts.googleapis.com/v1/token')).agent, viaProxy.agent, 'one tunnel agent for the same proxy');
    assert.ok(agents.choose(new URL('http://metadata.example/')).agent instanceof HttpProxyAgent, 'http:// URLs get the plain forward-proxy agent');
    assert.deepEqual(agents.choose(new URL('https://ecr.internal.test/')), {}, 'NO_PROXY: the library default, direct');
    assert.deepEqual(agents.choose(new URL('https://127.0.0.1:8443/')), {}, 'loopback is never proxied');
  } finally {
    agents.destroy();
  }
});

test("a source's own proxy wins over NO_PROXY; TLS material alone gives a direct https agent carrying the CA", () => {
  const agents = new NodeAgents({ proxyRules: proxyRulesFromEnvironment({ NO_PROXY: '*' }), tls: { ca: 'PEM', source: '--ca-file ca.pem' } }, classes);
  try {
    const sourceProxy = { address: 'http://proxy.corp:3128', username: 'u', password: 'p', source: 'Secret apps/proxy' };
    assert.equal(agents.choose(new URL('https://api.ecr.us-east-1.amazonaws.com/'), sourceProxy).proxy, 'http://proxy.corp:3128');
    const direct = agents.choose(new URL('https://api.ecr.us-east-1.amazonaws.com/'));
    assert.ok(direct.agent instanceof HttpsAgent && !(direct.agent instanceof HttpsProxyAgent));
    assert.equal(direct.proxy, undefined);
    assert.deepEqual(agents.choose(new URL('http://api.example/')), {}, 'plain http needs no CA');
  } finally {
    agents.destroy();
  }
});

test('a real request: CONNECT with the proxy credentials to a name only the proxy resolves, verified against the private CA', async () => {
  const registry = await startRegistry();
  const ca = makeTestCa();
  const front = await startTlsFront({ upstream: registry.url, certificate: ca.issueServer(['token.cloud.test']) });
  const auth = { username: 'agent-user', password: 'agent-pass-p@ss:w/rd' };
  const proxy = await startConnectProxy({ auth, hosts: { 'token.cloud.test': '127.0.0.1' } });
  const proxyUrl = new URL(proxy.url);
  const agents = new NodeAgents({ proxyRules: { httpsProxy: proxy.url, origin: 'test' }, tls: { ca: ca.cert, source: 'test CA' } }, classes);
  // The credentials go in as a ProxyEndpoint (as a proxySecretRef gives them), special characters and all.
  const sourceProxy = { address: `http://${proxyUrl.host}`, ...auth, source: 'Secret apps/proxy' };
  try {
    const url = new URL(`https://token.cloud.test:${front.port}/v2/`);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, { agent: agents.choose(url, sourceProxy).agent }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 200);
    assert.deepEqual(proxy.tunnels, [`token.cloud.test:${front.port}`]);
    assert.equal(proxy.refused, 0);
    assert.deepEqual(proxy.authorizations, [`Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`]);
  } finally {
    agents.destroy();
    await proxy.close();
    await front.close();
    await registry.stop();
    ca.remove();
  }
});

/** A CONNECT proxy over TLS (an https:// proxy), its certificate from a CA nobody here trusts; records its tunnels. */
async function startHttpsConnectProxy(certificate: { cert: string; key: string }, hosts: Record<string, string>) {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpsServer(certificate);
  server.on('connect', (req: IncomingMessage, client: Socket) => {
    const [name, port] = [req.url!.slice(0, req.url!.lastIndexOf(':')), Number(req.url!.slice(req.url!.lastIndexOf(':') + 1))];
    const upstream = connect({ host: hosts[name] ?? name, port }, () => {
      tunnels.push(req.url!);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

test("http.proxyStrictSSL false leaves an https proxy's own certificate unverified, never the target's", async () => {
  const registry = await startRegistry();
  const proxyCa = makeTestCa('untrusted proxy CA');
  const targetCa = makeTestCa('target CA');
  const front = await startTlsFront({ upstream: registry.url, certificate: targetCa.issueServer(['token.cloud.test']) });
  const proxy = await startHttpsConnectProxy(proxyCa.issueServer(['127.0.0.1']), { 'token.cloud.test': '127.0.0.1' });
  const url = new URL(`https://token.cloud.test:${front.port}/v2/`);
  const get = (agents: NodeAgents) =>
    new Promise<number>((resolve, reject) => {
      const req = request(url, { agent: agents.choose(url).agent }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
  const rules = (proxyStrictSsl: boolean) => ({ httpsProxy: proxy.url, proxyStrictSsl, origin: 'VS Code settings (http.proxy)' });
  const lax = new NodeAgents({ proxyRules: rules(false), tls: { ca: targetCa.cert, source: 'target CA' } }, classes);
  const strict = new NodeAgents({ proxyRules: rules(true), tls: { ca: targetCa.cert, source: 'target CA' } }, classes);
  const laxWithoutTargetCa = new NodeAgents({ proxyRules: rules(false) }, classes);
  try {
    assert.equal(await get(lax), 200);
    assert.deepEqual(proxy.tunnels, [url.host]);
    await assert.rejects(get(strict), /self-signed|unable to (verify|get)/i, "the proxy's certificate is verified by default");
    await assert.rejects(get(laxWithoutTargetCa), /self-signed|unable to (verify|get)/i, "the target's certificate is still verified");
    assert.equal(proxy.tunnels.length, 2, 'the lax agent reached the target through the proxy before the target refused');
  } finally {
    for (const agents of [lax, strict, laxWithoutTargetCa]) agents.destroy();
    await proxy.close();
    await front.close();
    await registry.stop();
    proxyCa.remove();
    targetCa.remove();
  }
});
