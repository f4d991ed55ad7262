// Runs `flux-oci` in-process through cli/main with captured stdout/stderr, for the CLI tests.
// Exercises the real dispatcher and commands; only the streams are swapped for strings.
import { main } from '../../cli/main';

export async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}
