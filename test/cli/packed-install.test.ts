// The CLI as people install it: `npm pack`, `npm install -g` of the tarball into a temporary prefix (offline: the package
// has no runtime dependencies to download), then the installed `flux-oci` and `flux-oci-language-server` binaries run.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packAndInstall, projectRoot as root, type PackedCli } from '../support/packed-cli';

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: Record<string, string> };

describe('packed CLI installed with npm install -g', () => {
  let packed: PackedCli;
  let prefix = '';
  let scratch = '';
  const bin = (name: string) => packed.bin(name);

  before(() => {
    packed = packAndInstall();
    prefix = packed.prefix;
    scratch = packed.scratch;
  });

  after(() => packed?.remove());

  it('installs only the bundles: no runtime dependencies, no sources', () => {
    assert.deepEqual(pkg.dependencies ?? {}, {}, 'everything the bundles need is bundled');
    const installed = join(prefix, process.platform === 'win32' ? '' : 'lib', 'node_modules', pkg.name);
    assert.ok(existsSync(join(installed, 'dist', 'cli.js')));
    assert.equal(existsSync(join(installed, 'node_modules')), false, 'no dependency was installed');
    const top = readdirSync(installed).sort();
    assert.deepEqual(top, ['CHANGELOG.md', 'LICENSE', 'NOTICE', 'README.md', 'dist', 'docs', 'images', 'package.json', 'syntaxes']);
  });

  it('runs flux-oci --version and --help from the prefix', () => {
    const version = spawnSync(bin('flux-oci'), ['--version'], { encoding: 'utf8', cwd: scratch });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), pkg.version);
    const help = spawnSync(bin('flux-oci'), ['--help'], { encoding: 'utf8', cwd: scratch });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^usage: flux-oci <command>/);
    for (const command of ['check', 'tags', 'inspect', 'pull']) assert.match(help.stdout, new RegExp(`\\n  ${command} `));
  });

  it('runs flux-oci check: clean fixtures exit 0, invalid ones exit 1 with their diagnostic codes', () => {
    const valid = spawnSync(bin('flux-oci'), ['check', join(root, 'test/fixtures/manifests/valid'), '--format', 'json'], { encoding: 'utf8', cwd: scratch });
    assert.equal(valid.status, 0, valid.stderr);
    const report = JSON.parse(valid.stdout) as { files: Array<{ diagnostics: Array<{ severity: string }> }> };
    assert.ok(report.files.length > 3);
    assert.ok(report.files.every((f) => f.diagnostics.every((d) => d.severity !== 'error')));
    const invalid = spawnSync(bin('flux-oci'), ['check', join(root, 'test/fixtures/manifests/invalid/helm-sourceref-oci.yaml')], { encoding: 'utf8', cwd: scratch });
    assert.equal(invalid.status, 1, invalid.stderr);
    assert.match(invalid.stdout, /helmrelease-chart-source-oci/);
  });

  it('installs flux-oci-language-server, which answers initialize over stdio', async () => {
    const frame = (message: object) => {
      const body = JSON.stringify({ jsonrpc: '2.0', ...message });
      return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    };
    const server = spawn(bin('flux-oci-language-server'), ['--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    const answered = new Promise<void>((resolveAnswer, reject) => {
      const timer = setTimeout(() => reject(new Error(`no initialize answer; stdout: ${stdout}`)), 30_000);
      server.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        if (stdout.includes('"serverInfo"')) {
          clearTimeout(timer);
          resolveAnswer();
        }
      });
    });
    const exited = new Promise<number | null>((resolveExit) => server.on('exit', (code) => resolveExit(code)));
    server.stdin.write(frame({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
    await answered;
    server.stdin.write(frame({ id: 2, method: 'shutdown', params: null }) + frame({ method: 'exit' }));
    assert.equal(await exited, 0, 'shutdown + exit ends the server cleanly');
    assert.match(stdout, /^Content-Length: \d+\r\n\r\n/);
    assert.match(stdout, new RegExp(`"serverInfo":\\{"name":"flux-oci-language-server","version":"${pkg.version.replace(/\./g, '\\.')}"\\}`));
  });
});
