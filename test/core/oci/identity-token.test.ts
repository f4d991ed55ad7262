// The docker `identitytoken` (OAuth2 refresh token) flow against a real registry behind our own token server.
// Covers the form-encoded POST, the GET fallback on 404, and a rejected token reported by source without its value.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryClient } from '../../../core/oci/registry-client';
import { dockerConfigCredentials } from '../../../core/oci/credentials/docker-config-file';
import { startRegistry, type Registry } from '../../support/registry';
import { pushHelmChart } from '../../support/registry-push';
import { rejectsWith } from './registry-assertions';

const REFRESH_TOKEN = 'refresh-Tok3n-for-robot-7f2c';
const WRONG_TOKEN = 'refresh-Wr0ng-token-91ab';

describe('docker config identitytoken against a token-protected registry', () => {
  let registry: Registry;
  let dir: string;
  const clients: RegistryClient[] = [];
  const client = (configPath: string, log?: (line: string) => void) => {
    const c = new RegistryClient({ maxRetries: 0, credentials: dockerConfigCredentials({ path: configPath }), log });
    clients.push(c);
    return c;
  };
  const writeConfig = (name: string, identitytoken: string): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from('<token>:').toString('base64'), identitytoken } } }));
    return path;
  };
  const tokenServer = () => registry.tokenServer!;
  const repo = () => ({ registry: registry.host, repository: 'robots/app' });

  before(async () => {
    registry = await startRegistry({ auth: { token: { allowAnonymous: false, refreshTokens: { [REFRESH_TOKEN]: 'robot' } } } });
    await pushHelmChart(registry, 'robots/app', { name: 'app', version: '3.1.0' });
    await pushHelmChart(registry, 'robots/app', { name: 'app', version: '3.2.0' });
    dir = mkdtempSync(join(tmpdir(), 'flux-oci-identity-token-'));
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the registry really is closed to anonymous pulls', async () => {
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '{}');
    await rejectsWith(client(empty).listTags(repo()), 'auth-required');
  });

  it('POSTs a refresh_token grant (form-encoded) and uses the returned access_token', async () => {
    tokenServer().exchanges.length = 0;
    const list = await client(writeConfig('config-good.json', REFRESH_TOKEN)).listTags(repo());
    assert.deepEqual([...list.tags].sort(), ['3.1.0', '3.2.0']);
    const posts = tokenServer().exchanges.filter((e) => e.method === 'POST');
    assert.equal(posts.length, 1, JSON.stringify(tokenServer().exchanges));
    assert.equal(posts[0].outcome, 'granted');
    assert.equal(posts[0].grantType, 'refresh_token');
    assert.equal(posts[0].clientId, 'flux-oci');
    assert.equal(posts[0].service, tokenServer().service);
    assert.deepEqual(posts[0].scopes, ['repository:robots/app:pull']);
    assert.equal(posts[0].user, 'robot');
    assert.equal(tokenServer().exchanges.filter((e) => e.method === 'GET').length, 0, 'no GET when POST works');
  });

  for (const shape of ['with auth "<token>:" as docker login writes it', 'identitytoken alone'] as const) {
    it(`falls back to GET (Basic <token>:refresh token) when the token server answers POST with 404 (${shape})`, async () => {
      tokenServer().settings.acceptPost = false;
      tokenServer().exchanges.length = 0;
      try {
        const path = shape === 'identitytoken alone' ? join(dir, 'config-fallback-bare.json') : writeConfig('config-fallback.json', REFRESH_TOKEN);
        if (shape === 'identitytoken alone') writeFileSync(path, JSON.stringify({ auths: { [registry.host]: { identitytoken: REFRESH_TOKEN } } }));
        const list = await client(path).listTags(repo());
        assert.equal(list.tags.length, 2);
        assert.deepEqual(
          tokenServer().exchanges.map((e) => [e.method, e.outcome]),
          [
            ['POST', 404],
            ['GET', 'granted'],
          ],
        );
        assert.equal(tokenServer().exchanges[1].user, '<token>');
      } finally {
        tokenServer().settings.acceptPost = undefined;
      }
    });
  }

  it('a wrong identity token: one clear auth error naming the docker config, without the token', async () => {
    const lines: string[] = [];
    const path = writeConfig('config-wrong.json', WRONG_TOKEN);
    tokenServer().exchanges.length = 0;
    const error = await rejectsWith(client(path, (l) => lines.push(l)).listTags(repo()), 'auth-required');
    assert.match(error.message, /rejected the credentials/);
    assert.ok(error.message.includes(`docker config ${path}`), error.message);
    assert.deepEqual(error.details.triedSources, [`docker config ${path} (auths ${registry.host})`]);
    for (const text of [error.message, JSON.stringify(error.details), ...lines]) {
      assert.ok(!text.includes(WRONG_TOKEN), 'identity token leaked');
      assert.ok(!text.includes(Buffer.from(`<token>:${WRONG_TOKEN}`).toString('base64')), 'Basic form of the token leaked');
    }
    assert.ok(tokenServer().exchanges.length <= 2, `bounded exchanges, saw ${tokenServer().exchanges.length}`);
    assert.ok(
      tokenServer().exchanges.every((e) => e.outcome === 401 && e.method === 'POST'),
      JSON.stringify(tokenServer().exchanges),
    );
  });
});
