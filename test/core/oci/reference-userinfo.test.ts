// References with `user:password@` before the host are refused everywhere (parser, offline spec.url check, CLI) with a
// message that never repeats them, and the offline check does not mistake the `@` for a digest. Docker Hub names too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOciReference, parseOciUrl } from '../../../core/oci/reference';
import { checkOciUrl } from '../../../core/manifests/value-formats';
import { type RegistryError } from '../../../core/oci/errors';
import { runCli } from '../../cli/run-cli';

const SECRET = 's3cr3t-pw';
const WITH_USERINFO = [`oci://bob:${SECRET}@ghcr.io/org/app`, `oci://bob:${SECRET}@ghcr.io/org/app:1.0.0`, `bob:${SECRET}@ghcr.io/org/app@sha256:${'a'.repeat(64)}`, `oci://${SECRET}@ghcr.io/org/app`];

test('the parsers refuse userinfo without repeating it', () => {
  for (const reference of WITH_USERINFO) {
    for (const parse of [parseOciReference, ...(reference.startsWith('oci://') && !reference.endsWith('1.0.0') ? [parseOciUrl] : [])]) {
      assert.throws(
        () => parse(reference),
        (error: RegistryError) => {
          assert.equal(error.code, 'invalid-reference');
          assert.match(error.message, /holds credentials/);
          assert.ok(!error.message.includes(SECRET) && !error.message.includes('bob'), error.message);
          return true;
        },
      );
    }
  }
});

test('the offline spec.url check reports credentials, not a digest', () => {
  const problem = checkOciUrl(`oci://bob:${SECRET}@ghcr.io/org/app`);
  assert.equal(problem?.kind, 'invalid');
  assert.ok(problem?.kind === 'invalid' && !problem.message.includes(SECRET));
  assert.equal(checkOciUrl(`oci://ghcr.io/org/app@sha256:${'a'.repeat(64)}`)?.kind, 'digest', 'a real digest is still recognised');
});

test('Docker Hub: docker.io and index.docker.io go to registry-1.docker.io, single names under library/', () => {
  for (const host of ['docker.io', 'index.docker.io']) {
    const ref = parseOciReference(`oci://${host}/nginx:1.27`);
    assert.deepEqual([ref.registry, ref.repository, ref.tag], ['registry-1.docker.io', 'library/nginx', '1.27']);
  }
  assert.equal(parseOciUrl('oci://docker.io/bitnamicharts/redis').repository, 'bitnamicharts/redis');
});

test('CLI: tags and check never print the credential', async () => {
  const tags = await runCli(['tags', `oci://bob:${SECRET}@127.0.0.1:1/org/app`]);
  assert.equal(tags.code, 2);
  assert.match(tags.err, /holds credentials/);
  assert.ok(!(tags.out + tags.err).includes(SECRET));
  const dir = mkdtempSync(join(tmpdir(), 'flux-oci-userinfo-'));
  try {
    writeFileSync(
      join(dir, 'source.yaml'),
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: app\n  namespace: apps\nspec:\n  interval: 5m\n  url: oci://bob:${SECRET}@ghcr.io/org/app\n  ref:\n    tag: 1.0.0\n`,
    );
    for (const format of ['text', 'json', 'sarif']) {
      const check = await runCli(['check', dir, '--format', format]);
      assert.equal(check.code, 1, check.err);
      assert.match(check.out, /oci-url-invalid/);
      assert.match(check.out, /holds credentials/);
      assert.doesNotMatch(check.out, /digest/i, 'the @ is not read as a digest');
      // The SARIF/JSON report carries no snippet of the line; the message never repeats the URL.
      assert.ok(!check.out.includes(SECRET), `${format} output holds the password`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
