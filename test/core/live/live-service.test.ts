// The live engine against a real distribution registry: hover, completion, inlay hints, diagnostics and fixes,
// chart values, stale answers from the disk cache, offline/untrusted with zero requests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryClient } from '../../../core/oci/registry-client';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';
import { LiveService } from '../../../core/live/live-service';
import type { FluxDiagnostic } from '../../../core/diagnostic';
import { startRegistry, type Registry } from '../../support/registry';
import { pushFluxArtifact } from '../../support/registry-push';
import { applyEdits, ociRepository, positionOf, pushChart } from './live-fixtures';

let registry: Registry;
let dir: string;
const digests: Record<string, string> = {};
const url = (repo: string) => `oci://${registry.host}/${repo}`;

const VALUES = `# How many pods run.\nreplicaCount: 1\nimage:\n  # The image repository.\n  repository: nginx\n  tag: ""\nservice:\n  port: 80\n`;
const SCHEMA = {
  type: 'object',
  properties: {
    replicaCount: { type: 'integer', minimum: 1 },
    image: { type: 'object', properties: { repository: { type: 'string' }, tag: { type: 'string' } }, additionalProperties: false },
    service: { type: 'object', properties: { port: { type: 'integer', maximum: 65535 } } },
  },
};

before(async () => {
  registry = await startRegistry();
  dir = mkdtempSync(join(tmpdir(), 'flux-oci-live-'));
  for (const tag of ['1.0.0', '1.1.0', '2.0.0', '2.1.0-rc.1']) {
    const pushed = await pushFluxArtifact(registry, 'apps/web', { tag, created: `2024-0${tag[0]}-01T00:00:00Z` });
    digests[tag] = pushed.digest;
  }
  for (const version of ['1.0.0', '1.2.0']) {
    digests[`chart-${version}`] = (await pushChart(registry, 'charts/demo', { name: 'demo', version, appVersion: `v${version}`, values: VALUES, schema: SCHEMA })).digest;
  }
  await pushChart(registry, 'charts/liar', { name: 'liar', version: '3.0.1', tag: '3.0.0' });
});

after(async () => {
  await registry?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function setup(files: Record<string, string>, options: ConstructorParameters<typeof LiveService>[2] = {}, clientOptions: ConstructorParameters<typeof RegistryClient>[0] = {}) {
  const index = new WorkspaceIndex();
  for (const [path, text] of Object.entries(files)) index.setFile(path, text);
  const client = new RegistryClient({ diskCacheDir: join(dir, 'disk'), maxRetries: 0, timeoutMs: 3000, ...clientOptions });
  const service = new LiveService(index, client, { chartCacheDir: join(dir, 'charts'), ...options });
  return { index, client, service };
}

const codes = (ds: FluxDiagnostic[] | undefined) => (ds ?? []).map((d) => d.code).sort();

test('hover on ref.semver shows the resolved tag, its digest, created time, matching tags, source and a pull link', async () => {
  const text = ociRepository('web', url('apps/web'), '  ref:\n    semver: ">=1.0.0 <2.0.0"\n');
  const { service, client } = setup({ '/w/web.yaml': text });
  const hover = await service.hoverAt('/w/web.yaml', positionOf(text, '>=1.0.0', 2));
  assert.ok(hover);
  assert.match(hover.markdown, /Flux pulls tag `1\.1\.0`/);
  assert.ok(hover.markdown.includes(digests['1.1.0']!));
  assert.match(hover.markdown, /Created: 2024-01-01T00:00:00Z/);
  assert.match(hover.markdown, /Newest matching tags: `1\.1\.0`, `1\.0\.0`/);
  assert.match(hover.markdown, /Newer version outside the range: `2\.0\.0`/);
  assert.match(hover.markdown, /Source: live from the registry/);
  const args = encodeURIComponent(JSON.stringify([{ reference: `${url('apps/web')}@${digests['1.1.0']}` }]));
  assert.ok(hover.markdown.includes(`(command:fluxOci.pullAndInspect?${args})`));
  const before = client.stats().requests;
  const again = await service.hoverAt('/w/web.yaml', positionOf(text, 'url:', 6));
  assert.ok(again?.markdown.includes('1.1.0'));
  assert.equal(client.stats().requests, before, 'a second hover is answered from the resolution cache');
  await client.close();
});

test('hover on a chart tag shows the chart name, version and appVersion', async () => {
  const text = ociRepository('demo', url('charts/demo'), '  ref:\n    tag: 1.2.0\n', '  layerSelector:\n    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip\n    operation: copy\n');
  const { service, client } = setup({ '/w/demo.yaml': text });
  const hover = await service.hoverAt('/w/demo.yaml', positionOf(text, 'tag: 1.2.0', 6));
  assert.match(hover?.markdown ?? '', /Chart: `demo` version `1\.2\.0`, appVersion `v1\.2\.0`/);
  await client.close();
});

test('completion lists tags newest first with the prerelease marked, range snippets for semver, digests for digest', async () => {
  const text = ociRepository('web', url('apps/web'), '  ref:\n    tag: \n');
  const { service, client, index } = setup({ '/w/web.yaml': text });
  const items = await service.completionsAt('/w/web.yaml', positionOf(text, 'tag: ', 5));
  assert.deepEqual(
    items?.map((i) => i.label),
    ['2.1.0-rc.1', '2.0.0', '1.1.0', '1.0.0'],
  );
  assert.equal(items?.[0]?.prerelease, true);
  assert.equal(items?.[1]?.prerelease, false);

  const semverText = ociRepository('web', url('apps/web'), '  ref:\n    semver: \n');
  index.setFile('/w/web.yaml', semverText);
  const semverItems = await service.completionsAt('/w/web.yaml', positionOf(semverText, 'semver: ', 8));
  assert.deepEqual(
    semverItems?.filter((i) => i.kind === 'range').map((i) => i.label),
    ['>=2.0.0 <3.0.0', '~2.0', '^2'],
  );

  const digestText = ociRepository('web', url('apps/web'), '  ref:\n    digest: \n');
  index.setFile('/w/web.yaml', digestText);
  const digestItems = await service.completionsAt('/w/web.yaml', positionOf(digestText, 'digest: ', 8));
  assert.deepEqual(
    digestItems?.map((i) => i.label),
    ['2.1.0-rc.1', '2.0.0', '1.1.0', '1.0.0'].map((t) => digests[t]),
  );
  assert.equal(digestItems?.[1]?.detail, 'tag 2.0.0');
  await client.close();
});

test('inlay hints show the resolved tag and short digest, or that nothing matches', async () => {
  const text = ociRepository('web', url('apps/web'), '  ref:\n    semver: "^1"\n');
  const { service, client, index } = setup({ '/w/web.yaml': text });
  const whole = { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } };
  const hints = await service.inlayHints('/w/web.yaml', whole);
  assert.equal(hints.length, 1);
  assert.equal(hints[0]!.label, ` → 1.1.0 @${digests['1.1.0']!.slice(0, 19)}`);
  assert.deepEqual(hints[0]!.position, positionOf(text, '"^1"', 4));
  index.setFile('/w/web.yaml', ociRepository('web', url('apps/web'), '  ref:\n    semver: "^7"\n'));
  assert.equal((await service.inlayHints('/w/web.yaml', whole))[0]?.label, ' → no matching tag');
  await client.close();
});

test('tag not found fires with an update fix, and disappears once the fix is applied', async () => {
  const text = ociRepository('web', url('apps/web'), '  ref:\n    tag: 9.9.9\n');
  const { service, client, index } = setup({ '/w/web.yaml': text }, { newerVersionHints: false });
  const diags = (await service.diagnosticsFor(['/w/web.yaml'])).get('/w/web.yaml')!;
  const d = diags.find((x) => x.code === 'live-tag-not-found');
  assert.ok(d, JSON.stringify(diags));
  assert.match(d.message, /9\.9\.9.*newest tags are 2\.1\.0-rc\.1, 2\.0\.0/);
  const fixed = applyEdits(text, d.fixes![0]!.edits);
  assert.ok(fixed.includes('    tag: 2.0.0\n'), fixed);
  index.setFile('/w/web.yaml', fixed);
  assert.deepEqual(codes((await service.diagnosticsFor(['/w/web.yaml'])).get('/w/web.yaml')), []);
  await client.close();
});

test('a range with no match names the nearest tags; widening fixes it; a newer version outside a range is a hint', async () => {
  const text = ociRepository('web', url('apps/web'), '  ref:\n    semver: ">=5.0.0"\n');
  const { service, client, index } = setup({ '/w/web.yaml': text });
  const d = (await service.diagnosticsFor()).get('/w/web.yaml')!.find((x) => x.code === 'live-semver-no-match');
  assert.ok(d);
  assert.match(d.message, /2\.1\.0-rc\.1, 2\.0\.0, 1\.1\.0/);
  const widened = applyEdits(text, d.fixes![0]!.edits);
  assert.ok(widened.includes('semver: ">=2.0.0 <3.0.0"'), widened);
  index.setFile('/w/web.yaml', widened);
  assert.deepEqual(codes((await service.diagnosticsFor()).get('/w/web.yaml')), []);

  const narrow = ociRepository('web', url('apps/web'), '  ref:\n    semver: "~1.0"\n');
  index.setFile('/w/web.yaml', narrow);
  const hint = (await service.diagnosticsFor()).get('/w/web.yaml')!.find((x) => x.code === 'live-newer-version');
  assert.equal(hint?.severity, 'hint');
  assert.match(hint!.message, /2\.0\.0 is newer than 1\.0\.0/);
  assert.ok(applyEdits(narrow, hint!.fixes![0]!.edits).includes('semver: ">=1.0.0 <3.0.0"'));
  service.setOptions({ newerVersionHints: false });
  assert.deepEqual(codes((await service.diagnosticsFor()).get('/w/web.yaml')), []);
  await client.close();
});

test('a digest ref is read directly: no tag listing, hover and inlay hint from the manifest alone', async () => {
  const text = ociRepository('web', url('apps/web'), `  ref:\n    digest: ${digests['1.0.0']}\n    semver: "^1"\n`);
  const { service, client } = setup({ '/w/web.yaml': text });
  const hover = await service.hoverAt('/w/web.yaml', positionOf(text, 'digest: ', 10));
  assert.ok(hover?.markdown.includes(`Pinned to digest \`${digests['1.0.0']}\``), hover?.markdown);
  assert.match(hover!.markdown, /Created: 2024-01-01T00:00:00Z/);
  const hints = await service.inlayHints('/w/web.yaml', { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } });
  assert.equal(hints[0]?.label, ` → @${digests['1.0.0']!.slice(0, 19)}`);
  assert.equal(client.stats().tagListings, 0, 'Flux pulls <url>@<digest> without listing tags, and so do we');
  await client.close();
});

test('digest not found, missing layer media type, ignored ref field with a removal fix, and the pin action', async () => {
  const missing = 'sha256:' + 'ab'.repeat(32);
  const text = ociRepository('web', url('apps/web'), `  ref:\n    digest: ${missing}\n`);
  const { service, client, index } = setup({ '/w/web.yaml': text });
  assert.deepEqual(codes((await service.diagnosticsFor()).get('/w/web.yaml')), ['live-digest-not-found']);

  const layered = ociRepository('web', url('apps/web'), '  ref:\n    tag: 1.0.0\n    semver: "^1"\n', '  layerSelector:\n    mediaType: application/x-nope\n');
  index.setFile('/w/web.yaml', layered);
  const diags = (await service.diagnosticsFor()).get('/w/web.yaml')!;
  assert.deepEqual(codes(diags), ['live-layer-media-type-missing', 'live-newer-version', 'live-ref-field-ignored']);
  assert.match(diags.find((d) => d.code === 'live-layer-media-type-missing')!.message, /application\/vnd\.cncf\.flux\.content\.v1\.tar\+gzip/);
  const ignored = diags.find((d) => d.code === 'live-ref-field-ignored')!;
  assert.match(ignored.message, /ignores spec\.ref\.tag because spec\.ref\.semver is set \(it resolves to 1\.1\.0\)/);
  const removed = applyEdits(layered, ignored.fixes![0]!.edits);
  assert.ok(!removed.includes('tag: 1.0.0') && removed.includes('    semver: "^1"\n'), removed);

  index.setFile('/w/web.yaml', removed);
  const actions = await service.actionsAt('/w/web.yaml', positionOf(removed, 'semver'));
  const pinned = applyEdits(removed, actions[0]!.edits);
  assert.ok(pinned.includes(`    semver: "^1"\n    digest: ${digests['1.1.0']}\n`), pinned);
  await client.close();
});

test('HelmRelease checks: chartRef to a non-chart, pinned version mismatch on both ends, chart version vs tag', async () => {
  const helmLayer = '  layerSelector:\n    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip\n    operation: copy\n';
  const files = {
    '/w/sources.yaml': [
      ociRepository('web', url('apps/web'), '  ref:\n    tag: 1.0.0\n'),
      ociRepository('demo', url('charts/demo'), '  ref:\n    semver: "1.x"\n', helmLayer),
      ociRepository('liar', url('charts/liar'), '  ref:\n    tag: 3.0.0\n', helmLayer),
    ].join('---\n'),
    '/w/releases.yaml': [
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: flux-system\nspec:\n  interval: 5m\n  chartRef:\n    kind: OCIRepository\n    name: web\n',
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: demo\n  namespace: flux-system\nspec:\n  interval: 5m\n  chart:\n    spec:\n      chart: demo\n      version: 1.0.0\n      sourceRef:\n        kind: OCIRepository\n        name: demo\n',
    ].join('---\n'),
  };
  const { service, client, index } = setup(files, { newerVersionHints: false });
  const all = await service.diagnosticsFor();
  const releases = all.get('/w/releases.yaml')!;
  const sources = all.get('/w/sources.yaml')!;
  assert.deepEqual(codes(releases), ['live-chart-ref-not-helm-chart', 'live-chart-version-mismatch']);
  const mismatch = releases.find((d) => d.code === 'live-chart-version-mismatch')!;
  assert.match(mismatch.message, /pins chart version 1\.0\.0.*resolves to chart version 1\.2\.0/);
  assert.deepEqual(codes(sources), ['live-chart-version-differs-from-tag', 'live-chart-version-mismatch']);
  assert.match(sources.find((d) => d.code === 'live-chart-version-differs-from-tag')!.message, /3\.0\.0.*3\.0\.1/);
  const repoEnd = sources.find((d) => d.code === 'live-chart-version-mismatch')!;
  assert.deepEqual(repoEnd.range.start, positionOf(files['/w/sources.yaml'], '"1.x"'));

  index.setFile('/w/releases.yaml', files['/w/releases.yaml'].replace('version: 1.0.0', 'version: 1.2.0'));
  const after = await service.diagnosticsFor();
  assert.deepEqual(codes(after.get('/w/releases.yaml')), ['live-chart-ref-not-helm-chart']);
  assert.deepEqual(codes(after.get('/w/sources.yaml')), ['live-chart-version-differs-from-tag']);
  await client.close();
});

test('HelmRepository type oci: version with no matching chart, completion of versions', async () => {
  const text =
    `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: flux-system\nspec:\n  type: oci\n  interval: 5m\n  url: oci://${registry.host}/charts\n---\n` +
    'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: demo\n  namespace: flux-system\nspec:\n  interval: 5m\n  chart:\n    spec:\n      chart: demo\n      version: ">=4.0.0"\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n';
  const { service, client, index } = setup({ '/w/hr.yaml': text });
  const d = (await service.diagnosticsFor()).get('/w/hr.yaml')!;
  assert.deepEqual(codes(d), ['live-chart-version-no-match']);
  assert.match(d[0]!.message, /1\.2\.0, 1\.0\.0/);
  const blank = text.replace('version: ">=4.0.0"', 'version: ');
  index.setFile('/w/hr.yaml', blank);
  const items = await service.completionsAt('/w/hr.yaml', positionOf(blank, 'version: ', 9));
  assert.deepEqual(
    items?.filter((i) => i.kind === 'tag').map((i) => i.label),
    ['1.2.0', '1.0.0'],
  );
  index.setFile('/w/hr.yaml', text.replace('">=4.0.0"', '"^1"'));
  assert.deepEqual(codes((await service.diagnosticsFor()).get('/w/hr.yaml')), []);
  await client.close();
});

test('values from the chart: key completion, hover with comment and default, schema diagnostics with exact ranges', async () => {
  const source = ociRepository(
    'demo',
    url('charts/demo'),
    '  ref:\n    semver: "1.x"\n',
    '  layerSelector:\n    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip\n    operation: copy\n',
  );
  const release = (values: string) =>
    `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: demo\n  namespace: flux-system\nspec:\n  interval: 5m\n  chartRef:\n    kind: OCIRepository\n    name: demo\n  values:\n${values}`;
  const text = release('    replicaCount: 0\n    image:\n      repository: "x"\n      pullPolicy: Always\n    service:\n      port: 70000\n    \n');
  const { service, client } = setup({ '/w/src.yaml': source, '/w/hr.yaml': text });

  const diags = (await service.diagnosticsFor(['/w/hr.yaml'])).get('/w/hr.yaml')!.filter((d) => d.code === 'live-values-schema');
  assert.equal(diags.length, 3, JSON.stringify(diags));
  const byPath = (p: string) => diags.find((d) => d.message.startsWith(p));
  assert.deepEqual(byPath('replicaCount:')?.range.start, positionOf(text, '0\n'));
  assert.deepEqual((byPath('values: the key "pullPolicy"') ?? byPath('image: the key "pullPolicy"')) ? true : false, true);
  assert.deepEqual(byPath('image:')?.range.start, positionOf(text, 'pullPolicy'));
  assert.deepEqual(byPath('service.port:')?.range.start, positionOf(text, '70000'));

  const items = await service.completionsAt('/w/hr.yaml', { line: text.split('\n').length - 2, character: 4 });
  assert.deepEqual(
    items?.map((i) => i.label),
    [],
    'every top-level key is already present',
  );
  const partial = release('    image:\n      \n');
  const { service: s2, client: c2 } = setup({ '/w/src.yaml': source, '/w/hr.yaml': partial });
  const imageKeys = await s2.completionsAt('/w/hr.yaml', positionOf(partial, 'image:\n      ', 13));
  assert.deepEqual(
    imageKeys?.map((i) => i.label),
    ['repository', 'tag'],
  );
  assert.equal(imageKeys?.[0]?.documentation, 'The image repository.');
  assert.equal(imageKeys?.[0]?.detail, 'default: "nginx"');

  const hover = await service.hoverAt('/w/hr.yaml', positionOf(text, 'replicaCount', 3));
  assert.match(hover?.markdown ?? '', /How many pods run\./);
  assert.match(hover?.markdown ?? '', /```yaml\n1\n```/);
  await client.close();
  await c2.close();
});

test('untrusted or offline: hover says why and the client makes zero requests', async () => {
  const text = ociRepository('web', url('apps/web'), '  ref:\n    semver: "^1"\n');
  for (const options of [{ trusted: false }, { offline: true }]) {
    const { service, client } = setup({ '/w/web.yaml': text }, options);
    const hover = await service.hoverAt('/w/web.yaml', positionOf(text, '"^1"', 1));
    assert.match(hover?.markdown ?? '', options.trusted === false ? /not trusted/ : /Offline mode/);
    assert.equal(await service.completionsAt('/w/web.yaml', positionOf(text, '"^1"', 1)), undefined);
    assert.deepEqual([...(await service.diagnosticsFor()).values()].flat(), []);
    assert.deepEqual(await service.inlayHints('/w/web.yaml', { start: { line: 0, character: 0 }, end: { line: 50, character: 0 } }), []);
    assert.equal(client.stats().requests, 0);
    await client.close();
  }
});

test('an unreachable host gives one information diagnostic, on the first source using it, not one per repository', async () => {
  const dead = 'oci://127.0.0.1:9/apps/gone';
  const files = {
    '/w/a.yaml': ociRepository('a', dead, '  ref:\n    tag: 1.0.0\n') + '---\n' + ociRepository('b', dead, '  ref:\n    semver: "^1"\n'),
    '/w/c.yaml': ociRepository('c', 'oci://127.0.0.1:9/apps/other', '  ref:\n    tag: 1.0.0\n'),
  };
  const { service, client } = setup(files);
  const all = await service.diagnosticsFor();
  const infos = [...all.values()].flat();
  assert.equal(infos.length, 1, JSON.stringify(infos));
  assert.ok(infos.every((d) => d.severity === 'information' && d.code === 'live-registry-host-unreachable'));
  assert.match(
    infos[0]!.message,
    /^Live registry data from 127\.0\.0\.1:9 is unavailable for every source using it: the host is down or unreachable \(Cannot reach 127\.0\.0\.1:9: connection refused\.\)/,
  );
  assert.equal(all.get('/w/a.yaml')!.length, 1);
  assert.equal(all.get('/w/c.yaml')!.length, 0, 'the other repository on the same host gets no second note');
  assert.deepEqual(all.get('/w/a.yaml')![0]!.range.start, positionOf(files['/w/a.yaml'], dead));
  await client.close();
});

test('cancellation stops the work and a later call still resolves', async () => {
  const text = ociRepository('web', url('apps/web'), '  ref:\n    tag: 2.0.0\n');
  const { service, client } = setup({ '/w/web.yaml': text });
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(service.hoverAt('/w/web.yaml', positionOf(text, '2.0.0'), { signal: controller.signal }));
  const hover = await service.hoverAt('/w/web.yaml', positionOf(text, '2.0.0'));
  assert.ok(hover?.markdown.includes(digests['2.0.0']!));
  await client.close();
});

test('33 sources on two unreachable hosts give two notes, one per host, on the first source of each', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 33; i++) {
    const host = i % 3 === 0 ? '127.0.0.1:9' : '127.0.0.1:7';
    files[`/w/s${String(i).padStart(2, '0')}.yaml`] = ociRepository(`s${i}`, `oci://${host}/apps/app-${i}`, '  ref:\n    semver: "^1"\n');
  }
  const { service, client } = setup(files);
  const all = await service.diagnosticsFor();
  const notes = [...all.values()].flat();
  assert.equal(notes.length, 2, notes.map((d) => d.message).join('\n'));
  assert.deepEqual(
    notes.map((d) => d.code),
    ['live-registry-host-unreachable', 'live-registry-host-unreachable'],
  );
  assert.deepEqual(notes.map((d) => /from (\S+) is unavailable/.exec(d.message)?.[1]).sort(), ['127.0.0.1:7', '127.0.0.1:9']);
  await client.close();
});

test('when an unreachable host comes back, forgetting only its failures lets the next run resolve (the quiet retry)', async () => {
  const { freePort } = await import('../../support/registry');
  const { createServer, request } = await import('node:http');
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const files = {
    '/w/back.yaml': ociRepository('back', `oci://${host}/apps/web`, '  ref:\n    semver: ">=1.0.0 <2.0.0"\n'),
    '/w/steady.yaml': ociRepository('steady', url('apps/web'), '  ref:\n    tag: 1.0.0\n'),
  };
  const { service, client } = setup(files);
  const first = await service.diagnosticsFor();
  assert.deepEqual(codes(first.get('/w/back.yaml')), ['live-registry-host-unreachable']);
  const requestsBefore = client.stats().requests;
  // The host comes back: a reverse proxy to the real registry on the same port.
  const forwarder = createServer((req, res) => {
    const up = request(`${registry.url}${req.url}`, { method: req.method, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => forwarder.listen(port, '127.0.0.1', resolve));
  try {
    assert.equal(service.forgetUnreachableHosts(), 1, 'only the failed resolution is forgotten');
    const second = await service.diagnosticsFor();
    assert.deepEqual(codes(second.get('/w/back.yaml')), ['live-newer-version'], `the note went away by itself: ${JSON.stringify(second.get('/w/back.yaml'))}`);
    const hover = await service.hoverAt('/w/back.yaml', positionOf(files['/w/back.yaml'], '>=1.0.0', 2));
    assert.match(hover?.markdown ?? '', /1\.1\.0/);
    assert.ok(client.stats().requests > requestsBefore);
  } finally {
    await client.close();
    await new Promise<void>((resolve) => forwarder.close(() => resolve()));
  }
});

test('with the registry stopped, hovers come from the disk cache and are marked stale (runs last: stops the registry)', async () => {
  const text = ociRepository('web', url('apps/web'), '  ref:\n    semver: "^1"\n');
  const warm = setup({ '/w/web.yaml': text });
  assert.ok((await warm.service.hoverAt('/w/web.yaml', positionOf(text, '"^1"', 1)))?.markdown.includes('1.1.0'));
  await warm.client.close();
  await registry.stop();
  const cold = setup({ '/w/web.yaml': text });
  const hover = await cold.service.hoverAt('/w/web.yaml', positionOf(text, '"^1"', 1));
  assert.ok(hover);
  assert.match(hover.markdown, /Flux pulls tag `1\.1\.0`/);
  assert.ok(hover.markdown.includes(digests['1.1.0']!));
  assert.match(hover.markdown, /offline\/stale/);
  await cold.client.close();
});
