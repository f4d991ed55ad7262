// Bundles the entry points (VS Code client, stdio language server, CLI) with esbuild, and each cloud SDK into its own
// file under dist/cloud/ that the bundles load only when a cloud sign-in is needed. `vscode` stays external (VS Code provides it).
import { build } from 'esbuild';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { buildCli } from './cli-bundle.mjs';
import { buildCloudSdkBundles, CLOUD_SDKS, lazyCloudSdks } from './cloud-sdk-bundles.mjs';
import { leanUndici } from './lean-undici.mjs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  minify: process.argv.includes('--minify'),
  logLevel: 'warning',
  legalComments: 'none',
  // `flux-oci --version` and the server's serverInfo report the package's own version.
  define: { 'process.env.FLUX_OCI_VERSION': JSON.stringify(version) },
};

const main = { ...common, plugins: [lazyCloudSdks, leanUndici()] };
await Promise.all([
  build({ ...main, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  // Also the `flux-oci-language-server` binary of the npm package (for Neovim, Helix, Emacs…), hence the shebang.
  build({ ...main, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } }),
  // The CLI: a small launcher (dist/cli.js) and lazily loaded per-command chunks (dist/cli/); see scripts/cli-bundle.mjs.
  buildCli(common, 'dist'),
  ...buildCloudSdkBundles(common, 'dist', process.cwd()),
]);
chmodSync('dist/server.js', 0o755);
if (process.argv.includes('--sizes')) {
  for (const file of ['extension.js', 'server.js', 'cli.js', 'cli/flux-oci.mjs', ...new Set(Object.values(CLOUD_SDKS))]) console.log(`dist/${file}\t${statSync(`dist/${file}`).size}`);
}
