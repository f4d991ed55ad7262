// `flux-oci inspect` end to end through cli/main against a real registry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';
import { startRegistry, type Registry } from '../support/registry';
import { pushFluxArtifact, pushHelmChart } from '../support/registry-push';

let registry: Registry;
let cacheDir: string;

const cli = (...argv: string[]) => runCli(argv);

before(async () => {
  registry = await startRegistry();
  cacheDir = mkdtempSync(join(tmpdir(), 'flux-oci-cli-inspect-'));
  await pushHelmChart(registry, 'charts/podinfo', { name: 'podinfo', version: '6.7.1', appVersion: '6.7.1', provenance: true });
  await pushFluxArtifact(registry, 'manifests/app', { tag: 'v2', files: { 'deploy/app.yaml': 'kind: ConfigMap\n' } });
});

after(async () => {
  await registry?.stop();
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
});

test('inspect --format json prints the summary of a chart', async () => {
  const { code, out, err } = await cli('inspect', `oci://${registry.host}/charts/podinfo:6.7.1`, '--format', 'json', '--cache-dir', cacheDir);
  assert.equal(code, 0, err);
  const summary = JSON.parse(out) as { kind: string; chart: { name: string; version: string }; files: Array<{ path: string; size: number }>; layers: Array<{ selected: boolean; mediaType: string }> };
  assert.equal(summary.kind, 'helm-chart');
  assert.deepEqual([summary.chart.name, summary.chart.version], ['podinfo', '6.7.1']);
  assert.ok(summary.files.some((f) => f.path === 'podinfo/values.yaml' && f.size > 0));
  assert.equal(summary.layers.find((l) => l.selected)?.mediaType, 'application/vnd.cncf.helm.chart.content.v1.tar+gzip');
});

test('inspect prints text with annotations and the file list', async () => {
  const { code, out } = await cli('inspect', `oci://${registry.host}/manifests/app:v2`, '--cache-dir', cacheDir);
  assert.equal(code, 0);
  assert.match(out, /kind: {6}Flux artifact/);
  assert.match(out, /revision: {2}main@sha1:/);
  assert.match(out, /16 B {2}deploy\/app\.yaml/);
});

test('inspect reports usage errors and registry errors with exit code 2', async () => {
  assert.equal((await cli('inspect')).code, 2);
  assert.equal((await cli('inspect', 'oci://x/y:z', '--format', 'xml')).code, 2);
  const missing = await cli('inspect', `oci://${registry.host}/manifests/app:nope`, '--cache-dir', cacheDir);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /^flux-oci inspect: /);
  assert.match((await cli('inspect', '--help')).out, /--layer-media-type/);
});

test('inspect --layer-media-type picks that layer or explains what exists', async () => {
  const { code, err } = await cli('inspect', `oci://${registry.host}/manifests/app:v2`, '--cache-dir', cacheDir, '--layer-media-type', 'text/plain');
  assert.equal(code, 1);
  assert.match(err, /No layer has media type "text\/plain".*flux\.content/);
});

test('inspect uses the docker config credentials, as tags and check --online do', async () => {
  const user = 'carol';
  const pass = 'cli-Secret-77';
  const locked = await startRegistry({ auth: { htpasswd: { user, pass } } });
  const configDir = mkdtempSync(join(tmpdir(), 'flux-oci-cli-docker-'));
  const previous = process.env.DOCKER_CONFIG;
  try {
    await pushFluxArtifact(locked, 'private/app', { tag: 'v1' });
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ auths: { [locked.host]: { auth: Buffer.from(`${user}:${pass}`).toString('base64') } } }));
    process.env.DOCKER_CONFIG = configDir;
    const { code, out, err } = await cli('inspect', `oci://${locked.host}/private/app:v1`, '--format', 'json', '--cache-dir', cacheDir);
    assert.equal(code, 0, err);
    assert.equal((JSON.parse(out) as { kind: string }).kind, 'flux-artifact');
    assert.ok(!out.includes(pass) && !err.includes(pass));
  } finally {
    if (previous === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = previous;
    rmSync(configDir, { recursive: true, force: true });
    await locked.stop();
  }
});
