// Cloud sign-in end to end through the CLI: AWS (SDK default chain → ECR API fake → ECR fake), Azure (az stub → ACR
// /oauth2/exchange → /oauth2/token), Google (metadata server or external-account ADC → Artifact Registry fake), all in front of
// a real registry; `--provider` and `spec.provider`; the sign-in commands named when nothing signs in; no secret in any output.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';
import { startRegistry, type Registry } from '../support/registry';
import { pushHelmChart, pushManyTags } from '../support/registry-push';
import { startFakeAcr, startFakeArtifactRegistry, startFakeEcr, type FakeAcr } from '../support/fake-vendor-registries';
import type { FakeRegistry } from '../support/fake-registry';
import { startFakeEcrApi, startFakeGoogleEndpoints, writeExternalAccountAdc, writeFakeAzureCli, type FakeEcrApi, type FakeGoogleEndpoints } from '../support/fake-cloud-token-endpoints';
import { isolatedCloudEnv } from '../support/isolated-cloud-env';
import { withEnv } from '../support/scoped-env';
import { assertNoSecrets } from '../support/secret-assertions';

const TAGS = ['1.0.0', '1.1.0', '1.2.0', '2.0.0-rc.1', 'latest'];
const DEV_KEY = 'AKIAFAKEDEVELOPER001';
const DEV_SECRET = 'dev-secret-key-7c1f0e9a2b4d6f8a';
const PROFILE_KEY = 'AKIAFAKEPROFILE00002';
const PROFILE_SECRET = 'profile-secret-3e5a7c9b1d2f4a6c';
const ENTRA_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.entra-access-token-for-dev.c2lnbmF0dXJl';

describe('cloud sign-in through the CLI', () => {
  let registry: Registry;
  let ecrApi: FakeEcrApi;
  let ecr: FakeRegistry;
  let acr: FakeAcr;
  let google: FakeGoogleEndpoints;
  let gar: FakeRegistry;
  let dir: string;
  let bin: string;
  const outputs: string[] = [];

  const secrets = () => [DEV_SECRET, PROFILE_SECRET, ENTRA_TOKEN, google.subjectToken, ...ecrApi.passwords, ...acr.refreshTokens, ...google.accessTokens];

  /** Runs the CLI with only fakes reachable: a private HOME, PATH holding only the stubs, every SDK pointed at loopback. */
  const cli = async (argv: string[], env: Record<string, string | undefined> = {}) => {
    const result = await withEnv(isolatedCloudEnv(dir, { AWS_ENDPOINT_URL_ECR: ecrApi.url, ...env }), () => runCli(argv));
    outputs.push(result.out + result.err);
    return result;
  };

  before(async () => {
    registry = await startRegistry();
    await pushManyTags(registry, 'team/app', TAGS);
    await pushHelmChart(registry, 'charts/web', { name: 'web', version: '3.1.0' });
    await pushHelmChart(registry, 'charts/web', { name: 'web', version: '3.2.0' });
    ecrApi = await startFakeEcrApi([DEV_KEY, PROFILE_KEY]);
    ecr = await startFakeEcr(registry.url, (password) => ecrApi.passwords.has(password));
    acr = await startFakeAcr(registry.url, (token) => token === ENTRA_TOKEN);
    google = await startFakeGoogleEndpoints();
    gar = await startFakeArtifactRegistry(registry.url, (token) => google.accessTokens.has(token));
    dir = mkdtempSync(join(tmpdir(), 'flux-oci-cloud-'));
    bin = join(dir, 'bin');
    for (const sub of ['bin', 'home', 'docker', 'gcloud']) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, 'docker', 'config.json'), '{}');
  });

  after(async () => {
    await Promise.all([ecrApi.stop(), ecr.stop(), acr.stop(), google.stop(), gar.stop()]);
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const sorted = (out: string) => out.trim().split('\n').sort();

  describe('AWS', () => {
    it('the ECR fake is closed without a token from the ECR API', async () => {
      const r = await cli(['tags', `oci://${ecr.host}/team/app`]);
      assert.equal(r.code, 2);
      assert.equal(ecrApi.calls.length, 0, 'a host that is not ECR-shaped and declares no provider never reaches AWS');
    });

    it('--provider aws: environment keys through the SDK default chain, Basic AWS:<token>, all nextToken pages', async () => {
      ecrApi.calls.length = 0;
      ecr.events.length = 0;
      const r = await cli(['tags', `oci://${ecr.host}/team/app`, '--provider', 'aws'], { AWS_ACCESS_KEY_ID: DEV_KEY, AWS_SECRET_ACCESS_KEY: DEV_SECRET });
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(sorted(r.out), [...TAGS].sort());
      assert.deepEqual(
        ecrApi.calls.map((c) => [c.accessKeyId, c.region, c.service, c.status]),
        [[DEV_KEY, 'eu-west-1', 'ecr', 200]],
      );
      const pages = ecr.events.filter((e) => e.kind === 'registry' && e.path.endsWith('/tags/list') && e.status === 200);
      assert.equal(pages.length, 3, 'five tags in pages of two');
      assert.ok(pages.every((e) => e.authScheme === 'basic'));
    });

    it('a profile in the shared credentials file is found by the same chain', async () => {
      ecrApi.calls.length = 0;
      const credentials = join(dir, 'aws-credentials');
      writeFileSync(credentials, `[default]\naws_access_key_id = ${PROFILE_KEY}\naws_secret_access_key = ${PROFILE_SECRET}\n`);
      const r = await cli(['tags', `oci://${ecr.host}/team/app`, '--provider', 'aws'], { AWS_SHARED_CREDENTIALS_FILE: credentials });
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(
        ecrApi.calls.map((c) => c.accessKeyId),
        [PROFILE_KEY],
      );
    });

    it('an unknown key: the failure is named by its AWS error type, with the sign-in commands', async () => {
      const r = await cli(['tags', `oci://${ecr.host}/team/app`, '--provider', 'aws'], { AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY000009', AWS_SECRET_ACCESS_KEY: DEV_SECRET });
      assert.equal(r.code, 2);
      assert.match(r.err, /ECR GetAuthorizationToken failed \(UnrecognizedClientException, HTTP 400\)/);
      assert.ok(r.err.includes('aws sso login'), r.err);
    });

    it('no credentials anywhere: the message names the exact commands and never calls the ECR API', async () => {
      ecrApi.calls.length = 0;
      const r = await cli(['tags', `oci://${ecr.host}/team/app`, '--provider', 'aws']);
      assert.equal(r.code, 2);
      assert.match(r.err, /requires authentication/);
      assert.match(r.err, /the AWS SDK found no credentials/);
      assert.match(r.err, /docker-credential-ecr-login is not on PATH/);
      assert.ok(r.err.includes(`aws ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin ${ecr.host}`), r.err);
      assert.ok(r.err.includes('`aws sso login`'), r.err);
      assert.equal(ecrApi.calls.length, 0);
    });

    it('falls back to docker-credential-ecr-login when the SDK finds nothing', async () => {
      const helperPassword = 'helper-issued-ecr-password-51d0';
      ecrApi.passwords.add(helperPassword);
      const helper = join(bin, 'docker-credential-ecr-login');
      writeFileSync(helper, `#!/bin/sh\nread server\nprintf '%s\\n' '{"ServerURL":"'"$server"'","Username":"AWS","Secret":"${helperPassword}"}'\n`);
      chmodSync(helper, 0o755);
      try {
        const r = await cli(['tags', `oci://${ecr.host}/team/app`, '--provider', 'aws']);
        assert.equal(r.code, 0, r.err);
        assert.deepEqual(sorted(r.out), [...TAGS].sort());
      } finally {
        rmSync(helper);
      }
    });
  });

  describe('Azure', () => {
    it('az account get-access-token → /oauth2/exchange → refresh-token grant at /oauth2/token', async () => {
      writeFakeAzureCli(bin, { accessToken: ENTRA_TOKEN, tenant: 'tenant-0001' });
      acr.events.length = 0;
      const r = await cli(['tags', `oci://${acr.host}/team/app`, '--provider', 'azure']);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(sorted(r.out), [...TAGS].sort());
      assert.deepEqual(
        acr.events.filter((e) => e.kind === 'route').map((e) => [e.path, e.status]),
        [['/oauth2/exchange', 200]],
      );
      const grants = acr.events.filter((e) => e.kind === 'token');
      assert.deepEqual(
        grants.map((e) => [e.method, e.grantType, e.status]),
        [['POST', 'refresh_token', 200]],
      );
      assert.deepEqual(grants[0]!.scopes, ['repository:team/app:pull']);
      assert.match(readFileSync(join(bin, 'az.calls'), 'utf8'), /^account get-access-token --output json$/m);
    });

    it('signed out of the Azure CLI: says so and names az login / az acr login', async () => {
      writeFakeAzureCli(bin, 'signed-out');
      const r = await cli(['tags', `oci://${acr.host}/team/app`, '--provider', 'azure']);
      assert.equal(r.code, 2);
      assert.match(r.err, /the Azure CLI is not signed in/);
      assert.ok(r.err.includes('`az login`') && r.err.includes('`az acr login -n <registry-name>`'), r.err);
    });

    it('no Azure CLI at all: says it is not on PATH', async () => {
      rmSync(join(bin, 'az'));
      const r = await cli(['tags', `oci://${acr.host}/team/app`, '--provider', 'azure']);
      assert.equal(r.code, 2);
      assert.match(r.err, /the Azure CLI \(az\) is not on PATH/);
    });
  });

  describe('Google', () => {
    it('no application default credentials: names gcloud auth application-default login and configure-docker', async () => {
      const r = await cli(['tags', `oci://${gar.host}/team/app`, '--provider', 'gcp']);
      assert.equal(r.code, 2);
      assert.match(r.err, /no Google application default credentials were found/);
      assert.ok(r.err.includes('`gcloud auth application-default login`'), r.err);
      assert.ok(r.err.includes('`gcloud auth configure-docker 127.0.0.1`'), r.err);
    });

    it('the metadata server (GCE_METADATA_HOST) gives an access token used as oauth2accesstoken', async () => {
      google.calls.length = 0;
      gar.events.length = 0;
      const r = await cli(['tags', `oci://${gar.host}/team/app`, '--provider', 'gcp'], { METADATA_SERVER_DETECTION: undefined, GCE_METADATA_HOST: google.host });
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(sorted(r.out), [...TAGS].sort());
      assert.ok(
        google.calls.some((c) => c.kind === 'metadata-token' && c.status === 200),
        JSON.stringify(google.calls),
      );
      assert.deepEqual(
        gar.events.filter((e) => e.kind === 'token').map((e) => [e.user, e.status]),
        [['oauth2accesstoken', 200]],
      );
    });

    it('falls back to docker-credential-gcloud when there are no application default credentials', async () => {
      const helperToken = 'ya29.from-gcloud-helper-0f9e8d7c';
      google.accessTokens.add(helperToken);
      const helper = join(bin, 'docker-credential-gcloud');
      writeFileSync(helper, `#!/bin/sh\nread server\nprintf '%s\\n' '{"Username":"oauth2accesstoken","Secret":"${helperToken}"}'\n`);
      chmodSync(helper, 0o755);
      try {
        const r = await cli(['tags', `oci://${gar.host}/team/app`, '--provider', 'gcp']);
        assert.equal(r.code, 0, r.err);
        assert.deepEqual(sorted(r.out), [...TAGS].sort());
      } finally {
        rmSync(helper);
      }
    });

    it('an external-account ADC file exchanges its subject token at the token_url it names', async () => {
      google.calls.length = 0;
      const adc = writeExternalAccountAdc(dir, google);
      const r = await cli(['tags', `oci://${gar.host}/team/app`, '--provider', 'gcp'], { GOOGLE_APPLICATION_CREDENTIALS: adc });
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(
        google.calls.filter((c) => c.kind === 'sts').map((c) => c.status),
        [200],
      );
      assert.ok(!google.calls.some((c) => c.kind.startsWith('metadata')), 'the ADC file comes before the metadata server');
    });
  });

  it('check --online: spec.provider on each OCIRepository signs in to its cloud and resolves', async () => {
    writeFakeAzureCli(bin, { accessToken: ENTRA_TOKEN, tenant: 'tenant-0001' });
    const manifests = join(dir, 'manifests');
    mkdirSync(manifests, { recursive: true });
    const source = (name: string, host: string, provider: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: ${name}
  namespace: apps
spec:
  interval: 5m
  provider: ${provider}
  url: oci://${host}/charts/web
  layerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy
  ref:
    semver: "3.x"
`;
    writeFileSync(join(manifests, 'sources.yaml'), [source('on-ecr', ecr.host, 'aws'), source('on-acr', acr.host, 'azure'), source('on-gar', gar.host, 'gcp')].join('---\n'));
    const r = await cli(['check', manifests, '--online', '--format', 'json', '--cache-dir', join(dir, 'cache')], {
      AWS_ACCESS_KEY_ID: DEV_KEY,
      AWS_SECRET_ACCESS_KEY: DEV_SECRET,
      METADATA_SERVER_DETECTION: undefined,
      GCE_METADATA_HOST: google.host,
    });
    const report = JSON.parse(r.out) as { files: Array<{ diagnostics: Array<{ message: string }>; objects: Array<{ name: string; resolved?: { tag: string | null } }> }> };
    const file = report.files[0]!;
    assert.deepEqual(
      file.diagnostics.map((d) => d.message),
      [],
    );
    assert.deepEqual(
      file.objects.map((o) => [o.name, o.resolved?.tag]),
      [
        ['on-ecr', '3.2.0'],
        ['on-acr', '3.2.0'],
        ['on-gar', '3.2.0'],
      ],
    );
  });

  it('no token, password, key or refresh token appeared in any output', () => {
    assert.ok(ecrApi.passwords.size > 0 && acr.refreshTokens.size > 0 && google.accessTokens.size > 0, 'the flows above issued secrets');
    assertNoSecrets(outputs.join('\n'), secrets(), 'CLI output');
    assert.ok(!existsSync(join(dir, 'home', '.docker')), 'nothing was written to the docker config');
  });
});
