// How the cloud SDKs ship: each bundled into its own file under <outdir>/cloud/, and an esbuild plugin that points the main
// bundles' imports of them (core/oci/credentials/cloud-sdk-loader.ts) at those files, so they load only on first use.
import { build } from 'esbuild';

/**
 * SDK package → its bundle, relative to the main bundles. The proxy agents (Node http.Agents that tunnel through a forward
 * proxy, for the SDKs that take no undici dispatcher) ride in the AWS bundle: both packages' exports in one file.
 */
export const CLOUD_SDKS = {
  '@aws-sdk/client-ecr': 'cloud/aws-ecr.js',
  'https-proxy-agent': 'cloud/aws-ecr.js',
  'http-proxy-agent': 'cloud/aws-ecr.js',
  'google-auth-library': 'cloud/google-auth.js',
};

/** Each bundle file once, with the packages it holds. */
export function cloudBundleFiles() {
  const files = new Map();
  for (const [sdk, outfile] of Object.entries(CLOUD_SDKS)) files.set(outfile, [...(files.get(outfile) ?? []), sdk]);
  return files;
}

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

/** One package's exports as they are; several packages' exports merged into one object. */
function bundleEntry(sdks) {
  const required = sdks.map((sdk) => `require(${JSON.stringify(sdk)})`);
  return required.length === 1 ? `module.exports = ${required[0]};` : `module.exports = Object.assign({}, ${required.join(', ')});`;
}

/** Builds every SDK bundle into `outdir` (always minified: vendor code nobody steps through, shipped in the .vsix). */
export function buildCloudSdkBundles(common, outdir, resolveDir) {
  return [...cloudBundleFiles()].map(([outfile, sdks]) =>
    build({
      ...common,
      minify: true,
      stdin: { contents: bundleEntry(sdks), resolveDir, loader: 'js' },
      outfile: `${outdir}/${outfile}`,
    }),
  );
}
