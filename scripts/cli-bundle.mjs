// How the `flux-oci` CLI ships, for scripts/build.mjs and the tests that run the shipped shape: <outdir>/cli.js, a tiny
// CommonJS launcher; <outdir>/cli/flux-oci.mjs, the argv dispatcher; each command an ES module chunk in <outdir>/cli/chunks/.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { lazyCloudSdksFrom } from './cloud-sdk-bundles.mjs';
import { leanUndici } from './lean-undici.mjs';

/**
 * Builds the CLI into `outdir` with the `common` esbuild options (CommonJS, node20…), sources under `root`. The CLI is
 * paid for on every CI run and pre-commit hook, so it loads only what the command needs (esbuild `splitting`).
 */
export async function buildCli(common, outdir, root = process.cwd()) {
  rmSync(join(outdir, 'cli'), { recursive: true, force: true });
  await Promise.all([
    build({
      ...common,
      absWorkingDir: root,
      format: 'esm',
      splitting: true,
      outdir: join(outdir, 'cli'),
      entryPoints: { 'flux-oci': 'cli/bin.ts' },
      chunkNames: 'chunks/[name]-[hash]',
      outExtension: { '.js': '.mjs' },
      // Bundled CommonJS libraries (undici, yaml) call require() for Node built-ins; ES modules have none of their own.
      banner: { js: "import { createRequire as __fluxOciCreateRequire } from 'node:module';\nconst require = __fluxOciCreateRequire(import.meta.url);" },
      // The cloud SDK files sit in <outdir>/cloud/, two folders up from the chunks that import them.
      plugins: [lazyCloudSdksFrom('../../'), leanUndici(root)],
    }),
    build({ ...common, absWorkingDir: root, entryPoints: ['cli/launcher.ts'], outfile: join(outdir, 'cli.js'), banner: { js: '#!/usr/bin/env node' } }),
  ]);
  chmodSync(join(outdir, 'cli.js'), 0o755);
}
