// `flux-oci check --online` against a real registry: resolved tag and digest in JSON, and the editor's
// live diagnostics (tag not found, no match, version mismatch, unreachable registry) in every format.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from './run-cli';
import { freePort, startRegistry, type Registry } from '../support/registry';
import { pushHelmChart, type PushedArtifact } from '../support/registry-push';
import { overlayFleetFiles, pushOverlayFleetCharts } from '../support/overlay-fleet';

const source = (name: string, url: string, ref: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: ${name}
  namespace: apps
spec:
  interval: 5m
  url: ${url}
  layerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy
  ref:
    ${ref}
`;

interface JsonOut {
  files: Array<{
    path: string;
    diagnostics: Array<{ severity: string; code: string; message: string; range: { start: { line: number } } }>;
    objects: Array<{ kind: string; name: string; namespace: string; variants?: Array<{ kustomization: string }>; resolved?: { tag: string | null; digest: string } }>;
  }>;
}

describe('flux-oci check --online', () => {
  let registry: Registry;
  let dir: string;
  let cacheDir: string;
  const pushed: Record<string, PushedArtifact> = {};
  before(async () => {
    registry = await startRegistry();
    for (const version of ['1.0.0', '1.1.0', '1.2.0-rc.1', '2.0.0']) {
      pushed[version] = await pushHelmChart(registry, 'charts/web', { name: 'web', version, appVersion: version });
    }
    dir = mkdtempSync(join(tmpdir(), 'flux-oci-online-'));
    cacheDir = mkdtempSync(join(tmpdir(), 'flux-oci-online-cache-'));
    const url = `oci://${registry.host}/charts/web`;
    writeFileSync(join(dir, 'ranged.yaml'), source('ranged', url, 'semver: ">=1.0.0 <2.0.0"'));
    writeFileSync(join(dir, 'missing-tag.yaml'), source('missing-tag', url, 'tag: 9.9.9'));
    writeFileSync(join(dir, 'no-match.yaml'), source('no-match', url, 'semver: ">=3.0.0"'));
    const release = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: web
      version: "1.0.0"
      sourceRef:
        kind: OCIRepository
        name: ranged
`;
    writeFileSync(join(dir, 'release.yaml'), release);
  });
  after(async () => {
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('adds resolved tag and digest and the live diagnostics to the JSON report', async () => {
    const r = await runCli(['check', dir, '--online', '--format', 'json', '--cache-dir', cacheDir]);
    const report = JSON.parse(r.out) as JsonOut;
    const file = (name: string) => report.files.find((f) => f.path.endsWith(name))!;
    const ranged = file('ranged.yaml').objects[0];
    assert.deepEqual(ranged.resolved, { tag: '1.1.0', digest: pushed['1.1.0'].digest });
    assert.equal(file('missing-tag.yaml').objects[0].resolved, undefined);
    assert.ok(file('missing-tag.yaml').diagnostics.some((d) => d.code === 'live-tag-not-found' && d.message.includes('9.9.9')));
    const noMatch = file('no-match.yaml').diagnostics.find((d) => d.code === 'live-semver-no-match');
    assert.ok(noMatch, JSON.stringify(file('no-match.yaml').diagnostics));
    assert.match(noMatch.message, /2\.0\.0/, 'names the nearest tags');
    // The release pins 1.0.0 while its (structurally wrong) sourceRef resolves to 1.1.0: flagged on both ends.
    const releaseDiags = file('release.yaml').diagnostics;
    assert.ok(
      releaseDiags.some((d) => d.code === 'helmrelease-chart-source-oci'),
      'offline structural error kept',
    );
    const mismatch = releaseDiags.find((d) => d.code === 'live-chart-version-mismatch');
    assert.ok(mismatch, JSON.stringify(releaseDiags));
    assert.match(mismatch.message, /1\.0\.0/);
    assert.match(mismatch.message, /1\.1\.0/);
    assert.ok(file('ranged.yaml').diagnostics.some((d) => d.code === 'live-chart-version-mismatch'));
    assert.equal(r.code, 1, 'errors found');
  });

  it('prints resolutions in text form and reports an unreachable registry once, as information', async () => {
    const text = await runCli(['check', join(dir, 'ranged.yaml'), '--online', '--cache-dir', cacheDir]);
    assert.match(text.out, new RegExp(`OCIRepository apps/ranged resolves to 1\\.1\\.0 ${pushed['1.1.0'].digest}`));
    const port = await freePort();
    const offline = mkdtempSync(join(tmpdir(), 'flux-oci-online-down-'));
    try {
      const url = `oci://127.0.0.1:${port}/charts/web`;
      writeFileSync(join(offline, 'a.yaml'), source('a', url, 'tag: 1.0.0') + '---\n' + source('b', url, 'semver: "^1"'));
      const r = await runCli(['check', offline, '--online', '--format', 'json', '--timeout', '3', '--cache-dir', join(offline, 'cache')]);
      const report = JSON.parse(r.out) as JsonOut;
      const unavailable = report.files.flatMap((f) => f.diagnostics).filter((d) => d.code.startsWith('live-registry'));
      assert.equal(unavailable.length, 1, 'once per host');
      assert.equal(unavailable[0].code, 'live-registry-host-unreachable');
      assert.match(unavailable[0].message, /the host is down or unreachable/);
      assert.equal(unavailable[0].severity, 'information');
      assert.equal(r.code, 0, 'an unreachable registry is not an error in the manifests');
    } finally {
      rmSync(offline, { recursive: true, force: true });
    }
  });

  it('resolves ${VAR} refs through the Flux Kustomization applying them and reports the effective namespace', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'flux-oci-online-repo-'));
    try {
      mkdirSync(join(repo, 'clusters'));
      mkdirSync(join(repo, 'apps'));
      writeFileSync(
        join(repo, 'clusters', 'apps.yaml'),
        `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  targetNamespace: team
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
      CHART_VERSION: "1.1.0"
`,
      );
      writeFileSync(join(repo, 'apps', 'web.yaml'), source('web', `oci://${registry.host}/charts/web`, 'tag: ${CHART_VERSION}'));
      const r = await runCli(['check', repo, '--online', '--format', 'json', '--cache-dir', cacheDir]);
      const report = JSON.parse(r.out) as JsonOut;
      const web = report.files.find((f) => f.path.endsWith('web.yaml'))!;
      assert.deepEqual(web.objects[0].resolved, { tag: '1.1.0', digest: pushed['1.1.0'].digest });
      assert.equal(web.objects[0].namespace, 'team');
      assert.deepEqual(
        web.objects[0].variants?.map((v) => v.kustomization),
        ['flux-system/apps'],
      );
      assert.deepEqual(
        web.diagnostics.filter((d) => d.severity === 'error'),
        [],
      );
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it("reports a HelmRelease's version mismatch once, naming the one cluster's Kustomization it holds for", async () => {
    const repo = mkdtempSync(join(tmpdir(), 'flux-oci-online-fleet-'));
    try {
      await pushOverlayFleetCharts(registry);
      for (const [path, text] of Object.entries(overlayFleetFiles(registry.host))) {
        mkdirSync(dirname(join(repo, path)), { recursive: true });
        writeFileSync(join(repo, path), text);
      }
      const r = await runCli(['check', repo, '--online', '--format', 'json', '--cache-dir', cacheDir]);
      const report = JSON.parse(r.out) as JsonOut;
      const release = report.files.find((f) => f.path.endsWith(join('base', 'release.yaml')))!;
      const mismatches = release.diagnostics.filter((d) => d.code === 'live-chart-version-mismatch');
      assert.equal(mismatches.length, 1, JSON.stringify(release.diagnostics));
      assert.match(mismatches[0]!.message, /pins chart version 1\.0\.0, .* resolves to chart version 1\.2\.0\. \(as applied by flux-system\/apps-staging\)$/);
      assert.equal(mismatches[0]!.range.start.line, 9, 'on the version written in the base');
      const source = report.files.find((f) => f.path.endsWith(join('base', 'source.yaml')))!;
      assert.deepEqual(
        source.diagnostics.filter((d) => d.code === 'live-newer-version').map((d) => d.message),
        ['2.0.0 is newer than 1.2.0 but outside the range 1.x. (as applied by flux-system/apps-production)'],
        "only production's chart repository has 2.0.0",
      );
      const text = await runCli(['check', repo, '--online', '--cache-dir', cacheDir]);
      assert.match(text.out, /pins chart version 1\.0\.0.*\(as applied by flux-system\/apps-staging\)/);
      assert.doesNotMatch(text.out, /chart-version-mismatch.*apps-production/);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('refuses online-only options without --online', async () => {
    const r = await runCli(['check', dir, '--timeout', '3']);
    assert.equal(r.code, 2);
    assert.match(r.err, /need --online/);
  });
});
