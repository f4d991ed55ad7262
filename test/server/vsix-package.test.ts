// Packaging: builds the bundles and a .vsix with @vscode/vsce, then reads the zip's central directory to check
// it holds the bundles (with the CLI's lazy chunks and the lazily loaded cloud SDK bundles), manifest, README, LICENSE,
// CHANGELOG, icon and grammar, and no sources, tests, maps or node_modules; and that the manifest carries what the
// Marketplace and Open VSX show (icon, gallery banner, license, changelog).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');

/** File names listed in a zip's central directory. */
function zipEntries(zip: Buffer): string[] {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  assert.ok(end >= 0, 'not a zip file');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(offset), 0x02014b50, 'central directory entry');
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.subarray(offset + 46, offset + 46 + nameLength).toString('utf8'));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

describe('vsix package', () => {
  it('contains the bundles, manifest, README, LICENSE, NOTICE, CHANGELOG, icon and grammar, and nothing else', () => {
    // FLUX_OCI_SKIP_BUILD=1 packages the dist/ already built (e.g. by `npm test`, which builds first).
    if (process.env.FLUX_OCI_SKIP_BUILD !== '1') {
      const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
      assert.equal(build.status, 0, build.stderr);
    }
    const out = mkdtempSync(join(tmpdir(), 'flux-oci-vsix-'));
    try {
      const vsix = join(out, 'flux-oci-sources.vsix');
      const vsce = spawnSync(join(root, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix], {
        cwd: root,
        encoding: 'utf8',
        input: '',
        timeout: 120_000,
      });
      assert.equal(vsce.status, 0, `${vsce.stdout}\n${vsce.stderr}`);
      const entries = zipEntries(readFileSync(vsix));
      const files = entries
        .filter((e) => e.startsWith('extension/'))
        .map((e) => e.slice('extension/'.length))
        .sort();
      for (const required of [
        'dist/extension.js',
        'dist/server.js',
        'dist/cli.js',
        'dist/cli/flux-oci.mjs',
        'dist/cloud/aws-ecr.js',
        'dist/cloud/google-auth.js',
        'package.json',
        'images/icon.png',
        'syntaxes/flux-oci.injection.tmLanguage.json',
      ]) {
        assert.ok(files.includes(required), `${required} missing from ${files.join(', ')}`);
      }
      assert.ok(
        files.some((f) => /^readme\.md$/i.test(f)),
        'README',
      );
      // Every image the README shows travels with it (the extension page resolves them inside the package).
      const readmeImages = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
      assert.ok(readmeImages.length > 0, 'the README shows screenshots');
      for (const image of readmeImages) assert.ok(files.includes(image), `README image ${image} missing from the package`);
      assert.ok(
        files.some((f) => /^license(\.txt)?$/i.test(f)),
        'LICENSE',
      );
      assert.ok(files.includes('NOTICE'), 'NOTICE');
      assert.ok(
        files.some((f) => /^changelog\.md$/i.test(f)),
        'CHANGELOG (vsce stores it as changelog.md)',
      );
      assert.match(readFileSync(join(root, 'LICENSE'), 'utf8'), /TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION/, 'LICENSE holds the full Apache-2.0 text');
      // The CLI's lazily loaded command chunks travel with it (dist/cli.js imports them at run time).
      const chunks = files.filter((f) => f.startsWith('dist/cli/chunks/'));
      assert.ok(chunks.length > 0 && chunks.every((f) => f.endsWith('.mjs')), `CLI chunks: ${chunks.join(', ')}`);
      for (const file of files) {
        assert.doesNotMatch(file, /\.ts$|\.map$|\.vsix$|\.tgz$|\.svg$/, `${file} must not be packaged`);
        assert.doesNotMatch(file, /^(node_modules|test|core|server|client|cli|bench|scripts|examples)\//, `${file} must not be packaged`);
        assert.doesNotMatch(file, /fixtures/, `${file} must not be packaged`);
      }
      const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
        activationEvents: string[];
        contributes: { commands: Array<{ command: string; category: string }>; views: { explorer: Array<{ id: string }> } };
      };
      // YAML files, and `flux-oci:` editors restored after a reload (commands and the view activate implicitly).
      assert.deepEqual(manifest.activationEvents, ['onLanguage:yaml', 'onFileSystem:flux-oci']);
      const commands = manifest.contributes.commands.map((c) => c.command);
      for (const id of ['fluxOci.pullAndInspect', 'fluxOci.compareVersions', 'fluxOci.refresh', 'fluxOci.signIn', 'fluxOci.signOut']) assert.ok(commands.includes(id), id);
      assert.ok(manifest.contributes.commands.every((c) => c.category === 'Flux OCI'));
      assert.deepEqual(
        manifest.contributes.views.explorer.map((v) => v.id),
        ['fluxOci.sources'],
      );
      // Marketplace / Open VSX: a 128×128 PNG icon, a gallery banner, an SPDX license, a changelog, no Q&A tab.
      const gallery = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
        icon?: string;
        galleryBanner?: { color?: string; theme?: string };
        license?: string;
        qna?: unknown;
        pricing?: string;
      };
      assert.equal(gallery.icon, 'images/icon.png');
      const png = readFileSync(join(root, gallery.icon));
      assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
      assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'icon is 128×128');
      assert.match(gallery.galleryBanner?.color ?? '', /^#[0-9a-f]{6}$/i);
      assert.ok(gallery.galleryBanner?.theme === 'dark' || gallery.galleryBanner?.theme === 'light');
      assert.equal(gallery.license, 'Apache-2.0');
      assert.equal(gallery.qna, false);
      assert.equal(gallery.pricing, 'Free');
      assert.match(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), /^# Changelog\n[\s\S]*## \[0\.1\.0\]/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
