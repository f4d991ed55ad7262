// `flux-oci inspect REF`: pulls into the cache and prints the summary (manifest, config, layers, files) as text or JSON.
// Argument parsing and output only; pulling, verification and extraction are core/artifacts'.
import type { CliIO } from '../cli-io';
import { renderSummaryText, summarizeArtifact } from '../../core/artifacts/inspect-summary';
import { exitCodeFor, parsePullArgs, pullWithArgs } from '../pull-options';

const HELP = `usage: flux-oci inspect REF [options]

Shows what Flux would deploy from an OCI reference (oci://host/repo:tag or …@sha256:…):
manifest, config, layers (the one Flux uses is marked *), annotations, chart metadata and files.

options:
  --format text|json        output format (default text)
  --insecure                allow plain HTTP to this registry
  --provider aws|azure|gcp  sign in with that cloud's own credentials, as spec.provider does
  --layer-media-type TYPE   choose the layer like spec.layerSelector.mediaType
  --signatures              also look for signatures (referrers / cosign tag)
  --image-layers            download and list a container image's chosen layer
  --cache-dir DIR           content cache (default $XDG_CACHE_HOME/flux-oci or ~/.cache/flux-oci)
  --max-bytes N             refuse archives expanding past N bytes (default 104857600)
  --max-files N             refuse archives with more than N entries (default 10000)
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(HELP);
    return 0;
  }
  const parsed = parsePullArgs(argv, { '--format': 'value', '--signatures': 'flag' });
  if ('error' in parsed) {
    io.err(`flux-oci inspect: ${parsed.error}\n\n${HELP}`);
    return 2;
  }
  const { args, values } = parsed;
  const format = values['--format'] ?? 'text';
  if (!args.reference || (format !== 'text' && format !== 'json')) {
    io.err(`flux-oci inspect: ${args.reference ? '--format must be text or json' : 'a reference is required'}\n\n${HELP}`);
    return 2;
  }
  const result = await pullWithArgs({ ...args, reference: args.reference }, { checkSignatures: values['--signatures'] === true });
  if (!result.ok) {
    if (format === 'json') io.out(`${JSON.stringify({ error: result.problem }, null, 2)}\n`);
    io.err(`flux-oci inspect: ${result.problem.message}\n`);
    return exitCodeFor(result.problem);
  }
  const summary = summarizeArtifact(result.value);
  io.out(format === 'json' ? `${JSON.stringify(summary, null, 2)}\n` : renderSummaryText(summary));
  return 0;
}
