// The CLI as people install it: `npm pack` of this project, then `npm install -g` of the tarball into a temporary prefix,
// offline (the package has no runtime dependencies to download) with a private npm cache. For the install and CI tests.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

export const projectRoot = resolve(__dirname, '..', '..');
export const npmCommand = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface PackedCli {
  /** Scratch folder holding the tarball, the prefix and the npm cache. */
  scratch: string;
  tarball: string;
  prefix: string;
  /** Folder of the installed binaries (`flux-oci`, `flux-oci-language-server`). */
  binDir: string;
  /** Environment for children: private npm cache, offline, the prefix's binaries first on PATH. */
  env: NodeJS.ProcessEnv;
  bin(name: string): string;
  remove(): void;
}

/**
 * Packs the project as pre-commit does: plain `npm pack` (its `prepare` builds dist/; FLUX_OCI_SKIP_BUILD=1 packs the
 * dist/ already built), whose whole stdout must be the tarball's name — pre-commit's node hooks install exactly that path.
 */
export function packProject(scratch: string, env: NodeJS.ProcessEnv): string {
  const skipBuild = process.env.FLUX_OCI_SKIP_BUILD === '1' ? ['--ignore-scripts'] : [];
  const pack = spawnSync(npmCommand, ['pack', '--pack-destination', scratch, ...skipBuild], { cwd: projectRoot, encoding: 'utf8', env, timeout: 180_000 });
  assert.equal(pack.status, 0, pack.stderr);
  assert.match(pack.stdout, /^[\w.-]+\.tgz\n$/, 'npm pack prints only the tarball name (no lifecycle banner: .npmrc foreground-scripts=false)');
  return join(scratch, pack.stdout.trim());
}

export function packAndInstall(prefixName = 'flux-oci-pack'): PackedCli {
  const scratch = mkdtempSync(join(tmpdir(), `${prefixName}-`));
  const prefix = join(scratch, 'prefix');
  const binDir = process.platform === 'win32' ? prefix : join(prefix, 'bin');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    npm_config_cache: join(scratch, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}`,
  };
  const tarball = packProject(scratch, env);
  const install = spawnSync(npmCommand, ['install', '-g', '--prefix', prefix, tarball], { cwd: scratch, encoding: 'utf8', env, timeout: 120_000 });
  assert.equal(install.status, 0, `${install.stdout}\n${install.stderr}`);
  return {
    scratch,
    tarball,
    prefix,
    binDir,
    env,
    bin: (name) => join(binDir, process.platform === 'win32' ? `${name}.cmd` : name),
    remove: () => rmSync(scratch, { recursive: true, force: true }),
  };
}
