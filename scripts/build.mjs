// Bundles the three entry points (VS Code client, stdio language server, CLI) with esbuild, and each cloud SDK into its own
// file under dist/cloud/ that the bundles load only when a cloud sign-in is needed. `vscode` stays external (VS Code provides it).
import { build } from 'esbuild';
import { chmodSync, statSync } from 'node:fs';
import { buildCloudSdkBundles, CLOUD_SDKS, lazyCloudSdks } from './cloud-sdk-bundles.mjs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  minify: process.argv.includes('--minify'),
  logLevel: 'warning',
  legalComments: 'none',
};

const main = { ...common, plugins: [lazyCloudSdks] };
await Promise.all([
  build({ ...main, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...main, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' }),
  build({ ...main, entryPoints: ['cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env -S node --expose-gc' } }),
  ...buildCloudSdkBundles(common, 'dist', process.cwd()),
]);
chmodSync('dist/cli.js', 0o755);
if (process.argv.includes('--sizes')) {
  for (const file of ['extension.js', 'server.js', 'cli.js', ...Object.values(CLOUD_SDKS)]) console.log(`dist/${file}\t${statSync(`dist/${file}`).size}`);
}
