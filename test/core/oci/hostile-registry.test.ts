// The transport against a hostile registry: endless paging with huge pages ends at the total caps with a clear message,
// a trickling blob ends at the minimum rate or the deadline (the message says which), and an Authorization header echoed
// in error codes, messages and details reaches no output (messages, CLI text/JSON, redaction of known values).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RegistryClient } from '../../../core/oci/registry-client';
import { TAG_LISTING_LIMITS } from '../../../core/oci/tag-list';
import { forgetCredentials } from '../../../shared/redaction';
import { registryErrorCodes, type RegistryError } from '../../../core/oci/errors';
import { startHostileRegistry, type HostileRegistry } from '../../support/hostile-registry';
import { runCli } from '../../cli/run-cli';
import { rejectsWith } from './registry-assertions';

const USER = 'hostile-user';
const PASSWORD = 'echo-me-pa55word';
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

describe('a hostile registry', () => {
  let hostile: HostileRegistry;
  before(async () => {
    hostile = await startHostileRegistry({ pageSize: 20_000, blob: Buffer.alloc(4096, 1), trickleBytes: 1, trickleEveryMs: 50 });
  });
  after(async () => {
    await hostile?.close();
    forgetCredentials();
  });

  it('endless paging with 20,000-tag pages stops at the total cap with a clear too-large message', async () => {
    const client = new RegistryClient();
    try {
      const before = hostile.pagesServed;
      const error = await rejectsWith(client.listTags({ registry: hostile.host, repository: 'endless/app' }), 'too-large');
      assert.match(error.message, /The tag list of 127\.0\.0\.1:\d+\/endless\/app has more than (250000 tags|32 MiB of listing) \(stopped after \d+ pages\)/);
      const pages = hostile.pagesServed - before;
      assert.ok(pages <= Math.ceil(TAG_LISTING_LIMITS.maxTags / 20_000) + 1, `${pages} pages fetched`);
    } finally {
      await client.close();
    }
  });

  it('a trickling blob ends at the minimum transfer rate, and the message names that limit', async () => {
    const client = new RegistryClient({ minimumRate: { bytesPerSecond: 100, windowMs: 300 } });
    try {
      const error = await rejectsWith(client.fetchBlobBuffer({ registry: hostile.host, repository: 'trickle/app' }, hostile.blobDigest, { deadlineMs: 60_000 }), 'timeout');
      assert.match(error.message, /slower than the minimum 100 B\/s over 300 ms \(\d+ bytes received\)/);
    } finally {
      await client.close();
    }
  });

  it('the same trickle with the rate check off ends at the deadline, named with what set it', async () => {
    const client = new RegistryClient({ minimumRate: false });
    try {
      const chunks: number[] = [];
      const error = await rejectsWith(
        client.downloadBlob(
          { registry: hostile.host, repository: 'trickle/app' },
          hostile.blobDigest,
          { write: (c) => void chunks.push(c.byteLength) },
          { deadlineMs: 400, deadlineLabel: 'spec.timeout' },
        ),
        'timeout',
      );
      assert.match(error.message, /did not finish within 400 ms \(spec\.timeout\)/);
    } finally {
      await client.close();
    }
  });

  it('registry error codes must be well-formed: echoed headers and lower-case text are dropped', () => {
    const body = JSON.stringify({ errors: [{ code: `Basic ${BASIC}` }, { code: 'MANIFEST_UNKNOWN', message: PASSWORD }, { code: 'A'.repeat(65) }, { code: 'DENIED' }, { code: 42 }] });
    assert.deepEqual(registryErrorCodes(body), ['MANIFEST_UNKNOWN', 'DENIED']);
  });

  it('an Authorization header echoed in codes, messages and details never reaches a message or the CLI', async () => {
    const credentials = { name: 'test', lookup: async () => ({ username: USER, password: PASSWORD, source: 'test credentials' }) };
    const client = new RegistryClient({ credentials });
    try {
      for (const call of [() => client.listTags({ registry: hostile.host, repository: 'echo/app' }), () => client.getManifest({ registry: hostile.host, repository: 'echo/app' }, '1.0.0')]) {
        const error = await call().then(
          () => assert.fail('expected a RegistryError'),
          (e: unknown) => e as RegistryError,
        );
        assert.equal(error.name, 'RegistryError');
        const text = `${error.message} ${JSON.stringify(error.details)}`;
        assert.ok(!text.includes(PASSWORD) && !text.includes(BASIC), text);
      }
    } finally {
      await client.close();
    }
    // A CLI run whose docker config holds the credential: text and JSON output hold neither it nor its base64.
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dockerDir = mkdtempSync(join(tmpdir(), 'flux-oci-hostile-docker-'));
    const saved = process.env.DOCKER_CONFIG;
    try {
      writeFileSync(join(dockerDir, 'config.json'), JSON.stringify({ auths: { [hostile.host]: { auth: BASIC } } }));
      process.env.DOCKER_CONFIG = dockerDir;
      for (const args of [
        ['tags', `oci://${hostile.host}/echo/app`],
        ['tags', `oci://${hostile.host}/echo/app`, '--format', 'json'],
        ['inspect', `oci://${hostile.host}/echo/app:1.0.0`, '--format', 'json', '--cache-dir', join(dockerDir, 'cache')],
      ]) {
        const result = await runCli(args);
        assert.equal(result.code, 2, result.err);
        const all = result.out + result.err;
        assert.ok(!all.includes(PASSWORD) && !all.includes(BASIC), `${args.join(' ')}: ${all}`);
      }
    } finally {
      if (saved === undefined) delete process.env.DOCKER_CONFIG;
      else process.env.DOCKER_CONFIG = saved;
      rmSync(dockerDir, { recursive: true, force: true });
    }
  });
});
