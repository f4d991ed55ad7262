// `flux-oci tags oci://host/repo`: lists a repository's tags newest first, or with --semver the tag Flux would pick.
// Argument parsing and output only: listing is core/oci's, ordering and selection are core/versions'.
import type { CliIO } from '../cli-io';
import { RegistryClient } from '../../core/oci/registry-client';
import { parseOciUrl } from '../../core/oci/reference';
import { RegistryError } from '../../core/oci/errors';
import type { CloudProviderName } from '../../core/oci/credentials/cloud-registry-hosts';
import { cliCredentials, parseProviderFlag, PROVIDER_HELP } from '../registry-credentials';
import { sortTagsNewestFirst } from '../../core/versions/sort-tags';
import { NETWORK_FLAGS_HELP, extractNetworkFlags, networkClientOptions } from '../network-flags';
import type { Re2Pattern } from '../../core/versions/re2-regexp';

const HELP = `usage: flux-oci tags oci://HOST/REPO [options]

Lists every tag of an OCI repository, newest first (semver tags by version, then the rest).

options:
  --semver RANGE     print only the tag Flux would select for spec.ref.semver RANGE
  --filter REGEX     keep tags matching REGEX (with --semver it is spec.ref.semverFilter)
  --helm             tags are Helm chart versions (\`_\` stands for \`+\`)
  --format text|json output format (default text)
  --insecure         allow plain HTTP to this registry
${NETWORK_FLAGS_HELP}${PROVIDER_HELP}
Credentials come from your docker config ($DOCKER_CONFIG/config.json or ~/.docker/config.json), then, for
ECR, ACR and Google registries (or with --provider), from that cloud's own sign-in.
Exit codes: 0 ok, 1 no tag matches, 2 usage or registry error.
`;

interface TagsArgs {
  url?: string;
  semver?: string;
  filter?: string;
  helm: boolean;
  format: 'text' | 'json';
  insecure: boolean;
  provider?: CloudProviderName;
}

function parseArgs(argv: string[]): TagsArgs | { error: string } | 'help' {
  const args: TagsArgs = { helm: false, format: 'text', insecure: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (name === '--help' || name === '-h') return 'help';
    else if (name === '--semver' || name === '--filter') {
      const v = value();
      if (v === undefined || v === '') return { error: `${name} needs a value` };
      if (name === '--semver') args.semver = v;
      else args.filter = v;
    } else if (name === '--helm') args.helm = true;
    else if (name === '--insecure') args.insecure = true;
    else if (name === '--provider') {
      const p = parseProviderFlag(value());
      if ('error' in p) return p;
      args.provider = p.provider;
    } else if (name === '--format') {
      const f = value();
      if (f !== 'text' && f !== 'json') return { error: `--format must be text or json, not "${f ?? ''}"` };
      args.format = f;
    } else if (name.startsWith('-')) return { error: `unknown option ${name}` };
    else if (args.url) return { error: `unexpected argument "${arg}"` };
    else args.url = arg;
  }
  if (!args.url) return { error: 'missing oci://HOST/REPO' };
  return args;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const network = extractNetworkFlags(argv);
  if ('error' in network) {
    io.err(`flux-oci tags: ${network.error}\n\n${HELP}`);
    return 2;
  }
  const parsed = parseArgs(network.argv);
  if (parsed === 'help') {
    io.out(HELP);
    return 0;
  }
  if ('error' in parsed) {
    io.err(`flux-oci tags: ${parsed.error}\n\n${HELP}`);
    return 2;
  }
  let filter: Re2Pattern | undefined;
  if (parsed.filter !== undefined && parsed.semver === undefined) {
    try {
      // RE2 (a quarter of the CLI's code) loads only when a pattern is given.
      const { compileRe2 } = await import('../../core/versions/re2-regexp');
      filter = compileRe2(parsed.filter);
    } catch (e) {
      io.err(`flux-oci tags: --filter is not a valid Go regular expression: ${(e as Error).message}\n`);
      return 2;
    }
  }
  const provider = parsed.provider;
  let client: RegistryClient;
  try {
    const clientNetwork = networkClientOptions(network.flags);
    client = new RegistryClient({ credentials: cliCredentials({ providerFor: provider ? () => provider : undefined, network: clientNetwork }), ...clientNetwork });
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    io.err(`flux-oci tags: ${error.message}\n`);
    return 2;
  }
  // Range selection (and the RE2 it needs for semverFilter) loads while the registry answers, only for --semver.
  const selection = parsed.semver !== undefined ? import('../../core/versions/resolve-tag') : undefined;
  try {
    const repo = parseOciUrl(parsed.url!);
    const listing = await client.listTags({ registry: repo.registry, repository: repo.repository, insecure: parsed.insecure || undefined });
    const where = `${repo.registry}/${repo.repository}`;
    if (selection) {
      const { resolveRef } = await selection;
      const result = resolveRef({ tags: listing.tags, ref: { semver: parsed.semver, semverFilter: parsed.filter }, helmChart: parsed.helm });
      if (parsed.format === 'json') {
        io.out(
          JSON.stringify(
            { repository: where, semver: parsed.semver, semverFilter: parsed.filter, selected: result.tag ?? null, error: result.error?.message ?? null, tagCount: listing.tags.length },
            null,
            2,
          ) + '\n',
        );
      } else if (result.tag) {
        io.out(`${result.tag}\n`);
      }
      if (result.error || !result.tag) {
        if (parsed.format === 'text') io.err(`flux-oci tags: ${result.error?.message ?? `no tag of ${where} matches ${parsed.semver}`}\n`);
        return result.error && result.error.code !== 'no-match' ? 2 : 1;
      }
      return 0;
    }
    const newestFirst = sortTagsNewestFirst(listing.tags, parsed.helm);
    const sorted = filter ? newestFirst.filter((t) => filter.test(t)) : newestFirst;
    if (parsed.format === 'json') {
      io.out(JSON.stringify({ repository: where, tags: sorted, fetchedAt: new Date(listing.fetchedAt).toISOString() }, null, 2) + '\n');
    } else {
      io.out(sorted.map((t) => `${t}\n`).join(''));
    }
    return sorted.length === 0 && filter ? 1 : 0;
  } catch (error) {
    if (error instanceof RegistryError) {
      io.err(`flux-oci tags: ${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    await client.close();
  }
}
