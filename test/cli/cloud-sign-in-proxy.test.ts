// Cloud sign-in behind a corporate proxy, end to end through the CLI: the ECR API, the ACR registry (and its /oauth2/exchange)
// and Google's STS endpoint answer only under names an authenticated CONNECT proxy resolves, behind a private CA. HTTPS_PROXY
// or --proxy (with --ca-file) gets each sign-in through; NO_PROXY sends it direct (where the name does not resolve).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';
import { startRegistry, type Registry } from '../support/registry';
import { pushManyTags } from '../support/registry-push';
import { startFakeArtifactRegistry, startFakeEcr } from '../support/fake-vendor-registries';
import type { FakeRegistry } from '../support/fake-registry';
import { writeExternalAccountAdc, writeFakeAzureCli } from '../support/fake-cloud-token-endpoints';
import { startPrivateCloudNetwork, type PrivateCloudNetwork } from '../support/private-cloud-network';
import { proxySecretManifest } from '../support/private-network';
import { isolatedCloudEnv } from '../support/isolated-cloud-env';
import { NO_PROXY_VARIABLES, withEnv } from '../support/scoped-env';
import { assertNoSecrets } from '../support/secret-assertions';

const TAGS = ['1.0.0', '1.1.0', '2.0.0'];
const DEV_KEY = 'AKIAFAKEPROXIED00001';
const DEV_SECRET = 'proxied-secret-key-0a9b8c7d6e5f';
const ENTRA_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.entra-token-behind-proxy.c2lnbmF0dXJl';

describe('cloud sign-in through a proxy (CLI)', () => {
  let registry: Registry;
  let net: PrivateCloudNetwork;
  let ecr: FakeRegistry;
  let gar: FakeRegistry;
  let dir: string;
  let bin: string;
  let adc: string;
  const outputs: string[] = [];

  /** Only fakes reachable: private HOME and PATH, every SDK pointed at the private names; proxy variables as given. */
  const cli = async (argv: string[], env: Record<string, string | undefined> = {}) => {
    const result = await withEnv(
      isolatedCloudEnv(dir, {
        AWS_ACCESS_KEY_ID: DEV_KEY,
        AWS_SECRET_ACCESS_KEY: DEV_SECRET,
        AWS_ENDPOINT_URL_ECR: net.ecrApiUrl,
        GOOGLE_APPLICATION_CREDENTIALS: adc,
        ...NO_PROXY_VARIABLES,
        ...env,
      }),
      () => runCli(argv),
    );
    outputs.push(result.out + result.err);
    return result;
  };
  const caFlag = () => ['--ca-file', net.ca.certPath];
  const sorted = (out: string) => out.trim().split('\n').sort();

  before(async () => {
    registry = await startRegistry();
    await pushManyTags(registry, 'team/app', TAGS);
    net = await startPrivateCloudNetwork({ upstream: registry.url, accessKeyIds: [DEV_KEY], acceptsEntraToken: (token) => token === ENTRA_TOKEN });
    ecr = await startFakeEcr(registry.url, (password) => net.ecrApi.passwords.has(password));
    gar = await startFakeArtifactRegistry(registry.url, (token) => net.google.accessTokens.has(token));
    dir = mkdtempSync(join(tmpdir(), 'flux-oci-cloud-proxy-'));
    bin = join(dir, 'bin');
    for (const sub of ['bin', 'home', 'docker', 'gcloud']) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, 'docker', 'config.json'), '{}');
    writeFakeAzureCli(bin, { accessToken: ENTRA_TOKEN, tenant: 'tenant-proxy' });
    // The external-account ADC file names the STS token_url (and project lookup) under its private name.
    adc = writeExternalAccountAdc(dir, { ...net.google, url: net.googleUrl });
  });

  after(async () => {
    await Promise.all([ecr.stop(), gar.stop()]);
    await net.stop();
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('AWS: the ECR API', () => {
    it('HTTPS_PROXY: GetAuthorizationToken goes through the proxy (CONNECT with its credentials), the private CA from --ca-file', async () => {
      net.proxy.tunnels.length = 0;
      net.ecrApi.calls.length = 0;
      const r = await cli(['tags', `oci://${ecr.host}/team/app`, '--provider', 'aws', ...caFlag()], { HTTPS_PROXY: net.proxyUrlWithCredentials });
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(sorted(r.out), [...TAGS].sort());
      assert.deepEqual(net.proxy.tunnels, [net.targets.ecrApi], 'only the ECR API went through the proxy (the loopback registry goes direct)');
      assert.deepEqual(
        net.ecrApi.calls.map((c) => [c.accessKeyId, c.status]),
        [[DEV_KEY, 200]],
      );
    });

    it('--proxy on the command line does the same without any proxy variable', async () => {
      net.proxy.tunnels.length = 0;
      const r = await cli(['tags', `oci://${ecr.host}/team/app`, '--provider', 'aws', '--proxy', net.proxyUrlWithCredentials, ...caFlag()]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(net.proxy.tunnels, [net.targets.ecrApi]);
    });

    it('NO_PROXY sends the ECR API direct, where its name does not resolve: no CONNECT, a clear failure', async () => {
      net.proxy.tunnels.length = 0;
      net.ecrApi.calls.length = 0;
      const r = await cli(['tags', `oci://${ecr.host}/team/app`, '--provider', 'aws', ...caFlag()], { HTTPS_PROXY: net.proxyUrlWithCredentials, NO_PROXY: '.cloud.test' });
      assert.equal(r.code, 2);
      assert.match(r.err, /ECR GetAuthorizationToken failed/);
      assert.deepEqual(net.proxy.tunnels, []);
      assert.equal(net.ecrApi.calls.length, 0);
    });

    it('without the private CA the tunnel is made but the ECR API certificate is refused', async () => {
      net.proxy.tunnels.length = 0;
      const r = await cli(['tags', `oci://${ecr.host}/team/app`, '--provider', 'aws'], { HTTPS_PROXY: net.proxyUrlWithCredentials });
      assert.equal(r.code, 2);
      assert.match(r.err, /ECR GetAuthorizationToken failed .*through the proxy http:\/\/127\.0\.0\.1:\d+\)/);
      assert.deepEqual(net.proxy.tunnels, [net.targets.ecrApi]);
    });
  });

  describe('Azure: the ACR exchange goes where the registry goes', () => {
    it('HTTPS_PROXY: /oauth2/exchange and the registry both through the proxy, verified with --ca-file', async () => {
      net.proxy.tunnels.length = 0;
      net.acr.events.length = 0;
      const r = await cli(['tags', `oci://${net.acrHost}/team/app`, '--provider', 'azure', ...caFlag()], { HTTPS_PROXY: net.proxyUrlWithCredentials });
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(sorted(r.out), [...TAGS].sort());
      assert.deepEqual(
        net.acr.events.filter((e) => e.kind === 'route').map((e) => [e.path, e.status]),
        [['/oauth2/exchange', 200]],
      );
      assert.ok(net.proxy.tunnels.length >= 2, `the exchange and the registry each tunnelled: ${net.proxy.tunnels.join(', ')}`);
      assert.ok(
        net.proxy.tunnels.every((t) => t === net.targets.acr),
        net.proxy.tunnels.join(', '),
      );
    });

    it('--proxy reaches the Azure CLI too, as HTTPS_PROXY in its environment (it refreshes its own tokens)', async () => {
      rmSync(join(bin, 'az.calls'), { force: true });
      const r = await cli(['tags', `oci://${net.acrHost}/team/app`, '--provider', 'azure', '--proxy', net.proxyUrlWithCredentials, ...caFlag()]);
      assert.equal(r.code, 0, r.err);
      assert.match(readFileSync(join(bin, 'az.calls'), 'utf8'), new RegExp(`^proxy ${new URL(net.proxy.url).host.replace(/\./g, '\\.')}$`, 'm'));
    });

    it('NO_PROXY sends the exchange direct: it cannot be reached, and says so', async () => {
      net.proxy.tunnels.length = 0;
      net.acr.events.length = 0;
      const r = await cli(['tags', `oci://${net.acrHost}/team/app`, '--provider', 'azure', ...caFlag()], { HTTPS_PROXY: net.proxyUrlWithCredentials, NO_PROXY: 'cloud.test' });
      assert.equal(r.code, 2);
      assert.deepEqual(net.proxy.tunnels, []);
      assert.equal(net.acr.events.filter((e) => e.kind === 'route').length, 0);
    });
  });

  describe('Google: the STS token endpoint of an external-account ADC file', () => {
    it('--proxy: the subject token is exchanged through the proxy, with the private CA', async () => {
      net.proxy.tunnels.length = 0;
      net.google.calls.length = 0;
      const r = await cli(['tags', `oci://${gar.host}/team/app`, '--provider', 'gcp', '--proxy', net.proxyUrlWithCredentials, ...caFlag()]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(sorted(r.out), [...TAGS].sort());
      assert.deepEqual(
        net.google.calls.filter((c) => c.kind === 'sts').map((c) => c.status),
        [200],
      );
      assert.ok(net.proxy.tunnels.length >= 1 && net.proxy.tunnels.every((t) => t === net.targets.sts), net.proxy.tunnels.join(', '));
    });

    it('NO_PROXY (with a port) sends it direct, as our NO_PROXY rules say, not gaxios’s own', async () => {
      net.proxy.tunnels.length = 0;
      net.google.calls.length = 0;
      const r = await cli(['tags', `oci://${gar.host}/team/app`, '--provider', 'gcp', ...caFlag()], {
        HTTPS_PROXY: net.proxyUrlWithCredentials,
        NO_PROXY: `cloud.test:${net.targets.sts.split(':')[1]}`,
      });
      assert.equal(r.code, 2);
      assert.match(r.err, /Google application default credentials gave no token/);
      assert.deepEqual(net.proxy.tunnels, []);
      assert.equal(net.google.calls.length, 0);
    });
  });

  it('check --online: spec.provider azure with proxySecretRef + certSecretRef alone: the exchange goes the way the registry does', async () => {
    net.proxy.tunnels.length = 0;
    net.acr.events.length = 0;
    const manifests = join(dir, 'manifests');
    mkdirSync(manifests, { recursive: true });
    writeFileSync(
      join(manifests, 'acr.yaml'),
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: on-acr
  namespace: apps
spec:
  interval: 5m
  provider: azure
  url: oci://${net.acrHost}/team/app
  ref:
    semver: "1.x"
  proxySecretRef:
    name: corp-proxy
  certSecretRef:
    name: corp-ca
---
${proxySecretManifest(net)}---
apiVersion: v1
kind: Secret
metadata:
  name: corp-ca
  namespace: apps
type: Opaque
data:
  ca.crt: ${Buffer.from(net.ca.cert).toString('base64')}
`,
    );
    const r = await cli(['check', manifests, '--online', '--format', 'json', '--cache-dir', join(dir, 'cache')]);
    const report = JSON.parse(r.out) as { files: Array<{ diagnostics: Array<{ message: string }>; objects: Array<{ name: string; resolved?: { tag: string | null } }> }> };
    const file = report.files[0]!;
    assert.deepEqual(
      file.objects.filter((o) => o.name === 'on-acr').map((o) => o.resolved?.tag),
      ['1.1.0'],
      JSON.stringify(file.diagnostics),
    );
    assert.deepEqual(
      net.acr.events.filter((e) => e.kind === 'route').map((e) => [e.path, e.status]),
      [['/oauth2/exchange', 200]],
    );
    // The name resolves only inside the proxy, so the exchange's 200 came through it; a source's proxy carries every request.
    assert.ok(net.proxy.tunnels.filter((t) => t === net.targets.acr).length >= 2, net.proxy.tunnels.join(', '));
  });

  it('every CONNECT carried the proxy credentials, and no password, key or token appeared in any output', () => {
    assert.equal(net.proxy.refused, 0);
    assert.ok(net.ecrApi.passwords.size > 0 && net.acr.refreshTokens.size > 0 && net.google.accessTokens.size > 0, 'the flows above issued secrets');
    const secrets = [net.proxyAuth.password, DEV_SECRET, ENTRA_TOKEN, net.google.subjectToken, ...net.ecrApi.passwords, ...net.acr.refreshTokens, ...net.google.accessTokens];
    assertNoSecrets(outputs.join('\n'), secrets, 'CLI output');
  });
});
