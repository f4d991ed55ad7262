// The installed `flux-oci` binary (bundled to dist/cli.js, CommonJS so Node starts it on its fastest path): turns on
// Node's compile cache where it exists (Node ≥ 22.1), then loads the ESM CLI, whose commands are separate lazy chunks.
import * as nodeModule from 'node:module';

const withCompileCache = nodeModule as { enableCompileCache?: (directory?: string) => unknown };
try {
  // Caches V8's compiled code for the CLI's chunks on disk (NODE_COMPILE_CACHE or the OS temp folder); Node 20 lacks it.
  withCompileCache.enableCompileCache?.();
} catch {
  // An unwritable cache folder only costs speed.
}

// A path relative to dist/, kept out of the bundle on purpose (not a literal, so esbuild leaves the import alone).
const entry = './cli/flux-oci.mjs';
import(entry).catch((error: unknown) => {
  process.stderr.write(`flux-oci: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
