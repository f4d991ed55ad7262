// `flux-oci check --online` with image automation against a real registry: the hint at each marker whose value
// automation will change (naming both values and the policy), the warning on a policy that selects nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';
import { startRegistry, type Registry } from '../support/registry';
import { pushManyTags } from '../support/registry-push';

interface JsonOut {
  files: Array<{ path: string; diagnostics: Array<{ severity: string; code: string; message: string; range: { start: { line: number } } }> }>;
}

const meta = (kind: string, name: string): string => `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: flux-system\n`;

describe('flux-oci check --online with image automation', () => {
  let registry: Registry;
  let dir: string;
  before(async () => {
    registry = await startRegistry();
    await pushManyTags(registry, 'apps/podinfo', ['6.5.0', '6.7.1', '7.0.0']);
    dir = mkdtempSync(join(tmpdir(), 'flux-oci-online-images-'));
    mkdirSync(join(dir, 'apps'));
    writeFileSync(
      join(dir, 'images.yaml'),
      [
        `${meta('ImageRepository', 'podinfo')}spec:\n  image: ${registry.host}/apps/podinfo\n  interval: 5m\n`,
        `${meta('ImagePolicy', 'podinfo')}spec:\n  imageRepositoryRef:\n    name: podinfo\n  policy:\n    semver:\n      range: 6.x\n`,
        `${meta('ImagePolicy', 'none')}spec:\n  imageRepositoryRef:\n    name: podinfo\n  filterTags:\n    pattern: ^release-\n  policy:\n    alphabetical: {}\n`,
        `${meta('ImageUpdateAutomation', 'apps')}spec:\n  interval: 30m\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  update:\n    path: ./apps\n`,
      ].join('---\n'),
    );
    writeFileSync(
      join(dir, 'apps', 'source.yaml'),
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  interval: 5m\n  url: oci://${registry.host}/apps/podinfo\n  ref:\n    tag: 6.5.0 # {"$imagepolicy": "flux-system:podinfo:tag"}\n`,
    );
  });
  after(async () => {
    await registry?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports what automation will write at each marker and the policy that selects nothing', async () => {
    const r = await runCli(['check', dir, '--online', '--format', 'json', '--cache-dir', join(dir, '.cache')]);
    const report = JSON.parse(r.out) as JsonOut;
    const file = (name: string) => report.files.find((f) => f.path.endsWith(name))!;
    const pending = file('source.yaml').diagnostics.find((d) => d.code === 'live-image-automation-pending');
    assert.ok(pending, JSON.stringify(file('source.yaml').diagnostics));
    assert.equal(pending.severity, 'hint');
    assert.equal(pending.range.start.line, 9);
    assert.match(pending.message, /will write "6\.7\.1" here, replacing "6\.5\.0" \(ImagePolicy flux-system\/podinfo, semver 6\.x\)/);
    const none = file('images.yaml').diagnostics.find((d) => d.code === 'live-image-policy-no-match');
    assert.ok(none);
    assert.match(none.message, /flux-system\/none selects no tag \(version list argument cannot be empty\)/);
    assert.equal(r.code, 0, 'hints and warnings are not errors');
  });

  it('prints them in the text format too', async () => {
    const r = await runCli(['check', dir, '--online', '--cache-dir', join(dir, '.cache')]);
    assert.match(r.out, /live-image-automation-pending/);
    assert.match(r.out, /6\.7\.1/);
  });
});
