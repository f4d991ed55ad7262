// `flux-oci inspect REF`: pulls into the cache and prints the summary (manifest, config, layers, files) as text or JSON.
// Argument parsing and output only; pulling, verification and extraction are core/artifacts'.
import type { CliIO } from '../cli-io';
import { RegistryClient } from '../../core/oci/registry-client';
import { defaultCacheDir, pullReference } from '../../core/artifacts/pull-reference';
import { renderSummaryText, summarizeArtifact } from '../../core/artifacts/inspect-summary';
import type { ArtifactProblem } from '../../core/artifacts/artifact-error';

const HELP = `usage: flux-oci inspect REF [options]

Shows what Flux would deploy from an OCI reference (oci://host/repo:tag or …@sha256:…):
manifest, config, layers (the one Flux uses is marked *), annotations, chart metadata and files.

options:
  --format text|json        output format (default text)
  --insecure                allow plain HTTP to this registry
  --layer-media-type TYPE   choose the layer like spec.layerSelector.mediaType
  --signatures              also look for signatures (referrers / cosign tag)
  --image-layers            download and list a container image's chosen layer
  --cache-dir DIR           content cache (default $XDG_CACHE_HOME/flux-oci or ~/.cache/flux-oci)
  --max-bytes N             refuse archives expanding past N bytes (default 104857600)
  --max-files N             refuse archives with more than N entries (default 10000)
`;

export interface CommonPullArgs {
  reference?: string;
  insecure: boolean;
  layerMediaType?: string;
  cacheDir: string;
  maxBytes?: number;
  maxFiles?: number;
  imageLayers: boolean;
}

/** Parses the options inspect and pull share; returns an error sentence for bad usage. */
export function parsePullArgs(argv: string[], extra: Record<string, 'flag' | 'value'>): { args: CommonPullArgs; values: Record<string, string | true> } | { error: string } {
  const args: CommonPullArgs = { insecure: false, cacheDir: defaultCacheDir(), imageLayers: false };
  const values: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const takeValue = (): string | undefined => inline ?? argv[++i];
    const numberValue = (): number | undefined => {
      const v = takeValue();
      return v !== undefined && /^[1-9][0-9]*$/.test(v) ? Number(v) : undefined;
    };
    switch (flag) {
      case '--insecure':
        args.insecure = true;
        break;
      case '--image-layers':
        args.imageLayers = true;
        break;
      case '--layer-media-type': {
        const v = takeValue();
        if (!v) return { error: '--layer-media-type needs a media type' };
        args.layerMediaType = v;
        break;
      }
      case '--cache-dir': {
        const v = takeValue();
        if (!v) return { error: '--cache-dir needs a directory' };
        args.cacheDir = v;
        break;
      }
      case '--max-bytes':
      case '--max-files': {
        const v = numberValue();
        if (v === undefined) return { error: `${flag} needs a positive whole number` };
        if (flag === '--max-bytes') args.maxBytes = v;
        else args.maxFiles = v;
        break;
      }
      default: {
        const kind = extra[flag];
        if (kind === 'flag') values[flag] = true;
        else if (kind === 'value') {
          const v = takeValue();
          if (!v) return { error: `${flag} needs a value` };
          values[flag] = v;
        } else if (flag.startsWith('-')) return { error: `unknown option ${flag}` };
        else if (args.reference === undefined) args.reference = arg;
        else return { error: `unexpected argument "${arg}"` };
      }
    }
  }
  return { args, values };
}

/** Exit code for a failed pull: 2 for registry/I/O trouble, 1 when the artifact itself was refused. */
export function exitCodeFor(problem: ArtifactProblem): number {
  return problem.code === 'registry' || problem.code === 'io' || problem.code === 'cancelled' ? 2 : 1;
}

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
  const result = await pullReference(args.reference, {
    client: new RegistryClient(),
    cache: args.cacheDir,
    insecure: args.insecure,
    ...(args.layerMediaType ? { layerMediaType: args.layerMediaType } : {}),
    limits: { ...(args.maxBytes ? { maxBytes: args.maxBytes } : {}), ...(args.maxFiles ? { maxFiles: args.maxFiles } : {}) },
    extractImageLayers: args.imageLayers,
    checkSignatures: values['--signatures'] === true,
  });
  if (!result.ok) {
    if (format === 'json') io.out(`${JSON.stringify({ error: result.problem }, null, 2)}\n`);
    io.err(`flux-oci inspect: ${result.problem.message}\n`);
    return exitCodeFor(result.problem);
  }
  const summary = summarizeArtifact(result.value);
  io.out(format === 'json' ? `${JSON.stringify(summary, null, 2)}\n` : renderSummaryText(summary));
  return 0;
}
