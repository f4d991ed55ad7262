// `flux-oci pull` end to end through cli/main against a real registry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';
import { startRegistry, type Registry } from '../support/registry';
import { MediaTypes, pushBlob, pushFluxArtifact, pushManifest } from '../support/registry-push';
import { tgz } from '../support/tar';
import { startPagingProxy } from '../support/paging-proxy';
import { randomBytes } from 'node:crypto';

let registry: Registry;
let work: string;

const cli = (...argv: string[]) => runCli(argv);

before(async () => {
  registry = await startRegistry();
  work = mkdtempSync(join(tmpdir(), 'flux-oci-cli-pull-'));
  await pushFluxArtifact(registry, 'manifests/app', { tag: 'v1', files: { 'deploy/app.yaml': 'kind: ConfigMap\n', 'README.md': '# app\n' } });
  const config = await pushBlob(registry, 'manifests/evil', '{}', MediaTypes.fluxConfig);
  const layer = await pushBlob(
    registry,
    'manifests/evil',
    tgz([
      { name: 'fine.yaml', content: 'a: 1\n' },
      { name: '../../../pwned.txt', content: 'x' },
    ]),
    MediaTypes.fluxContent,
  );
  await pushManifest(registry, 'manifests/evil', { schemaVersion: 2, mediaType: MediaTypes.ociManifest, config, layers: [layer] }, 'v1');
});

after(async () => {
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('pull --output extracts the files into a new directory', async () => {
  const output = join(work, 'out1');
  const { code, out, err } = await cli('pull', `oci://${registry.host}/manifests/app:v1`, '--output', output, '--cache-dir', join(work, 'cache'));
  assert.equal(code, 0, err);
  assert.match(out, /wrote 2 files/);
  assert.equal(readFileSync(join(output, 'deploy/app.yaml'), 'utf8'), 'kind: ConfigMap\n');
  assert.deepEqual(
    readdirSync(work).filter((n) => n.includes('partial')),
    [],
  );
});

test('pull into an existing empty directory works; a non-empty one is refused untouched', async () => {
  const empty = join(work, 'empty');
  mkdirSync(empty);
  assert.equal((await cli('pull', `oci://${registry.host}/manifests/app:v1`, '-o', empty, '--cache-dir', join(work, 'cache'))).code, 0);
  assert.ok(existsSync(join(empty, 'README.md')));
  const busy = join(work, 'busy');
  mkdirSync(busy);
  writeFileSync(join(busy, 'keep.txt'), 'mine');
  const refused = await cli('pull', `oci://${registry.host}/manifests/app:v1`, '-o', busy, '--cache-dir', join(work, 'cache'));
  assert.equal(refused.code, 2);
  assert.match(refused.err, /not empty/);
  assert.deepEqual(readdirSync(busy), ['keep.txt']);
});

test('pull refuses an archive that escapes and writes nothing anywhere', async () => {
  const output = join(work, 'nested', 'deep', 'out');
  const { code, err } = await cli('pull', `oci://${registry.host}/manifests/evil:v1`, '--output', output, '--cache-dir', join(work, 'cache'));
  assert.equal(code, 1);
  assert.match(err, /Refused entry "\.\.\/\.\.\/\.\.\/pwned\.txt"/);
  assert.equal(existsSync(output), false);
  assert.equal(existsSync(join(work, 'pwned.txt')), false);
  assert.equal(existsSync(join(work, 'nested', 'pwned.txt')), false);
});

test('pull enforces --max-files and needs --output', async () => {
  const limited = await cli('pull', `oci://${registry.host}/manifests/app:v1`, '-o', join(work, 'limited'), '--cache-dir', join(work, 'cache2'), '--max-files', '1');
  assert.equal(limited.code, 1);
  assert.match(limited.err, /more than 1 entries/);
  assert.equal(existsSync(join(work, 'limited')), false);
  assert.equal((await cli('pull', `oci://${registry.host}/manifests/app:v1`)).code, 2);
  assert.equal((await cli('pull', `oci://${registry.host}/manifests/app:v1`, '--max-files', 'lots', '-o', 'x')).code, 2);
});

test('a registry that changes a byte of the layer fails the pull by its digest: no output, no tree, nothing staged', async () => {
  // Big enough that extraction runs while the layer downloads (it starts before the last MiB arrives). Whatever the
  // changed byte does to the archive, the digest decides, and the message says so.
  const pushed = await pushFluxArtifact(registry, 'manifests/large', {
    tag: 'v1',
    files: { 'first.yaml': 'kind: ConfigMap\n', 'data.txt': randomBytes(3 * 1024 * 1024).toString('base64'), 'last.yaml': 'kind: Secret\n' },
  });
  const layer = pushed.layers[0]!.digest;
  const proxy = await startPagingProxy(registry.url);
  try {
    proxy.faults.push({ match: new RegExp(layer), method: 'GET', fault: { kind: 'flip-byte' } });
    const cache = join(work, 'cache-lied-to');
    const output = join(work, 'lied-to');
    const { code, err } = await cli('pull', `oci://${proxy.host}/manifests/large:v1`, '--insecure', '--output', output, '--cache-dir', cache);
    assert.equal(code, 1, err);
    assert.match(err, /digest/i);
    assert.ok(err.includes(layer), `the message does not name the layer: ${err}`);
    assert.equal(existsSync(output), false, 'the output folder was created');
    assert.deepEqual(existsSync(join(cache, 'trees')) ? readdirSync(join(cache, 'trees'), { recursive: true }) : [], [], 'a tree was kept');
    assert.deepEqual(readdirSync(join(cache, 'tmp')), [], 'something was left staged');
    // The honest registry behind it: the same pull then succeeds, byte for byte.
    const again = await cli('pull', `oci://${registry.host}/manifests/large:v1`, '--output', output, '--cache-dir', cache);
    assert.equal(again.code, 0, again.err);
    assert.equal(readFileSync(join(output, 'last.yaml'), 'utf8'), 'kind: Secret\n');
  } finally {
    await proxy.stop();
  }
});
