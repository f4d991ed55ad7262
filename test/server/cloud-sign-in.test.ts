// Cloud sign-in in the editor: the real server over stdio reads `spec.provider` from the workspace, signs in to an ACR fake
// through an `az` stub and hovers the resolved tag; an AWS source without credentials hovers the sign-in commands; no secret
// reaches a hover, a diagnostic or the server's stderr.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LspClient } from '../support/lsp-client';
import { pushHelmChart } from '../support/registry-push';
import { startFakeAcr, startFakeEcr, type FakeAcr } from '../support/fake-vendor-registries';
import type { FakeRegistry } from '../support/fake-registry';
import { writeFakeAzureCli } from '../support/fake-cloud-token-endpoints';
import { withEnv } from '../support/scoped-env';
import { assertNoSecrets } from '../support/secret-assertions';
import { hoverText, PROVIDER_SEMVER_POSITION, providerRepository, startLiveServer, type LiveServer } from './live-server';

const ENTRA_TOKEN = 'entra-token-for-the-editor-test-5a6b7c';

describe('cloud sign-in in the editor', () => {
  let server: LiveServer;
  let client: LspClient;
  let acr: FakeAcr;
  let ecr: FakeRegistry;
  let dir: string;
  const hovers: string[] = [];

  const hover = async (relative: string) => {
    const text = await hoverText(server, relative, PROVIDER_SEMVER_POSITION);
    hovers.push(text);
    return text;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flux-oci-editor-cloud-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFakeAzureCli(bin, { accessToken: ENTRA_TOKEN, tenant: 'tenant-editor' });
    // The server process inherits these at spawn: only the az stub on PATH, and an AWS chain that finds nothing offline.
    server = await withEnv(
      {
        PATH: bin,
        HOME: dir,
        DOCKER_CONFIG: join(dir, 'docker'),
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_PROFILE: undefined,
        AWS_REGION: 'eu-west-1',
        AWS_CONFIG_FILE: join(dir, 'absent'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'absent'),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:9',
      },
      () =>
        startLiveServer('cloud', async (registry) => {
          await pushHelmChart(registry, 'charts/podinfo', { name: 'podinfo', version: '6.7.1' });
          await pushHelmChart(registry, 'charts/podinfo', { name: 'podinfo', version: '6.8.0' });
          acr = await startFakeAcr(registry.url, (token) => token === ENTRA_TOKEN);
          ecr = await startFakeEcr(registry.url, () => false);
          return { 'sources/on-acr.yaml': providerRepository('on-acr', acr.host, 'azure'), 'sources/on-ecr.yaml': providerRepository('on-ecr', ecr.host, 'aws') };
        }),
    );
    client = server.client;
  });

  after(async () => {
    await server?.stop();
    await Promise.all([acr?.stop(), ecr?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('spec.provider: azure signs in through the Azure CLI and the ACR exchange, and hovers the resolved tag', async () => {
    const text = await hover('sources/on-acr.yaml');
    assert.match(text, /Flux pulls tag `6\.8\.0`/);
    assert.deepEqual(
      acr.events.filter((e) => e.kind === 'route').map((e) => [e.path, e.status]),
      [['/oauth2/exchange', 200]],
    );
  });

  it('spec.provider: aws without AWS credentials hovers why, and the commands that sign in', async () => {
    const text = await hover('sources/on-ecr.yaml');
    assert.match(text, /the AWS SDK found no credentials/);
    assert.ok(text.includes(`aws ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin ${ecr.host}`), text);
  });

  it('no Entra token or ACR refresh token in hovers, diagnostics or the server log', () => {
    const diagnostics = JSON.stringify(client.allNotifications);
    assertNoSecrets([...hovers, diagnostics, client.stderr].join('\n'), [ENTRA_TOKEN, ...acr.refreshTokens], 'editor output');
    assert.ok(acr.refreshTokens.size > 0, 'the exchange issued a refresh token');
  });
});
