// Bundles the entry points (VS Code client, stdio language server, CLI) with esbuild.
// Output goes to dist/; `vscode` stays external because VS Code provides it at run time.
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync } from 'node:fs';

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

// The CLI is paid for on every CI run and pre-commit hook, so it loads only what the command needs: dist/cli.js is a
// tiny CommonJS launcher, dist/cli/flux-oci.mjs the argv dispatcher, and each command (with the core code and
// libraries it needs) an ES module chunk under dist/cli/chunks/ that is imported when that command runs.
rmSync('dist/cli', { recursive: true, force: true });
const cliEsm = {
  ...common,
  format: 'esm',
  splitting: true,
  outdir: 'dist/cli',
  entryPoints: { 'flux-oci': 'cli/bin.ts' },
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  // Bundled CommonJS libraries (undici, yaml) call require() for Node built-ins; ES modules have none of their own.
  banner: { js: "import { createRequire as __fluxOciCreateRequire } from 'node:module';\nconst require = __fluxOciCreateRequire(import.meta.url);" },
};

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  // Also the `flux-oci-language-server` binary of the npm package (for Neovim, Helix, Emacs…), hence the shebang.
  build({ ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } }),
  build(cliEsm),
  build({ ...common, entryPoints: ['cli/launcher.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
]);
for (const bin of ['dist/cli.js', 'dist/server.js']) chmodSync(bin, 0o755);
