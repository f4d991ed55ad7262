// The developer's credential order: editor-stored, docker config, then cloud sign-in — cloud first for hosts spec.provider
// names; `cloud: false` leaves cloud sign-in out. Lookups only: the ECR API fake answers the AWS SDK.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { developerCredentials } from '../../../../core/oci/credentials/developer-credentials';
import { staticCredentials } from '../../../../core/oci/credentials/static-credentials';
import { startFakeEcrApi, type FakeEcrApi } from '../../../support/fake-cloud-token-endpoints';
import { withEnv } from '../../../support/scoped-env';

const KEY = 'AKIAFAKEORDERTEST001';
const ECR_HOST = '123456789012.dkr.ecr.us-west-2.amazonaws.com';

describe('developer credentials', () => {
  let api: FakeEcrApi;
  let dir: string;
  let configPath: string;
  const env = () => ({
    AWS_ACCESS_KEY_ID: KEY,
    AWS_SECRET_ACCESS_KEY: 'order-test-secret-99887766',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_ECR: api.url,
    PATH: '/nonexistent',
  });

  before(async () => {
    api = await startFakeEcrApi([KEY]);
    dir = mkdtempSync(join(tmpdir(), 'flux-oci-devcreds-'));
    configPath = join(dir, 'config.json');
    writeFileSync(configPath, JSON.stringify({ auths: { [ECR_HOST]: { auth: Buffer.from('AWS:from-docker-login').toString('base64') } } }));
  });
  after(async () => {
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an ECR host the workspace does not declare: the docker config answers first and AWS is not asked', async () => {
    api.calls.length = 0;
    const found = await withEnv(env(), () => developerCredentials({ dockerConfig: { path: configPath } }).lookup(ECR_HOST, 'team/app'));
    assert.match(found?.source ?? '', /^docker config /);
    assert.equal(api.calls.length, 0);
  });

  it('a host spec.provider declares: cloud sign-in goes before the docker config', async () => {
    api.calls.length = 0;
    const credentials = developerCredentials({ dockerConfig: { path: configPath }, cloud: { providerFor: () => 'aws' } });
    const found = await withEnv(env(), () => credentials.lookup(ECR_HOST, 'team/app'));
    assert.equal(found?.source, 'AWS SDK default credential chain (ECR GetAuthorizationToken)');
    assert.equal(api.calls.length, 1);
  });

  it('editor-stored credentials come before everything', async () => {
    const stored = staticCredentials({ [ECR_HOST]: { username: 'AWS', password: 'stored' } }, 'credentials stored in the editor');
    const found = await withEnv(env(), () => developerCredentials({ first: [stored], dockerConfig: { path: configPath }, cloud: { providerFor: () => 'aws' } }).lookup(ECR_HOST, 'x'));
    assert.equal(found?.source, 'credentials stored in the editor');
  });

  it('cloud: false never signs in to a cloud and gives no cloud hint', async () => {
    api.calls.length = 0;
    const credentials = developerCredentials({ dockerConfig: { path: join(dir, 'absent.json') }, cloud: false });
    assert.equal(await withEnv(env(), () => credentials.lookup(ECR_HOST, 'team/app')), undefined);
    assert.equal(credentials.signInHint?.(ECR_HOST), undefined);
    assert.doesNotMatch(credentials.name, /cloud/);
    assert.equal(api.calls.length, 0);
  });

  it('with cloud sign-in, an unsigned-in ECR host gets the AWS sign-in commands', () => {
    const hint = developerCredentials({ dockerConfig: { path: join(dir, 'absent.json') } }).signInHint?.(ECR_HOST) ?? '';
    assert.match(hint, /aws ecr get-login-password --region us-west-2/);
  });
});
