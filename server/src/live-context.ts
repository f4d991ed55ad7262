// Keeps the core's LiveService in step with the registry context: rebuilt when the shared RegistryClient is replaced,
// re-optioned on trust, settings or stored-credential changes. Untrusted: an inert client that can make no request.
import { join } from 'node:path';
import { LiveService } from '../../core/live/live-service';
import type { LiveOptions } from '../../core/live/live-options';
import { RegistryClient } from '../../core/oci/registry-client';
import type { RegistryContext } from './registry-context';
import type { SettingsReader } from './settings';
import type { WorkspaceState } from './workspace-state';

export class LiveContext {
  private service: LiveService | undefined;
  private serviceClient: RegistryClient | undefined;
  private optionsKey = '';
  /** Never used for a request: offline, no credentials; stands in while the workspace is untrusted. */
  private inertClient: RegistryClient | undefined;

  constructor(
    private readonly state: WorkspaceState,
    private readonly registry: RegistryContext,
    private readonly settings: SettingsReader,
  ) {}

  /** The LiveService for the current trust, settings and credentials. */
  async live(): Promise<LiveService> {
    const settings = await this.settings.get();
    const trusted = this.registry.isTrusted();
    const client = trusted ? (await this.registry.access()).client : (this.inertClient ??= new RegistryClient({ offline: true }));
    const options: Partial<LiveOptions> = {
      trusted,
      offline: settings.registry.offline,
      useWorkspaceSecrets: trusted && settings.registry.useWorkspaceSecrets,
      storedCredentials: this.registry.storedCredentials(),
      newerVersionHints: settings.hints.newerVersions,
      chartCacheDir: join(this.registry.cacheRoot(), 'charts'),
      resolutionTtlMs: settings.registry.cacheTtlSeconds * 1000,
    };
    // Credentials enter the key only as a count of hosts plus a change counter; the key is never logged.
    const key = JSON.stringify({ ...options, storedCredentials: this.registry.credentialsVersion() });
    if (!this.service || this.serviceClient !== client) {
      this.service = new LiveService(this.state.index, client, options);
      this.serviceClient = client;
      this.optionsKey = key;
    } else if (key !== this.optionsKey) {
      this.service.setOptions(options);
      this.optionsKey = key;
    }
    return this.service;
  }

  /** Forget only the answers that failed for an unreachable host (the quiet retry); returns how many. */
  forgetUnreachableHosts(): number {
    return this.service?.forgetUnreachableHosts() ?? 0;
  }

  /** Forget live answers (the Refresh command). */
  refresh(): void {
    this.service?.refresh();
  }
}
