// STUB: `flux-oci check` (replaced by the implementation).
import type { CliIO } from '../cli-io';

export async function run(argv: string[], io: CliIO): Promise<number> {
  void argv;
  io.err('flux-oci check: not implemented yet\n');
  return 2;
}
