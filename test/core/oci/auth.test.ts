// Auth against real registries: htpasswd Basic with credentials from several sources, and token auth with our own token server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryClient } from '../../../core/oci/registry-client';
import { RegistryError } from '../../../core/oci/errors';
import { credentialChain } from '../../../core/oci/credentials/chain';
import { dockerConfigCredentials } from '../../../core/oci/credentials/docker-config-file';
import { staticCredentials } from '../../../core/oci/credentials/static-credentials';
import { startRegistry, type Registry } from '../../support/registry';
import { pushHelmChart } from '../../support/registry-push';

const USER = 'alice';
const PASS = 'pw-Very-Secret-42';

async function rejectsWith(promise: Promise<unknown>, codes: string[]): Promise<RegistryError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RegistryError, `expected RegistryError, got ${String(error)}`);
    assert.ok(codes.includes(error.code), `${error.code}: ${error.message}`);
    return error;
  }
  assert.fail(`expected a RegistryError ${codes.join('|')}`);
}

describe('htpasswd (Basic) registry', () => {
  let registry: Registry;
  let dir: string;
  const clients: RegistryClient[] = [];
  const client = (o: ConstructorParameters<typeof RegistryClient>[0] = {}) => {
    const c = new RegistryClient({ maxRetries: 0, ...o });
    clients.push(c);
    return c;
  };
  before(async () => {
    registry = await startRegistry({ auth: { htpasswd: { user: USER, pass: PASS } } });
    await pushHelmChart(registry, 'private/chart', { name: 'chart', version: '2.0.0' });
    dir = mkdtempSync(join(tmpdir(), 'flux-oci-auth-'));
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const repo = () => ({ registry: registry.host, repository: 'private/chart' });

  it('without credentials: auth-required naming the sources tried', async () => {
    const emptyConfig = join(dir, 'empty-config.json');
    writeFileSync(emptyConfig, '{}');
    const c = client({ credentials: dockerConfigCredentials({ path: emptyConfig }) });
    const error = await rejectsWith(c.listTags(repo()), ['auth-required']);
    assert.match(error.message, /no credentials were found/);
    assert.match(error.message, /docker config/);
    assert.deepEqual(error.details.triedSources, [`docker config ${emptyConfig}`]);
  });

  it('with a workspace Secret (.dockerconfigjson), matched like Flux', async () => {
    const secret = { auths: { [registry.host]: { auth: Buffer.from(`${USER}:${PASS}`).toString('base64').replace(/=+$/, '') } } };
    const list = await client().listTags(repo(), { secret });
    assert.deepEqual(list.tags, ['2.0.0']);
  });

  it('with docker config.json `auths` (username/password form)', async () => {
    const path = join(dir, 'config-auths.json');
    writeFileSync(path, JSON.stringify({ auths: { [`http://${registry.host}/v2/`]: { username: USER, password: PASS } } }));
    const list = await client({ credentials: dockerConfigCredentials({ path }) }).listTags(repo());
    assert.deepEqual(list.tags, ['2.0.0']);
  });

  it('with a docker-credential-test helper from credHelpers (run with a PATH of our own)', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    const log = join(dir, 'helper-calls.log');
    writeFileSync(
      join(bin, 'docker-credential-test'),
      `#!/bin/sh\nread server\necho "$1 $server" >> ${log}\nif [ "$server" = "${registry.host}" ]; then echo '{"ServerURL":"${registry.host}","Username":"${USER}","Secret":"${PASS}"}'; else echo "credentials not found in native keychain"; exit 1; fi\n`,
    );
    chmodSync(join(bin, 'docker-credential-test'), 0o755);
    const configDir = join(dir, 'docker-home');
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ credHelpers: { [registry.host]: 'test' }, credsStore: 'missing-store' }));
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, DOCKER_CONFIG: configDir };
    const c = client({ credentials: dockerConfigCredentials({ env }) });
    const results = await Promise.all(Array.from({ length: 20 }, () => c.listTags(repo())));
    assert.ok(results.every((r) => r.tags[0] === '2.0.0'));
    const { readFileSync } = await import('node:fs');
    assert.equal(readFileSync(log, 'utf8').trim(), `get ${registry.host}`, 'helper ran once, with `get` and the host on stdin');
  });

  it('prefers the workspace Secret over stored credentials over the docker config', async () => {
    const configPath = join(dir, 'config-wrong.json');
    writeFileSync(configPath, JSON.stringify({ auths: { [registry.host]: { username: USER, password: 'wrong-from-docker' } } }));
    const stored = staticCredentials({ [registry.host]: { username: USER, password: 'wrong-from-store' } });
    const chain = credentialChain(stored, dockerConfigCredentials({ path: configPath }));
    // Secret right, others wrong → works
    const good = { auths: { [registry.host]: { username: USER, password: PASS } } };
    assert.deepEqual((await client({ credentials: chain }).listTags(repo(), { secret: good, secretLabel: 'Secret flux-system/regcred' })).tags, ['2.0.0']);
    // no Secret: stored credentials win over docker config, and the error names them
    const error = await rejectsWith(client({ credentials: chain }).listTags(repo()), ['auth-required']);
    assert.match(error.message, /rejected the credentials from stored credentials/);
    // a Secret for another host does not match; the chain is used
    const other = { auths: { 'ghcr.io': { username: 'x', password: 'y' } } };
    const error2 = await rejectsWith(client({ credentials: chain }).listTags(repo(), { secret: other }), ['auth-required']);
    assert.match(error2.message, /stored credentials/);
  });

  it('a wrong password gives one clear error, no loop, and no password in any message or log line', async () => {
    const lines: string[] = [];
    const c = client({ log: (l) => lines.push(l), credentials: staticCredentials({ [registry.host]: { username: USER, password: 'hunter2-wrong' } }) });
    const before = c.stats().requests;
    const error = await rejectsWith(c.listTags(repo()), ['auth-required']);
    assert.ok(c.stats().requests - before <= 2, 'one anonymous try and one with credentials');
    for (const text of [error.message, JSON.stringify(error.details), ...lines]) {
      assert.ok(!text.includes('hunter2-wrong'), 'password leaked');
      assert.ok(!text.includes(PASS));
      assert.ok(!text.includes(Buffer.from(`${USER}:hunter2-wrong`).toString('base64')));
    }
  });
});

describe('token auth registry (our own token server)', () => {
  let registry: Registry;
  const clients: RegistryClient[] = [];
  const client = (o: ConstructorParameters<typeof RegistryClient>[0] = {}) => {
    const c = new RegistryClient({ maxRetries: 0, ...o });
    clients.push(c);
    return c;
  };
  before(async () => {
    registry = await startRegistry({ auth: { token: { denyRepositories: ['team/secret'], users: { reader: 'reader-pass-9' } } } });
    await pushHelmChart(registry, 'team/app', { name: 'app', version: '1.0.0' });
    await pushHelmChart(registry, 'team/app', { name: 'app', version: '1.1.0' });
    await pushHelmChart(registry, 'team/secret', { name: 'secret', version: '0.1.0' });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await registry.stop();
  });
  const token = () => registry.tokenServer!;
  const repo = (repository = 'team/app') => ({ registry: registry.host, repository });

  it('anonymous token for a pull scope the client builds; parallel calls share one exchange', async () => {
    token().exchanges.length = 0;
    const c = client();
    const [a, b] = await Promise.all([c.listTags(repo()), c.getManifest(repo(), '1.0.0')]);
    assert.deepEqual([...a.tags].sort(), ['1.0.0', '1.1.0']);
    assert.ok(b.digest.startsWith('sha256:'));
    await c.getManifest(repo(), '1.1.0');
    assert.equal(token().exchanges.length, 1, 'one exchange, reused');
    assert.deepEqual(token().exchanges[0].scopes, ['repository:team/app:pull']);
    assert.equal(token().exchanges[0].user, undefined);
  });

  it('accepts access_token instead of token, and a missing expires_in', async () => {
    token().settings.responseField = 'access_token';
    token().settings.expiresInSeconds = null;
    try {
      const list = await client().listTags(repo());
      assert.equal(list.tags.length, 2);
    } finally {
      token().settings.responseField = 'token';
      token().settings.expiresInSeconds = undefined;
    }
  });

  it('exchanges again once a short-lived token has expired', async () => {
    token().settings.expiresInSeconds = 2;
    try {
      const c = client({ cacheTtlMs: 1 });
      token().exchanges.length = 0;
      await c.listTags(repo());
      await c.listTags(repo());
      assert.equal(token().exchanges.length, 1);
      await new Promise((r) => setTimeout(r, 1200));
      await c.listTags(repo());
      assert.equal(token().exchanges.length, 2);
    } finally {
      token().settings.expiresInSeconds = undefined;
    }
  });

  it('a token the registry rejects (invalid_token) is exchanged exactly once more', async () => {
    const c = client({ cacheTtlMs: 1 });
    await c.listTags(repo());
    token().settings.expClaimOffsetSeconds = -3600; // the registry now refuses every new token
    token().exchanges.length = 0;
    try {
      c.clearCache();
      const error = await rejectsWith(c.listTags(repo()), ['auth-required', 'denied']);
      assert.ok(token().exchanges.length <= 2, `bounded exchanges, saw ${token().exchanges.length}`);
      assert.match(error.message, /team\/app/);
    } finally {
      token().settings.expClaimOffsetSeconds = undefined;
    }
    assert.equal((await c.listTags(repo())).tags.length, 2, 'recovers with a fresh exchange');
  });

  it('insufficient_scope on a denied repository: a clear error after one fresh exchange', async () => {
    const c = client();
    await c.listTags(repo());
    token().exchanges.length = 0;
    const error = await rejectsWith(c.listTags(repo('team/secret')), ['auth-required', 'denied']);
    assert.match(error.message, /team\/secret/);
    assert.match(error.message, /denied/);
    assert.equal(token().exchanges.length, 2);
    assert.ok(token().exchanges.every((e) => e.scopes[0] === 'repository:team/secret:pull'));
  });

  it('sends credentials to the token server and reports rejected ones without the password', async () => {
    const good = client({ credentials: staticCredentials({ [registry.host]: { username: 'reader', password: 'reader-pass-9' } }) });
    token().exchanges.length = 0;
    assert.equal((await good.listTags(repo())).tags.length, 2);
    assert.equal(token().exchanges[0].user, 'reader');
    const bad = client({ credentials: staticCredentials({ [registry.host]: { username: 'reader', password: 'nope-wrong-pw' } }, 'VS Code stored credentials') });
    const error = await rejectsWith(bad.listTags(repo()), ['auth-required']);
    assert.match(error.message, /VS Code stored credentials/);
    assert.ok(!error.message.includes('nope-wrong-pw'));
  });
});
