// `flux-oci tags` and `flux-oci check --online` reach a TLS registry (private CA, client certificate required) under a
// name only an authenticated CONNECT proxy resolves: through environment variables and flags, and through an
// OCIRepository's proxySecretRef + certSecretRef alone. NO_PROXY is honoured; no credential is ever printed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';
import { pushFluxArtifact } from '../support/registry-push';
import { proxySecretManifest, registryTlsSecretManifest, startPrivateNetwork, type PrivateNetwork } from '../support/private-network';

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

/** Runs with exactly these proxy variables set (and the others unset), restoring the environment afterwards. */
async function withProxyEnv<T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(PROXY_VARIABLES.map((k) => [k, process.env[k]]));
  for (const k of PROXY_VARIABLES) delete process.env[k];
  Object.assign(process.env, env);
  try {
    return await run();
  } finally {
    for (const k of PROXY_VARIABLES) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

/** `text` indented four spaces a line, for a YAML block scalar under a two-space key. */
const blockScalar = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');

describe('flux-oci through a proxy to a private-CA, mTLS registry', () => {
  let net: PrivateNetwork;
  let dir: string;
  let cacheDir: string;
  let tlsFlags: string[];

  before(async () => {
    net = await startPrivateNetwork();
    for (const tag of ['1.0.0', '1.2.0', '2.0.0']) await pushFluxArtifact(net.registry, 'apps/web', { tag });
    dir = mkdtempSync(join(tmpdir(), 'flux-oci-network-'));
    cacheDir = mkdtempSync(join(tmpdir(), 'flux-oci-network-cache-'));
    tlsFlags = ['--ca-file', net.ca.certPath, '--cert-file', net.client.certPath, '--key-file', net.client.keyPath];
  });
  after(async () => {
    await net?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  });

  it('tags: HTTPS_PROXY from the environment with --ca-file/--cert-file/--key-file', async () => {
    const result = await withProxyEnv({ HTTPS_PROXY: net.proxyUrlWithCredentials }, () => runCli(['tags', `oci://${net.host}/apps/web`, ...tlsFlags]));
    assert.equal(result.code, 0, result.err);
    assert.deepEqual(result.out.trim().split('\n'), ['2.0.0', '1.2.0', '1.0.0']);
    assert.ok(net.proxy.tunnels.includes(net.host));
  });

  it('tags: --proxy on the command line, and NO_PROXY sends the host direct (where its name does not resolve)', async () => {
    const viaFlag = await withProxyEnv({}, () => runCli(['tags', `oci://${net.host}/apps/web`, '--proxy', net.proxyUrlWithCredentials, ...tlsFlags, '--semver', '1.x']));
    assert.equal(viaFlag.code, 0, viaFlag.err);
    assert.equal(viaFlag.out.trim(), '1.2.0');
    const bypassed = await withProxyEnv({ https_proxy: net.proxyUrlWithCredentials, no_proxy: '.corp.test' }, () => runCli(['tags', `oci://${net.host}/apps/web`, ...tlsFlags]));
    assert.equal(bypassed.code, 2);
    assert.match(bypassed.err, /Cannot reach registry\.corp\.test:\d+: host name not found/);
  });

  it('tags: a missing CA file and a proxy password never show up wrongly', async () => {
    const missing = await withProxyEnv({}, () => runCli(['tags', `oci://${net.host}/apps/web`, '--ca-file', join(dir, 'nope.pem')]));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--ca-file .*nope\.pem cannot be read \(ENOENT\)/);
    const wrong = await withProxyEnv({}, () => runCli(['tags', `oci://${net.host}/apps/web`, '--proxy', `http://corp-user:wrong-secret-1@${new URL(net.proxy.url).host}`, ...tlsFlags]));
    assert.equal(wrong.code, 2);
    assert.match(wrong.err, /407/);
    assert.doesNotMatch(wrong.err + wrong.out, /wrong-secret-1/);
  });

  it('check --online: proxySecretRef + certSecretRef in the checked files are enough (no environment, no flags)', async () => {
    const manifests = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: web
  namespace: apps
spec:
  interval: 5m
  url: oci://${net.host}/apps/web
  ref:
    semver: ">=1.0.0 <2.0.0"
  proxySecretRef:
    name: corp-proxy
  certSecretRef:
    name: registry-tls
---
${proxySecretManifest(net)}---
${registryTlsSecretManifest(net, 'apps')}`;
    writeFileSync(join(dir, 'web.yaml'), manifests);
    const tunnels = net.proxy.tunnels.length;
    const result = await withProxyEnv({}, () => runCli(['check', dir, '--online', '--format', 'json', '--cache-dir', cacheDir, '--timeout', '20']));
    const json = JSON.parse(result.out) as { files: Array<{ objects: Array<{ kind: string; resolved?: { tag: string | null; digest: string } }>; diagnostics: Array<{ message: string }> }> };
    const source = json.files[0]!.objects.find((o) => o.kind === 'OCIRepository');
    assert.equal(source?.resolved?.tag, '1.2.0', JSON.stringify(json.files[0]!.diagnostics));
    assert.match(source?.resolved?.digest ?? '', /^sha256:/);
    assert.ok(net.proxy.tunnels.length > tunnels, 'the proxy carried the requests');
    assert.doesNotMatch(result.out + result.err, new RegExp(net.proxyAuth.password));
  });

  it('check --online: HTTPS_PROXY from the environment with the CA and client certificate from certSecretRef', async () => {
    const manifests = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: web-env
  namespace: apps
spec:
  interval: 5m
  url: oci://${net.host}/apps/web
  ref:
    tag: 2.0.0
  certSecretRef:
    name: registry-tls
---
apiVersion: v1
kind: Secret
metadata:
  name: registry-tls
  namespace: apps
type: kubernetes.io/tls
stringData:
  ca.crt: |
${blockScalar(net.ca.cert)}
  tls.crt: |
${blockScalar(net.client.cert)}
  tls.key: |
${blockScalar(net.client.key)}
`;
    const envDir = mkdtempSync(join(tmpdir(), 'flux-oci-network-env-'));
    try {
      writeFileSync(join(envDir, 'web.yaml'), manifests);
      const result = await withProxyEnv({ HTTPS_PROXY: net.proxyUrlWithCredentials }, () => runCli(['check', envDir, '--online', '--format', 'json', '--cache-dir', cacheDir, '--timeout', '20']));
      const json = JSON.parse(result.out) as { files: Array<{ objects: Array<{ kind: string; resolved?: { tag: string | null } }>; diagnostics: Array<{ message: string }> }> };
      assert.equal(json.files[0]!.objects.find((o) => o.kind === 'OCIRepository')?.resolved?.tag, '2.0.0', JSON.stringify(json.files[0]!.diagnostics));
      assert.ok(!(result.out + result.err).includes(net.proxyAuth.password));
    } finally {
      rmSync(envDir, { recursive: true, force: true });
    }
  });
});
