// The `flux-oci` process entry (bundled to dist/cli/flux-oci.mjs, started by the tiny dist/cli.js launcher): runs
// cli/main with the real streams and sets the exit code. Imports nothing but the dispatcher: each command loads lazily.
import { main } from './main';

// main() turns every failure into a message and exit code 2, so the promise never rejects.
void main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
}).then((code) => {
  process.exitCode = code;
});
