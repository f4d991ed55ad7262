// Bundles the three entry points (VS Code client, stdio language server, CLI) with esbuild, and each cloud SDK into its own
// file under dist/cloud/ that the bundles load only when a cloud sign-in is needed. `vscode` stays external (VS Code provides it).
import { build } from 'esbuild';
import { chmodSync, statSync } from 'node:fs';

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

// core/oci/credentials/cloud-sdk-loader.ts imports these; the main bundles require the prebuilt file beside them instead.
const CLOUD_SDKS = { '@aws-sdk/client-ecr': 'cloud/aws-ecr.js', 'google-auth-library': 'cloud/google-auth.js' };

const lazyCloudSdks = {
  name: 'lazy-cloud-sdks',
  setup(b) {
    const names = Object.keys(CLOUD_SDKS).map((n) => n.replace(/[/.-]/g, '\\$&'));
    b.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({ path: `./${CLOUD_SDKS[args.path]}`, external: true }));
  },
};

const main = { ...common, plugins: [lazyCloudSdks] };
await Promise.all([
  build({ ...main, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...main, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' }),
  build({ ...main, entryPoints: ['cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env -S node --expose-gc' } }),
  ...Object.entries(CLOUD_SDKS).map(([sdk, outfile]) =>
    // Always minified: these are vendor code nobody steps through, and they ship in the .vsix.
    build({ ...common, minify: true, stdin: { contents: `module.exports = require(${JSON.stringify(sdk)});`, resolveDir: process.cwd(), loader: 'js' }, outfile: `dist/${outfile}` }),
  ),
]);
chmodSync('dist/cli.js', 0o755);
if (process.argv.includes('--sizes')) {
  for (const file of ['extension.js', 'server.js', 'cli.js', ...Object.values(CLOUD_SDKS)]) console.log(`dist/${file}\t${statSync(`dist/${file}`).size}`);
}
