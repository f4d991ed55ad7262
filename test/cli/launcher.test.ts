// The shipped binary (dist/cli.js → dist/cli/flux-oci.mjs → command chunks), run as a process: --version loads no
// command code, each command loads only its own chunks, and a reader that closes the pipe early ends it quietly.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

/** Runs the CLI with a module loader hook that reports each of its ES modules as it loads (dist/cli/…, hash dropped). */
function loadedChunks(args: string[]): { status: number | null; files: string[]; chunks: string[]; stdout: string } {
  const hook =
    "export async function load(url, context, next) { if (url.includes('/dist/cli/')) process.stderr.write('LOADED ' + url.slice(url.indexOf('/dist/cli/') + 10) + '\\n'); return next(url, context); }";
  const result = spawnSync(process.execPath, ['--no-warnings', '--experimental-loader', `data:text/javascript,${encodeURIComponent(hook)}`, cli, ...args], { cwd: root, encoding: 'utf8' });
  const files = [...result.stderr.matchAll(/LOADED (\S+)/g)].map((m) => m[1]!);
  return { status: result.status, files, chunks: files.map((f) => f.replace(/-[A-Z0-9]{8}\.mjs$/, '')), stdout: result.stdout };
}

describe('dist/cli.js as shipped', () => {
  before(() => {
    if (process.env.FLUX_OCI_SKIP_BUILD === '1') return;
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
  });

  it('is a small CommonJS launcher with a portable shebang (no node flags, which npm shims on Windows cannot pass)', () => {
    const text = readFileSync(cli, 'utf8');
    assert.match(text, /^#!\/usr\/bin\/env node\n/);
    assert.ok(text.length < 4096, `${text.length} bytes`);
  });

  it('prints --version without loading any command, and loads only the command that runs', () => {
    const version = loadedChunks(['--version']);
    assert.equal(version.status, 0);
    assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version);
    const commands = ['chunks/check', 'chunks/tags', 'chunks/pull', 'chunks/inspect', 'chunks/upgrade', 'chunks/check-online'];
    assert.ok(version.chunks.includes('flux-oci.mjs'), version.chunks.join(', '));
    assert.deepEqual(
      version.chunks.filter((c) => commands.includes(c)),
      [],
      `--version loaded ${version.chunks.join(', ')}`,
    );
    const bytes = version.files.reduce((sum, f) => sum + readFileSync(join(root, 'dist', 'cli', f)).length, 0);
    assert.ok(bytes < 16 * 1024, `--version evaluated ${bytes} bytes of the CLI`);
    const check = loadedChunks(['check', 'test/fixtures/manifests/valid']);
    assert.equal(check.status, 0);
    assert.ok(check.chunks.includes('chunks/check'), check.chunks.join(', '));
    for (const other of commands.filter((c) => c !== 'chunks/check')) assert.ok(!check.chunks.includes(other), `offline check loaded ${other}`);
  });

  it('ends quietly with exit 0 when the reader closes the pipe early', async () => {
    const child = spawn(process.execPath, [cli, '--help'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // like `| head -0`: every write now fails with EPIPE
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /EPIPE|Unhandled/);
  });

  it('tags loads only the undici it uses (no fetch, WebSocket or mocks), and RE2 only for a pattern', () => {
    /** The bundled packages and sources (esbuild's `// path` markers) in the files a run loaded. */
    const bundled = (files: string[]) => files.flatMap((f) => [...readFileSync(join(root, 'dist', 'cli', f), 'utf8').matchAll(/^\/\/ (\S+)$/gm)].map((m) => m[1]!));
    const plain = bundled(loadedChunks(['tags', '--help']).files);
    assert.ok(plain.includes('node_modules/undici/lib/dispatcher/agent.js'), 'the tags command bundles undici');
    assert.ok(plain.includes('core/versions/sort-tags.ts'));
    for (const unused of [
      'node_modules/undici/lib/web/fetch/index.js',
      'node_modules/undici/lib/web/websocket/websocket.js',
      'node_modules/undici/lib/mock/mock-agent.js',
      'node_modules/undici/index.js',
    ])
      assert.ok(!plain.includes(unused), `tags loaded ${unused}`);
    assert.ok(!plain.some((m) => m.startsWith('node_modules/re2js/')), 'tags without a pattern loaded RE2');
    const filtered = loadedChunks(['tags', 'oci://127.0.0.1:1/none', '--filter', '(', '--insecure']);
    assert.equal(filtered.status, 2);
    assert.ok(
      bundled(filtered.files).some((m) => m.startsWith('node_modules/re2js/')),
      'a --filter pattern is compiled by RE2',
    );
  });
});
