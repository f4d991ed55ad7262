// Image automation live against a real distribution registry: each ImagePolicy resolved as image-reflector-controller
// would (semver, numerical with extract, alphabetical, exclusionList, no match, digests), shown at markers and policies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryClient } from '../../../core/oci/registry-client';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';
import { LiveService } from '../../../core/live/live-service';
import { startRegistry, type Registry } from '../../support/registry';
import { pushManyTags } from '../../support/registry-push';
import { applyEdits, positionOf } from './live-fixtures';

let registry: Registry;
let dir: string;
let podinfoDigest: string;

before(async () => {
  registry = await startRegistry();
  dir = mkdtempSync(join(tmpdir(), 'flux-oci-images-'));
  podinfoDigest = (await pushManyTags(registry, 'apps/podinfo', ['6.5.0', '6.6.0', '6.7.1', '7.0.0-rc.1', 'sha256-0a1b.sig'])).digest;
  await pushManyTags(registry, 'apps/builds', ['main-a1b2c3-1700000000', 'main-d4e5f6-1700000900', 'main-0a0b0c-1699999999', 'pr-12-1800000000']);
  await pushManyTags(registry, 'apps/minio', ['RELEASE.2024-01-01T00-00-00Z', 'RELEASE.2024-06-30T00-00-00Z', 'RELEASE.2023-12-31T00-00-00Z', 'zz.sig']);
});

after(async () => {
  await registry?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const meta = (kind: string, name: string): string => `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: flux-system\n`;
const repository = (name: string, repo: string, extra = ''): string => `${meta('ImageRepository', name)}spec:\n  image: ${registry.host}/${repo}\n  interval: 5m\n${extra}`;
const policy = (name: string, repo: string, body: string): string => `${meta('ImagePolicy', name)}spec:\n  imageRepositoryRef:\n    name: ${repo}\n${body}`;

function images(): string {
  return [
    repository('podinfo', 'apps/podinfo'),
    policy('podinfo', 'podinfo', '  policy:\n    semver:\n      range: 6.x\n'),
    policy('podinfo-next', 'podinfo', '  policy:\n    semver:\n      range: ">=7.0.0-0"\n'),
    policy('podinfo-digest', 'podinfo', '  digestReflectionPolicy: Always\n  interval: 10m\n  policy:\n    semver:\n      range: 6.x\n'),
    policy('podinfo-nine', 'podinfo', '  policy:\n    semver:\n      range: ">=9.0.0"\n'),
    repository('builds', 'apps/builds'),
    policy('builds', 'builds', '  filterTags:\n    pattern: "^main-[a-f0-9]+-(?P<ts>[0-9]+)$"\n    extract: "$ts"\n  policy:\n    numerical:\n      order: asc\n'),
    repository('minio', 'apps/minio'),
    policy('minio', 'minio', '  policy:\n    alphabetical:\n      order: asc\n'),
    repository('minio-old', 'apps/minio', '  exclusionList:\n    - "^RELEASE\\\\.2024-06"\n'),
    policy('minio-old', 'minio-old', '  policy:\n    alphabetical: {}\n'),
  ].join('---\n');
}

const AUTOMATION = `${meta('ImageUpdateAutomation', 'apps')}spec:\n  interval: 30m\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  update:\n    path: ./apps\n    strategy: Setters\n`;

function deployment(): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: podinfo',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: podinfo',
    `          image: ${registry.host}/apps/podinfo:6.5.0 # {"$imagepolicy": "flux-system:podinfo"}`,
    '        - name: builds',
    `          image: "${registry.host}/apps/builds:main-a1b2c3-1700000000" # {"$imagepolicy": "flux-system:builds"}`,
    '      annotations:',
    '        minio: RELEASE.2023-12-31T00-00-00Z # {"$imagepolicy": "flux-system:minio:tag"}',
    '        minio-old: RELEASE.2024-01-01T00-00-00Z # {"$imagepolicy": "flux-system:minio-old:tag"}',
    '        next: 6.5.0 # {"$imagepolicy": "flux-system:podinfo-next:tag"}',
    '        digest: sha256:old # {"$imagepolicy": "flux-system:podinfo-digest:digest"}',
    '        nine: 6.5.0 # {"$imagepolicy": "flux-system:podinfo-nine:tag"}',
    '        same: 6.7.1 # {"$imagepolicy": "flux-system:podinfo:tag"}',
    '',
  ].join('\n');
}

const DEPLOY = '/ws/apps/deploy.yaml';
const IMAGES = '/ws/clusters/images.yaml';

function setup(options: ConstructorParameters<typeof LiveService>[2] = {}) {
  const index = new WorkspaceIndex();
  index.setFile(IMAGES, images());
  index.setFile('/ws/clusters/automation.yaml', AUTOMATION);
  index.setFile(DEPLOY, deployment());
  const client = new RegistryClient({ maxRetries: 0, timeoutMs: 3000 });
  return { index, client, service: new LiveService(index, client, options) };
}

test('offline, the example workspace is clean: every marker names a policy an automation covers', () => {
  const { index } = setup();
  assert.deepEqual(index.analyze(DEPLOY).diagnostics, []);
  assert.deepEqual(
    index.analyze(IMAGES).diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
});

test('diagnostics: a hint at each marker whose value automation will change, with a fix that writes it; none when equal', async () => {
  const { service } = setup();
  const byPath = await service.diagnosticsFor([DEPLOY, IMAGES]);
  const marker = (byPath.get(DEPLOY) ?? []).filter((d) => d.code === 'live-image-automation-pending');
  const text = deployment();
  const lines = (d: { range: { start: { line: number } } }) => d.range.start.line;
  assert.deepEqual(marker.map(lines), [9, 11, 13, 14, 15, 16], 'no hint for the tag that is already 6.7.1 or the policy with no match');
  const semver = marker[0];
  assert.equal(semver.severity, 'hint');
  assert.match(semver.message, /will write ".*apps\/podinfo:6\.7\.1" here, replacing ".*:6\.5\.0" \(ImagePolicy flux-system\/podinfo, semver 6\.x\)/);
  const fixed = applyEdits(text, semver.fixes![0].edits);
  assert.ok(fixed.includes(`image: ${registry.host}/apps/podinfo:6.7.1 # {"$imagepolicy": "flux-system:podinfo"}`));
  // numerical with extract: the largest $ts among main-* tags; the pr- tag is filtered out. Quotes are kept.
  assert.ok(applyEdits(text, marker[1].fixes![0].edits).includes(`"${registry.host}/apps/builds:main-d4e5f6-1700000900" #`));
  // alphabetical: the default exclusionList drops zz.sig (which sorts last); a custom list replaces the default.
  assert.match(marker[2].message, /"RELEASE\.2024-06-30T00-00-00Z"/);
  assert.match(marker[3].message, /"zz\.sig"/, 'the custom exclusionList no longer drops .sig tags');
  // a range that asks for prereleases takes 7.0.0-rc.1.
  assert.match(marker[4].message, /"7\.0\.0-rc\.1"/);
  // digestReflectionPolicy Always: the :digest marker receives the manifest digest.
  assert.match(marker[5].message, new RegExp(`"${podinfoDigest}"`));
  const policyWarnings = (byPath.get(IMAGES) ?? []).filter((d) => d.code === 'live-image-policy-no-match');
  assert.equal(policyWarnings.length, 1);
  assert.match(policyWarnings[0].message, /flux-system\/podinfo-nine selects no tag \(unable to determine latest version/);
});

test('inlay hints: → the value automation will write after each changing marker; → no tag selected for a policy without match', async () => {
  const { service } = setup();
  const hints = await service.inlayHints(DEPLOY, { start: { line: 0, character: 0 }, end: { line: 30, character: 0 } });
  const labels = hints.map((h) => `${h.position.line}:${h.label}`);
  assert.ok(labels.includes(`9: → ${registry.host}/apps/podinfo:6.7.1`), labels.join('\n'));
  assert.ok(labels.includes('15: → 7.0.0-rc.1'));
  assert.ok(labels.includes('17: → no tag selected'));
  assert.ok(!labels.some((l) => l.startsWith('18:')), 'no hint where the value is already what automation writes');
  const quoted = hints.find((h) => h.position.line === 11)!;
  assert.equal(deployment().split('\n')[11][quoted.position.character - 1], '"', 'a quoted value gets its hint after the closing quote');
});

test('hover on a marker names the policy, what Flux writes, the newest candidates and the automation; on the policy too', async () => {
  const { service } = setup();
  const text = deployment();
  const hover = await service.hoverAt(DEPLOY, positionOf(text, 'flux-system:builds', 2));
  assert.ok(hover);
  assert.match(hover.markdown, /ImagePolicy `flux-system\/builds`/);
  assert.match(hover.markdown, /Flux will write `.*main-d4e5f6-1700000900`/);
  assert.match(hover.markdown, /numerical \(asc\) of tags matching/);
  assert.match(hover.markdown, /Newest candidates: `main-d4e5f6-1700000900` \(`1700000900`\), `main-a1b2c3-1700000000` \(`1700000000`\)/);
  assert.match(hover.markdown, /1 dropped by filterTags\.pattern/);
  assert.match(hover.markdown, /ImageUpdateAutomation `flux-system\/apps` \(GitRepository `flux-system`\)/);
  const minio = await service.hoverAt(DEPLOY, positionOf(text, 'RELEASE.2023-12-31', 3));
  assert.match(minio!.markdown, /1 excluded by exclusionList/);
  const policyText = images();
  const onPolicy = await service.hoverAt(IMAGES, positionOf(policyText, 'range: 6.x', 8));
  assert.match(onPolicy!.markdown, /\*\*ImagePolicy `flux-system\/podinfo`\*\*/);
  assert.match(onPolicy!.markdown, /Selects tag `6\.7\.1`/);
  assert.match(onPolicy!.markdown, /2 markers in this workspace/);
});

test('untrusted or offline: no request, no image hints, hovers or diagnostics', async () => {
  for (const options of [{ trusted: false }, { offline: true }]) {
    const { service, client } = setup(options);
    const hints = await service.inlayHints(DEPLOY, { start: { line: 0, character: 0 }, end: { line: 30, character: 0 } });
    const diagnostics = await service.diagnosticsFor([DEPLOY]);
    assert.deepEqual(hints, []);
    assert.deepEqual(diagnostics.get(DEPLOY), []);
    assert.equal(await service.hoverAt(DEPLOY, positionOf(deployment(), 'flux-system:builds', 2)).then((h) => h?.markdown.includes('Image automation') ?? false), false);
    assert.equal(client.stats().requests, 0);
  }
});

test('an unreachable registry is one note on the policy, not an error at each marker', async () => {
  const index = new WorkspaceIndex();
  index.setFile(IMAGES, `${meta('ImageRepository', 'gone')}spec:\n  image: 127.0.0.1:9/apps/gone\n  interval: 5m\n---\n${policy('gone', 'gone', '  policy:\n    semver:\n      range: "*"\n')}`);
  index.setFile(DEPLOY, 'tag: 1.0.0 # {"$imagepolicy": "flux-system:gone:tag"}\n');
  const service = new LiveService(index, new RegistryClient({ maxRetries: 0, timeoutMs: 2000 }));
  const byPath = await service.diagnosticsFor();
  assert.deepEqual(byPath.get(DEPLOY), []);
  const [note] = byPath.get(IMAGES)!;
  assert.equal(note.code, 'live-registry-unavailable');
  assert.match(note.message, /127\.0\.0\.1:9\/apps\/gone could not be listed/);
});
