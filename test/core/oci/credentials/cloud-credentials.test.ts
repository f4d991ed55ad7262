// Cloud sign-in as a credential provider, against the ECR API fake: which hosts it applies to, answers kept until shortly
// before they expire, one call for concurrent lookups, failures remembered for a minute and for the sign-in hint (until
// clearCache), no secret in a log line.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cloudCredentials } from '../../../../core/oci/credentials/cloud-credentials';
import { startFakeEcrApi, type FakeEcrApi } from '../../../support/fake-cloud-token-endpoints';
import { withEnv } from '../../../support/scoped-env';
import { assertNoSecrets } from '../../../support/secret-assertions';

const KEY = 'AKIAFAKEUNITTEST0001';
const SECRET = 'unit-test-secret-key-4f3e2d1c';
const ECR_HOST = '123456789012.dkr.ecr.eu-north-1.amazonaws.com';

describe('cloud credentials provider', () => {
  let api: FakeEcrApi;
  const awsEnv = (extra: Record<string, string | undefined> = {}) => ({
    AWS_ACCESS_KEY_ID: KEY,
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: undefined,
    AWS_ENDPOINT_URL_ECR: api.url,
    PATH: '/nonexistent',
    ...extra,
  });

  before(async () => {
    api = await startFakeEcrApi([KEY]);
  });
  after(() => api.stop());

  it('leaves hosts of no cloud alone: no call, no hint', async () => {
    const provider = cloudCredentials();
    assert.equal(await provider.lookup('ghcr.io', 'org/app'), undefined);
    assert.equal(provider.signInHint?.('ghcr.io'), undefined);
    assert.equal(api.calls.length, 0);
  });

  it('answers an ECR host with AWS:<token> in the host region, once for concurrent and repeated lookups', async () => {
    api.calls.length = 0;
    const provider = cloudCredentials();
    await withEnv(awsEnv(), async () => {
      const [a, b] = await Promise.all([provider.lookup(ECR_HOST, 'team/app'), provider.lookup(ECR_HOST, 'team/other')]);
      const c = await provider.lookup(ECR_HOST, 'team/app');
      assert.equal(a?.username, 'AWS');
      assert.ok(a?.password && api.passwords.has(a.password));
      assert.equal(a?.source, 'AWS SDK default credential chain (ECR GetAuthorizationToken)');
      assert.deepEqual([b?.password, c?.password], [a?.password, a?.password]);
    });
    assert.deepEqual(
      api.calls.map((call) => [call.accessKeyId, call.region]),
      [[KEY, 'eu-north-1']],
    );
  });

  it('asks again when the token is within five minutes of expiring', async () => {
    api.calls.length = 0;
    api.settings.expiresInSeconds = 120;
    try {
      const provider = cloudCredentials();
      await withEnv(awsEnv(), async () => {
        await provider.lookup(ECR_HOST, 'team/app');
        await provider.lookup(ECR_HOST, 'team/app');
      });
      assert.equal(api.calls.length, 2);
    } finally {
      api.settings.expiresInSeconds = 12 * 3600;
    }
  });

  it('a declared provider applies to any host; a failure is logged and kept for the hint, without the secret', async () => {
    const lines: string[] = [];
    const provider = cloudCredentials({ providerFor: (registry) => (registry === 'registry.internal:5000' ? 'aws' : undefined), log: (line) => lines.push(line) });
    assert.equal(provider.providerOf('registry.internal:5000'), 'aws');
    assert.ok(provider.isDeclared('registry.internal:5000') && !provider.isDeclared(ECR_HOST));
    const hint = await withEnv(awsEnv({ AWS_ACCESS_KEY_ID: 'AKIAUNKNOWN000000000', AWS_REGION: 'eu-west-3' }), async () => {
      assert.equal(await provider.lookup('registry.internal:5000', 'team/app'), undefined);
      return provider.signInHint?.('registry.internal:5000') ?? '';
    });
    assert.match(hint, /^AWS sign-in found no credentials: ECR GetAuthorizationToken failed \(UnrecognizedClientException, HTTP 400\); docker-credential-ecr-login is not on PATH\. /);
    assert.match(hint, /--region eu-west-3 \| docker login --username AWS --password-stdin registry\.internal:5000/);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^AWS sign-in for registry\.internal:5000: /);
    assertNoSecrets(lines.join('\n') + hint, [SECRET, ...api.passwords], 'log and hint');
  });

  it('a failure is not retried for every repository, until clearCache (the Refresh command)', async () => {
    api.calls.length = 0;
    const provider = cloudCredentials();
    await withEnv(awsEnv({ AWS_ACCESS_KEY_ID: 'AKIAUNKNOWN000000000' }), async () => {
      assert.equal(await provider.lookup(ECR_HOST, 'team/a'), undefined);
      assert.equal(await provider.lookup(ECR_HOST, 'team/b'), undefined);
    });
    assert.equal(api.calls.length, 1, 'the second repository reused the remembered failure');
    provider.clearCache?.();
    assert.equal(provider.signInHint?.(ECR_HOST)?.includes('found no credentials'), false, 'the reason is forgotten too');
    const found = await withEnv(awsEnv(), () => provider.lookup(ECR_HOST, 'team/a'));
    assert.equal(found?.username, 'AWS');
    assert.equal(api.calls.length, 2);
  });
});
