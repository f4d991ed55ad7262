// The network flags every registry command shares: --ca-file, --cert-file, --key-file (a private CA, mTLS) and --proxy;
// without --proxy, HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment apply. Parsing and client options only.
import { RegistryError } from '../core/oci/errors';
import { proxyRulesFromEnvironment, parseProxyAddress, type ProxyRules } from '../core/oci/proxy-rules';
import { tlsMaterialFromFiles } from '../core/oci/tls-material';
import type { ClientNetwork } from '../core/oci/network-options';

export interface NetworkFlags {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  proxy?: string;
}

export const NETWORK_FLAGS_HELP = `  --ca-file FILE            trust this PEM CA bundle (besides the public roots) for registries and cloud sign-in
  --cert-file FILE          client certificate (PEM) for registries that require mTLS (with --key-file)
  --key-file FILE           the client certificate's private key (PEM)
  --proxy URL               forward proxy for registry requests and cloud sign-in (default: HTTPS_PROXY /
                            HTTP_PROXY; NO_PROXY applies)
`;

const FLAG_FIELDS: Record<string, keyof NetworkFlags> = { '--ca-file': 'caFile', '--cert-file': 'certFile', '--key-file': 'keyFile', '--proxy': 'proxy' };

/** Takes the network flags out of `argv` (`--flag value` or `--flag=value`); the rest is left for the command's parser. */
export function extractNetworkFlags(argv: string[]): { argv: string[]; flags: NetworkFlags } | { error: string } {
  const rest: string[] = [];
  const flags: NetworkFlags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const field = FLAG_FIELDS[name];
    if (!field) {
      rest.push(arg);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (!value) return { error: `${name} needs a value` };
    flags[field] = value;
  }
  return { argv: rest, flags };
}

/**
 * The command's network for the flags: proxy rules (--proxy over the environment) and TLS material. Give it to the
 * RegistryClient and to cloud sign-in alike. Throws RegistryError.
 */
export function networkClientOptions(flags: NetworkFlags, env: Record<string, string | undefined> = process.env): ClientNetwork & { proxyRules: ProxyRules } {
  const fromEnv = proxyRulesFromEnvironment(env);
  let proxyRules = fromEnv;
  if (flags.proxy) {
    const parsed = parseProxyAddress(flags.proxy, '--proxy'); // validates; the full value (credentials included) is what undici gets
    if (!parsed.address) throw new RegistryError('invalid-reference', '--proxy needs a proxy URL.');
    proxyRules = { httpsProxy: flags.proxy, httpProxy: flags.proxy, noProxy: fromEnv.noProxy, origin: '--proxy' };
  }
  const tls = tlsMaterialFromFiles(flags);
  return { proxyRules, ...(tls ? { tls } : {}) };
}
