// How the cloud SDKs ship: each bundled into its own file under <outdir>/cloud/, and an esbuild plugin that points the main
// bundles' imports of them (core/oci/credentials/cloud-sdk-loader.ts) at those files, so they load only on first use.
import { build } from 'esbuild';

/** SDK package → its bundle, relative to the main bundles. */
export const CLOUD_SDKS = { '@aws-sdk/client-ecr': 'cloud/aws-ecr.js', 'google-auth-library': 'cloud/google-auth.js' };

/** The plugin for bundles that sit `prefix` away from dist/ (`./` for dist/*.js, `../../` for the CLI's dist/cli/chunks/). */
export function lazyCloudSdksFrom(prefix) {
  return {
    name: 'lazy-cloud-sdks',
    setup(b) {
      const names = Object.keys(CLOUD_SDKS).map((n) => n.replace(/[/.-]/g, '\\$&'));
      b.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({ path: `${prefix}${CLOUD_SDKS[args.path]}`, external: true }));
    },
  };
}

export const lazyCloudSdks = lazyCloudSdksFrom('./');

/** Builds every SDK bundle into `outdir` (always minified: vendor code nobody steps through, shipped in the .vsix). */
export function buildCloudSdkBundles(common, outdir, resolveDir) {
  return Object.entries(CLOUD_SDKS).map(([sdk, outfile]) =>
    build({ ...common, minify: true, stdin: { contents: `module.exports = require(${JSON.stringify(sdk)});`, resolveDir, loader: 'js' }, outfile: `${outdir}/${outfile}` }),
  );
}
