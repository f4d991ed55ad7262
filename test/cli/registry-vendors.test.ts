// Seven registries' auth behaviour end to end through `flux-oci tags` (and `check --online` for a workspace Secret), each a
// fake in front of a real registry: Docker Hub, GHCR, ECR, ACR, Artifact Registry, Harbor, Quay. No secret in any output.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { runCli } from './run-cli';
import { startRegistry, type Registry } from '../support/registry';
import { pushHelmChart, pushManyTags } from '../support/registry-push';
import type { FakeRegistry } from '../support/fake-registry';
import { startFakeAcr, startFakeArtifactRegistry, startFakeDockerHub, startFakeEcr, startFakeGhcr, startFakeHarbor, startFakeQuay, type FakeAcr } from '../support/fake-vendor-registries';
import { withEnv } from '../support/scoped-env';
import { assertNoSecrets } from '../support/secret-assertions';

const TAGS = ['1.0.0', '1.1.0', '2.0.0'];
const HUB_PASSWORD = 'dckr_pat_hub-secret-0a1b2c3d';
const GHCR_PAT = 'ghp_fakePersonalAccessToken12345';
const ECR_PASSWORD = 'ecr-login-password-from-aws-cli-77';
const ENTRA_TOKEN = 'entra-access-token-for-vendors-test';
const GOOGLE_TOKEN = 'ya29.fake-static-access-token-for-gar';
const HARBOR_ROBOT = 'robot$flux-apps+ci';
const HARBOR_SECRET = 'harbor-robot-secret-Qm9ib3Q';
const QUAY_ROBOT = 'acme+flux_reader';
const QUAY_SECRET = 'QUAYROBOTTOKEN0123456789ABCDEF';

const basicAuth = (user: string, pass: string) => Buffer.from(`${user}:${pass}`).toString('base64');

describe('registry behaviours through the CLI', () => {
  let registry: Registry;
  let hub: FakeRegistry;
  let ghcr: FakeRegistry;
  let ecr: FakeRegistry;
  let acr: FakeAcr;
  let gar: FakeRegistry;
  let harbor: FakeRegistry;
  let quay: FakeRegistry;
  let dir: string;
  const outputs: string[] = [];

  /** Runs the CLI with a docker config holding exactly `auths` (and no helpers reachable on PATH). */
  const cli = async (argv: string[], auths: Record<string, Record<string, string>> = {}) => {
    const configDir = mkdtempSync(join(dir, 'docker-'));
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ auths }));
    const result = await withEnv({ DOCKER_CONFIG: configDir, PATH: join(dir, 'empty-bin'), HOME: dir }, () => runCli(argv));
    outputs.push(result.out + result.err);
    return result;
  };
  const tags = (fake: FakeRegistry, repository: string, auths?: Record<string, Record<string, string>>) => cli(['tags', `oci://${fake.host}/${repository}`], auths);
  const lines = (out: string) => out.trim().split('\n').sort();
  const tokenEvents = (fake: FakeRegistry) => fake.events.filter((e) => e.kind === 'token');

  before(async () => {
    registry = await startRegistry();
    for (const repository of ['library/nginx', 'org/public-app', 'org/private-app', 'flux-apps/web', 'acme/web']) await pushManyTags(registry, repository, TAGS);
    hub = await startFakeDockerHub(registry.url, { publicRepositories: ['library/nginx'], accounts: { hubuser: HUB_PASSWORD } });
    ghcr = await startFakeGhcr(registry.url, { publicRepositories: ['org/public-app'], accounts: { octocat: GHCR_PAT } });
    ecr = await startFakeEcr(registry.url, (password) => password === ECR_PASSWORD, 1);
    acr = await startFakeAcr(registry.url, (token) => token === ENTRA_TOKEN);
    gar = await startFakeArtifactRegistry(registry.url, (token) => token === GOOGLE_TOKEN);
    harbor = await startFakeHarbor(registry.url, { accounts: { [HARBOR_ROBOT]: HARBOR_SECRET } });
    quay = await startFakeQuay(registry.url, { publicRepositories: ['acme/web'], accounts: { [QUAY_ROBOT]: QUAY_SECRET } });
    dir = mkdtempSync(join(tmpdir(), 'flux-oci-vendors-'));
    mkdirSync(join(dir, 'empty-bin'));
  });

  after(async () => {
    await Promise.all([hub, ghcr, ecr, acr, gar, harbor, quay].map((f) => f.stop()));
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('Docker Hub', () => {
    it('anonymous pull of library/nginx with a token from the realm on another host', async () => {
      hub.events.length = 0;
      const r = await tags(hub, 'library/nginx');
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(lines(r.out), TAGS);
      assert.notEqual(new URL(hub.realmUrl!).host, hub.host, 'the realm is a second host, like auth.docker.io');
      assert.deepEqual(
        tokenEvents(hub).map((e) => [e.user, e.scopes, e.status]),
        [[undefined, ['repository:library/nginx:pull'], 200]],
      );
    });

    it('a single-segment name without library/ is not the official image: the token grants nothing', async () => {
      const r = await tags(hub, 'nginx');
      assert.equal(r.code, 2);
      assert.match(r.err, /denied|requires authentication/);
    });

    it('a private repository needs the account; a wrong password is named by its source, never shown', async () => {
      const anonymous = await tags(hub, 'org/private-app');
      assert.equal(anonymous.code, 2);
      const good = await tags(hub, 'org/private-app', { [hub.host]: { auth: basicAuth('hubuser', HUB_PASSWORD) } });
      assert.equal(good.code, 0, good.err);
      const wrong = await tags(hub, 'org/private-app', { [hub.host]: { auth: basicAuth('hubuser', `${HUB_PASSWORD}-old`) } });
      assert.equal(wrong.code, 2);
      assert.match(wrong.err, /rejected the credentials from docker config/);
      assertNoSecrets(wrong.err, [`${HUB_PASSWORD}-old`]);
    });
  });

  describe('GHCR', () => {
    it('anonymous token for a public package', async () => {
      ghcr.events.length = 0;
      const r = await tags(ghcr, 'org/public-app');
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(
        tokenEvents(ghcr).map((e) => [e.user, e.path]),
        [[undefined, '/token']],
      );
    });

    it('a private package answers 403 DENIED to an anonymous token, and lists with a PAT', async () => {
      const anonymous = await tags(ghcr, 'org/private-app');
      assert.equal(anonymous.code, 2);
      assert.match(anonymous.err, /Pull access to .*org\/private-app was denied/);
      const withPat = await tags(ghcr, 'org/private-app', { [ghcr.host]: { auth: basicAuth('octocat', GHCR_PAT) } });
      assert.equal(withPat.code, 0, withPat.err);
      assert.deepEqual(lines(withPat.out), TAGS);
    });
  });

  describe('ECR', () => {
    it('Basic AWS:<password> as `docker login` stores it, every tag through nextToken cursors', async () => {
      ecr.events.length = 0;
      const r = await tags(ecr, 'org/private-app', { [ecr.host]: { auth: basicAuth('AWS', ECR_PASSWORD) } });
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(lines(r.out), TAGS);
      const pages = ecr.events.filter((e) => e.path.endsWith('/tags/list') && e.status === 200);
      assert.equal(pages.length, 3, 'one tag per page');
    });

    it('without credentials: a Basic challenge and a message that says so', async () => {
      const r = await tags(ecr, 'org/private-app');
      assert.equal(r.code, 2);
      assert.match(r.err, /requires authentication/);
    });
  });

  describe('ACR', () => {
    it('the refresh token from /oauth2/exchange, stored as `az acr login` does, becomes registry tokens at /oauth2/token', async () => {
      const exchange = await request(`${acr.url}/oauth2/exchange`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'access_token', service: acr.host, access_token: ENTRA_TOKEN }).toString(),
      });
      const { refresh_token: refresh } = (await exchange.body.json()) as { refresh_token: string };
      acr.events.length = 0;
      const r = await tags(acr, 'org/private-app', { [acr.host]: { auth: basicAuth('00000000-0000-0000-0000-000000000000', ''), identitytoken: refresh } });
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(
        tokenEvents(acr).map((e) => [e.method, e.grantType, e.status]),
        [['POST', 'refresh_token', 200]],
      );
    });

    it('an Entra token the registry does not accept is refused at the exchange', async () => {
      const exchange = await request(`${acr.url}/oauth2/exchange`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=access_token&service=x&access_token=forged',
      });
      assert.equal(exchange.statusCode, 401);
      await exchange.body.dump();
    });
  });

  it('Artifact Registry: oauth2accesstoken + access token for a registry token', async () => {
    gar.events.length = 0;
    const r = await tags(gar, 'org/private-app', { [gar.host]: { auth: basicAuth('oauth2accesstoken', GOOGLE_TOKEN) } });
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(
      tokenEvents(gar).map((e) => [e.user, e.path, e.status]),
      [['oauth2accesstoken', '/v2/token', 200]],
    );
  });

  describe('Harbor', () => {
    it('a robot account `robot$project+name` keeps its `$` through the docker config and Basic', async () => {
      harbor.events.length = 0;
      const r = await tags(harbor, 'flux-apps/web', { [harbor.host]: { auth: basicAuth(HARBOR_ROBOT, HARBOR_SECRET) } });
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(
        tokenEvents(harbor).map((e) => [e.user, e.path, e.status]),
        [[HARBOR_ROBOT, '/service/token', 200]],
      );
    });

    it('and through a workspace pull Secret in check --online (username/password fields)', async () => {
      await pushHelmChart(registry, 'flux-apps/chart', { name: 'chart', version: '0.4.0' });
      harbor.events.length = 0;
      const manifests = mkdtempSync(join(dir, 'harbor-'));
      const dockerconfig = JSON.stringify({ auths: { [harbor.host]: { username: HARBOR_ROBOT, password: HARBOR_SECRET } } });
      writeFileSync(
        join(manifests, 'source.yaml'),
        `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: chart
  namespace: apps
spec:
  interval: 5m
  url: oci://${harbor.host}/flux-apps/chart
  secretRef:
    name: harbor-robot
  layerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy
  ref:
    semver: "0.x"
---
apiVersion: v1
kind: Secret
metadata:
  name: harbor-robot
  namespace: apps
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '${dockerconfig}'
`,
      );
      const r = await cli(['check', manifests, '--online', '--format', 'json', '--cache-dir', join(dir, 'cache')]);
      const report = JSON.parse(r.out) as { files: Array<{ objects: Array<{ kind: string; resolved?: { tag: string | null } }> }> };
      assert.equal(report.files[0]!.objects.find((o) => o.kind === 'OCIRepository')?.resolved?.tag, '0.4.0', r.out + r.err);
      assert.deepEqual([...new Set(tokenEvents(harbor).map((e) => e.user))], [HARBOR_ROBOT]);
    });
  });

  describe('Quay', () => {
    it('anonymous pulls of a public repository, robot `org+name` for the rest', async () => {
      quay.events.length = 0;
      const anonymous = await tags(quay, 'acme/web');
      assert.equal(anonymous.code, 0, anonymous.err);
      const refused = await tags(quay, 'org/private-app');
      assert.equal(refused.code, 2);
      const robot = await tags(quay, 'org/private-app', { [quay.host]: { auth: basicAuth(QUAY_ROBOT, QUAY_SECRET) } });
      assert.equal(robot.code, 0, robot.err);
      assert.deepEqual(
        tokenEvents(quay)
          .filter((e) => e.user)
          .map((e) => [e.user, e.path]),
        [[QUAY_ROBOT, '/v2/auth']],
      );
    });
  });

  it('no password, token or robot secret appeared in any output', () => {
    assertNoSecrets(outputs.join('\n'), [HUB_PASSWORD, GHCR_PAT, ECR_PASSWORD, ENTRA_TOKEN, GOOGLE_TOKEN, HARBOR_SECRET, QUAY_SECRET, ...acr.refreshTokens]);
  });
});
