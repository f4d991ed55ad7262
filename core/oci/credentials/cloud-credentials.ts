// Cloud sign-in as one credential provider: picks AWS, Azure or Google for a registry (declared by `spec.provider`, else by
// host name), asks that platform's sources, keeps each answer until shortly before it expires, and remembers (for a minute,
// so public images on cloud hosts do not pay for a failed sign-in per repository) why none was found.
import { SingleFlight } from '../cache/memory-cache';
import type { ClientNetwork } from '../network-options';
import { LOOPBACK_REGISTRY_HOSTS, isListedHost } from '../plain-http-hosts';
import { proxyRulesFromEnvironment } from '../proxy-rules';
import { cloudRegistryHost, type CloudProviderName } from './cloud-registry-hosts';
import type { CloudLookupResult, CloudSourceOptions } from './cloud-lookup';
import { programProxyEnvironment } from './program-proxy-env';
import { signInHint } from './sign-in-hints';
import type { CredentialProvider, FoundCredential, LookupContext } from './types';

export interface CloudCredentialsOptions {
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /**
   * The provider an OCIRepository's `spec.provider` declares for a registry host (`aws`, `azure`, `gcp`). Asked at lookup time;
   * a declared provider also applies to hosts whose names do not say which cloud they are (private endpoints, test fakes).
   */
  providerFor?: (registry: string) => CloudProviderName | undefined;
  /** Per sign-in step (SDK call, CLI run, exchange). Default 10 s. */
  timeoutMs?: number;
  /** Hosts reached over plain HTTP for the ACR exchange. Default: loopback only. */
  plainHttp?: (registry: string) => boolean;
  /**
   * The network the registry client was given (the same ClientNetwork value): the ACR exchange, the ECR API and Google's
   * token endpoints go through its proxy (per its NO_PROXY) with its CA bundle. Default: the environment's proxy rules.
   */
  network?: ClientNetwork;
}

export interface CloudCredentialProvider extends CredentialProvider {
  /** The cloud that applies to `registry`, declared or judged by host name. */
  providerOf(registry: string): CloudProviderName | undefined;
  /** Whether `spec.provider` declared the cloud for this host (then it goes before the docker config). */
  isDeclared(registry: string): boolean;
}

const EXPIRY_MARGIN_MS = 5 * 60_000;
const FAILURE_MEMORY_MS = 60_000;
type CloudSource = (registry: string, options: CloudSourceOptions) => Promise<CloudLookupResult>;
// Each cloud's code (and Node's https module under it) loads only when a registry needs that cloud: a command talking to
// other registries does not pay for it at start-up.
const SOURCES: Record<CloudProviderName, () => Promise<CloudSource>> = {
  aws: async () => (await import('./aws-ecr-credentials')).awsEcrCredential,
  azure: async () => (await import('./azure-acr-credentials')).azureAcrCredential,
  gcp: async () => (await import('./google-credentials')).googleCredential,
};
const LABEL: Record<CloudProviderName, string> = { aws: 'AWS', azure: 'Azure', gcp: 'Google Cloud' };

const isLoopback = (registry: string) => isListedHost(LOOPBACK_REGISTRY_HOSTS, registry);

export function cloudCredentials(options: CloudCredentialsOptions = {}): CloudCredentialProvider {
  const env = options.env ?? process.env;
  const sourceOptions: CloudSourceOptions = {
    env,
    timeoutMs: options.timeoutMs ?? 10_000,
    plainHttp: options.plainHttp ?? isLoopback,
    network: options.network ?? { proxyRules: proxyRulesFromEnvironment(env) },
  };
  const answers = new Map<string, { credential: FoundCredential; expiresAt: number }>();
  const flights = new SingleFlight<FoundCredential | undefined>();
  const problems = new Map<string, { reasons: string[]; until: number }>();
  const providerOf = (registry: string) => options.providerFor?.(registry) ?? cloudRegistryHost(registry)?.provider;

  const ask = async (provider: CloudProviderName, registry: string, key: string, context?: LookupContext): Promise<FoundCredential | undefined> => {
    // Sources report problems as values; anything thrown past them is still a sign-in that found nothing, not a crash.
    // The sign-in programs (az, docker credential helpers) get the same proxy through their environment.
    const source = context?.network;
    const forThisSource: CloudSourceOptions = { ...sourceOptions, env: programProxyEnvironment(env, sourceOptions.network, source?.proxy), ...(source ? { source } : {}) };
    const result = await SOURCES[provider]()
      .then((source) => source(registry, forThisSource))
      .catch((): CloudLookupResult => ({ problems: ['the sign-in failed unexpectedly'] }));
    if (!result.credential) {
      problems.set(key, { reasons: result.problems, until: Date.now() + FAILURE_MEMORY_MS });
      options.log?.(`${LABEL[provider]} sign-in for ${registry}: ${result.problems.join('; ')}.`);
      return undefined;
    }
    problems.delete(key);
    const credential: FoundCredential = { ...result.credential, source: result.source ?? `${LABEL[provider]} sign-in` };
    answers.set(key, { credential, expiresAt: (result.expiresAt ?? Date.now() + 30 * 60_000) - EXPIRY_MARGIN_MS });
    return credential;
  };

  return {
    name: 'cloud sign-in (ECR, ACR, Google registries)',
    providerOf,
    isDeclared: (registry) => options.providerFor?.(registry) !== undefined,
    async lookup(registry: string, _repository: string, context?: LookupContext): Promise<FoundCredential | undefined> {
      const provider = providerOf(registry);
      if (!provider) return undefined;
      const key = `${provider}|${registry}`;
      const held = answers.get(key);
      if (held && held.expiresAt > Date.now()) return held.credential;
      answers.delete(key);
      if ((problems.get(key)?.until ?? 0) > Date.now()) return undefined;
      return flights.run(key, () => ask(provider, registry, key, context));
    },
    signInHint(registry: string): string | undefined {
      const provider = providerOf(registry);
      if (!provider) return undefined;
      const why = problems.get(`${provider}|${registry}`)?.reasons;
      const reason = why?.length ? `${LABEL[provider]} sign-in found no credentials: ${why.join('; ')}. ` : '';
      return reason + signInHint(provider, registry, sourceOptions.env);
    },
    clearCache(): void {
      answers.clear();
      problems.clear();
    },
  };
}
