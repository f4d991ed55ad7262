// The `flux-oci` process entry (bundled to dist/cli/flux-oci.mjs, started by the tiny dist/cli.js launcher): runs
// cli/main with the real streams and sets the exit code. Imports nothing but the dispatcher: each command loads lazily.
import { main } from './main';

// A reader that stops early (`flux-oci tags … | head`) closes the pipe: end quietly, as other command-line tools do,
// instead of an unhandled 'error' event with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
});

// main() turns every failure into a message and exit code 2, so the promise never rejects.
void main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
}).then((code) => {
  process.exitCode = code;
});
