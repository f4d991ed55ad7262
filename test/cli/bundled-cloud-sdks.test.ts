// The shipped shape of cloud sign-in: the CLI bundled as scripts/build.mjs does (SDKs in cloud/*.js beside it, not in the
// main bundle) signs in to the ECR and Artifact Registry fakes as a separate process, loading each SDK file on first use;
// the proxy agents ride in cloud/aws-ecr.js and take the ECR API call through a CONNECT proxy from there.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startRegistry, type Registry } from '../support/registry';
import { pushManyTags } from '../support/registry-push';
import { startFakeArtifactRegistry, startFakeEcr } from '../support/fake-vendor-registries';
import type { FakeRegistry } from '../support/fake-registry';
import { startFakeEcrApi, startFakeGoogleEndpoints, type FakeEcrApi, type FakeGoogleEndpoints } from '../support/fake-cloud-token-endpoints';
import { startPrivateCloudNetwork, type PrivateCloudNetwork } from '../support/private-cloud-network';

const root = resolve(__dirname, '..', '..');
const run = promisify(execFile);
const KEY = 'AKIAFAKEBUNDLETEST01';

interface BuildModule {
  buildCloudSdkBundles(common: object, outdir: string, resolveDir: string): Array<Promise<unknown>>;
}
interface CliBuildModule {
  buildCli(common: object, outdir: string, root: string): Promise<void>;
}

/** The text of the CLI as shipped: the launcher, the dispatcher and every lazily loaded chunk. */
function cliText(out: string): string {
  const chunks = join(out, 'cli', 'chunks');
  return [join(out, 'cli.js'), join(out, 'cli', 'flux-oci.mjs'), ...readdirSync(chunks).map((f) => join(chunks, f))].map((f) => readFileSync(f, 'utf8')).join('\n');
}

describe('the bundled CLI with its lazily loaded cloud SDKs', () => {
  let out: string;
  let registry: Registry;
  let api: FakeEcrApi;
  let ecr: FakeRegistry;
  let google: FakeGoogleEndpoints;
  let gar: FakeRegistry;
  let net: PrivateCloudNetwork;
  let proxiedEcr: FakeRegistry;

  /** The bundled CLI's environment: no helpers on PATH, no docker config, the test's AWS key and the ECR API at `ecrEndpoint`. */
  const cliEnv = (ecrEndpoint: string): Record<string, string> => ({
    PATH: join(out, 'no-bin'),
    HOME: out,
    DOCKER_CONFIG: join(out, 'no-docker'),
    AWS_ACCESS_KEY_ID: KEY,
    AWS_SECRET_ACCESS_KEY: 'bundle-test-secret-a1b2c3d4e5',
    AWS_REGION: 'us-east-2',
    AWS_CONFIG_FILE: join(out, 'absent'),
    AWS_SHARED_CREDENTIALS_FILE: join(out, 'absent'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_ECR: ecrEndpoint,
  });

  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'flux-oci-bundle-'));
    const bundles = (await import(join(root, 'scripts/cloud-sdk-bundles.mjs'))) as BuildModule;
    const cli = (await import(join(root, 'scripts/cli-bundle.mjs'))) as CliBuildModule;
    const common = { bundle: true, platform: 'node' as const, target: 'node20', format: 'cjs' as const, logLevel: 'error' as const, legalComments: 'none' as const };
    await Promise.all([cli.buildCli(common, out, root), ...bundles.buildCloudSdkBundles(common, out, root)]);
    registry = await startRegistry();
    await pushManyTags(registry, 'team/app', ['1.0.0', '2.0.0']);
    api = await startFakeEcrApi([KEY]);
    ecr = await startFakeEcr(registry.url, (password) => api.passwords.has(password));
    google = await startFakeGoogleEndpoints();
    gar = await startFakeArtifactRegistry(registry.url, (token) => google.accessTokens.has(token));
    net = await startPrivateCloudNetwork({ upstream: registry.url, accessKeyIds: [KEY], acceptsEntraToken: () => false });
    proxiedEcr = await startFakeEcr(registry.url, (password) => net.ecrApi.passwords.has(password));
  });

  after(async () => {
    await Promise.all([api?.stop(), ecr?.stop(), google?.stop(), gar?.stop(), proxiedEcr?.stop(), net?.stop()]);
    await registry?.stop();
    rmSync(out, { recursive: true, force: true });
  });

  it('keeps the SDKs out of the main bundle', () => {
    const cli = cliText(out);
    // The loader sits in a chunk under cli/chunks/, two folders below the side files.
    assert.ok(cli.includes('import("../../cloud/aws-ecr.js")') && cli.includes('import("../../cloud/google-auth.js")'), 'the loader points at the side files');
    assert.doesNotMatch(cli, /AmazonEC2ContainerRegistry_V20150921|class GoogleAuth\b/);
    const aws = readFileSync(join(out, 'cloud/aws-ecr.js'), 'utf8');
    assert.match(aws, /AmazonEC2ContainerRegistry_V20150921/);
    assert.ok(cli.includes('import("../../cloud/aws-ecr.js")'), 'the proxy agents are imported from the AWS side file');
    assert.match(aws, /Creating new HttpsProxyAgent instance/);
    assert.doesNotMatch(cli, /Creating new HttpsProxyAgent instance|Creating new HttpProxyAgent instance/, 'no proxy agent in the main bundle');
  });

  it('signs in with each SDK loaded from its side file', async () => {
    const env = { ...cliEnv(api.url), GCE_METADATA_HOST: google.host };
    for (const [host, provider] of [
      [ecr.host, 'aws'],
      [gar.host, 'gcp'],
    ] as const) {
      // Asynchronous on purpose: the fakes live in this process and must keep answering while the CLI runs.
      const { stdout, stderr } = await run(process.execPath, [join(out, 'cli.js'), 'tags', `oci://${host}/team/app`, '--provider', provider], { env, encoding: 'utf8' });
      assert.equal(stdout, '2.0.0\n1.0.0\n', stderr);
      assert.equal(stderr, '', 'nothing on stderr (the AWS SDK Node-version warning is silenced)');
    }
    assert.equal(api.calls.length, 1);
  });

  it('takes GetAuthorizationToken through --proxy with the agents from cloud/aws-ecr.js', async () => {
    const env = cliEnv(net.ecrApiUrl);
    const argv = [join(out, 'cli.js'), 'tags', `oci://${proxiedEcr.host}/team/app`, '--provider', 'aws', '--proxy', net.proxyUrlWithCredentials, '--ca-file', net.ca.certPath];
    const { stdout, stderr } = await run(process.execPath, argv, { env, encoding: 'utf8' });
    assert.equal(stdout, '2.0.0\n1.0.0\n', stderr);
    assert.deepEqual(net.proxy.tunnels, [net.targets.ecrApi]);
    assert.deepEqual(
      net.ecrApi.calls.map((c) => c.status),
      [200],
    );
  });
});
