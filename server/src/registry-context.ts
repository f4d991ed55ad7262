// The server's one RegistryClient, built from settings (timeout, TTL, offline, insecure hosts, disk cache under the
// client's storage folder) with the user's stored credentials, docker config and cloud sign-in. Refuses all network when untrusted.
import { join } from 'node:path';
import { defaultCacheDir } from '../../core/artifacts/pull-reference';
import { RegistryClient } from '../../core/oci/registry-client';
import type { CloudProviderName } from '../../core/oci/credentials/cloud-registry-hosts';
import { developerCredentials } from '../../core/oci/credentials/developer-credentials';
import { staticCredentials } from '../../core/oci/credentials/static-credentials';
import type { RegistryCredential } from '../../core/oci/credentials/types';
import type { ClientNetwork } from '../../core/oci/network-options';
import { describeNetwork } from '../../core/oci/network-summary';
import { LOOPBACK_REGISTRY_HOSTS, isListedHost } from '../../core/oci/plain-http-hosts';
import { proxyRulesFromEditor } from '../../core/oci/proxy-rules';
import { redactCredentials } from '../../shared/redaction';
import type { FluxOciSettings, SettingsReader } from './settings';
import type { Logger } from './workspace-state';

export const UNTRUSTED_MESSAGE = 'This workspace is not trusted, so Flux OCI Sources contacts no registry; trust the workspace to use live registry data.';

export interface RegistryAccess {
  client: RegistryClient;
  settings: FluxOciSettings;
  /** Where pulled artifacts are stored and extracted. */
  artifactCacheDir: string;
}

export class RegistryContext {
  private client: RegistryClient | undefined;
  private clientKey = '';
  private trusted = false;
  private storagePath: string | undefined;
  /** Mutable on purpose: the credential provider reads it at lookup time. */
  private readonly stored: Record<string, RegistryCredential> = {};
  private storedVersion = 0;
  private networkLine = '';
  /** Told whenever the network line changes (the status bar tooltip shows it). */
  onNetworkChange?: (line: string) => void;

  constructor(
    private readonly settings: SettingsReader,
    private readonly log: Logger,
    /** The cloud the workspace's OCIRepositories declare for a registry (`spec.provider`), read at lookup time. */
    private readonly providerFor?: (registry: string) => CloudProviderName | undefined,
  ) {}

  configure(options: { trusted: boolean; storagePath?: string }): void {
    this.trusted = options.trusted;
    this.storagePath = options.storagePath;
  }

  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
  }

  isTrusted(): boolean {
    return this.trusted;
  }

  /** Replaces the stored credentials (from the editor's secret storage); forgets cached tokens and lookups. */
  setStoredCredentials(credentials: Array<{ host: string; username: string; password: string }>): void {
    for (const key of Object.keys(this.stored)) delete this.stored[key];
    for (const c of credentials) {
      if (typeof c?.host === 'string' && c.host.trim() && typeof c.username === 'string' && typeof c.password === 'string') {
        this.stored[c.host.trim().toLowerCase()] = { username: c.username, password: c.password };
      }
    }
    this.storedVersion++;
    this.client?.clearCache();
    this.log(`Stored registry credentials updated for ${Object.keys(this.stored).length} host(s).`);
  }

  /** Changes whenever the stored credentials change (a counter, never derived from their values). */
  credentialsVersion(): number {
    return this.storedVersion;
  }

  storedCredentials(): Record<string, { username: string; password: string }> {
    const out: Record<string, { username: string; password: string }> = {};
    for (const [host, c] of Object.entries(this.stored)) out[host] = { username: c.username ?? '', password: c.password ?? '' };
    return out;
  }

  /** The reason no registry may be contacted, or undefined when the client may be used (offline mode still allows caches). */
  blockedReason(): string | undefined {
    return this.trusted ? undefined : UNTRUSTED_MESSAGE;
  }

  cacheRoot(): string {
    return this.storagePath ?? defaultCacheDir();
  }

  /** The shared client for the current settings; throws the untrusted message when the workspace is not trusted. */
  async access(): Promise<RegistryAccess> {
    const blocked = this.blockedReason();
    if (blocked) throw new Error(blocked);
    const settings = await this.settings.get();
    const r = settings.registry;
    // The proxy settings are part of the key by value (they may hold credentials): the key is compared, never logged.
    const key = JSON.stringify([r.timeoutSeconds, r.cacheTtlSeconds, r.offline, r.insecureHosts, r.cloudSignIn, this.storagePath, settings.editorProxy]);
    if (!this.client || key !== this.clientKey) {
      const previous = this.client;
      const proxyRules = proxyRulesFromEditor(settings.editorProxy);
      // One network for registry requests and cloud sign-in (the ACR exchange, the ECR API, Google's token endpoints).
      const network: ClientNetwork = { proxyRules };
      const insecureHosts = [...LOOPBACK_REGISTRY_HOSTS, ...r.insecureHosts];
      this.client = new RegistryClient({
        ...network,
        timeoutMs: r.timeoutSeconds * 1000,
        cacheTtlMs: r.cacheTtlSeconds * 1000,
        offline: r.offline,
        insecureHosts,
        diskCacheDir: join(this.cacheRoot(), 'registry'),
        userAgent: 'flux-oci-sources-vscode/0.1',
        credentials: developerCredentials({
          first: [staticCredentials(this.stored, 'credentials stored in the editor')],
          log: this.log,
          cloud: r.cloudSignIn ? { providerFor: this.providerFor, network, plainHttp: (host) => isListedHost(insecureHosts, host) } : false,
        }),
        log: this.log,
      });
      this.clientKey = key;
      const line = redactCredentials(describeNetwork(proxyRules));
      if (line !== this.networkLine) {
        this.networkLine = line;
        this.log(`Registry network: ${line}`);
        this.onNetworkChange?.(line);
      }
      if (previous) void previous.close().catch(() => undefined);
    }
    return { client: this.client, settings, artifactCacheDir: join(this.cacheRoot(), 'artifacts') };
  }

  /** How registries are reached (proxy address, NO_PROXY, CA bundle), once a client was built; never a credential. */
  network(): string {
    return this.networkLine;
  }

  /** Drops in-memory tag lists, manifests and tokens (the disk cache stays for offline answers). */
  refresh(): void {
    this.client?.clearCache();
  }

  async close(): Promise<void> {
    await this.client?.close();
    this.client = undefined;
  }
}
