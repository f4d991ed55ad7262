// What `flux-oci inspect` and `flux-oci pull` share: their common options, the registry client they pull with
// (docker config credentials, closed afterwards so the process exits at once) and the exit code of a failed pull.
import type { CloudProviderName } from '../core/oci/credentials/cloud-registry-hosts';
import { cliCredentials, parseProviderFlag } from './registry-credentials';
import { RegistryClient } from '../core/oci/registry-client';
import type { ArtifactProblem, ArtifactResult } from '../core/artifacts/artifact-error';
import { defaultCacheDir, pullReference } from '../core/artifacts/pull-reference';
import type { PulledArtifact } from '../core/artifacts/pull-artifact';
import { RegistryError } from '../core/oci/errors';
import { exposeGc } from './expose-gc';
import { extractNetworkFlags, networkClientOptions, type NetworkFlags } from './network-flags';

export interface CommonPullArgs {
  reference?: string;
  insecure: boolean;
  layerMediaType?: string;
  cacheDir: string;
  maxBytes?: number;
  maxFiles?: number;
  imageLayers: boolean;
  /** --ca-file, --cert-file, --key-file, --proxy. */
  network: NetworkFlags;
  /** `--provider`: the cloud whose own sign-in applies to the reference's registry. */
  provider?: CloudProviderName;
}

/** Parses the options inspect and pull share; returns an error sentence for bad usage. */
export function parsePullArgs(argv: string[], extra: Record<string, 'flag' | 'value'>): { args: CommonPullArgs; values: Record<string, string | true> } | { error: string } {
  const extracted = extractNetworkFlags(argv);
  if ('error' in extracted) return extracted;
  argv = extracted.argv;
  const args: CommonPullArgs = { insecure: false, cacheDir: defaultCacheDir(), imageLayers: false, network: extracted.flags };
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
      case '--provider': {
        const p = parseProviderFlag(takeValue());
        if ('error' in p) return p;
        args.provider = p.provider;
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

/** Pulls `args.reference` as the shared options say, with the user's docker config credentials; always closes the client. */
export async function pullWithArgs(args: CommonPullArgs & { reference: string }, options: { checkSignatures?: boolean } = {}): Promise<ArtifactResult<PulledArtifact>> {
  exposeGc();
  const provider = args.provider;
  let client: RegistryClient;
  try {
    const clientNetwork = networkClientOptions(args.network);
    client = new RegistryClient({ credentials: cliCredentials({ providerFor: provider ? () => provider : undefined, network: clientNetwork }), ...clientNetwork });
  } catch (error) {
    if (error instanceof RegistryError) return { ok: false, problem: { code: 'registry', message: error.message } };
    throw error;
  }
  try {
    return await pullReference(args.reference, {
      client,
      cache: args.cacheDir,
      insecure: args.insecure,
      ...(args.layerMediaType ? { layerMediaType: args.layerMediaType } : {}),
      limits: { ...(args.maxBytes ? { maxBytes: args.maxBytes } : {}), ...(args.maxFiles ? { maxFiles: args.maxFiles } : {}) },
      extractImageLayers: args.imageLayers,
      ...(options.checkSignatures ? { checkSignatures: true } : {}),
    });
  } finally {
    await client.close().catch(() => undefined);
  }
}
