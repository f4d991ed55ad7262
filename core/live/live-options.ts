// The settings the live (registry-backed) features run with: trust, offline mode, credential sources,
// cache places and limits. Plain data with defaults; no I/O and no LSP or vscode types.

export interface StoredCredential {
  username: string;
  password: string;
}

export interface LiveOptions {
  /** Workspace trust. False: no network request of any kind is made. */
  trusted: boolean;
  /** The user's offline switch. True: no network request of any kind is made. */
  offline: boolean;
  /** Use `spec.secretRef` pull Secrets found in the workspace (only when trusted). */
  useWorkspaceSecrets: boolean;
  /** Credentials the user stored in the editor, keyed by registry host[:port]. */
  storedCredentials: Record<string, StoredCredential>;
  /** Hint when newer versions exist outside a semver range (or after a pinned tag). */
  newerVersionHints: boolean;
  /** Directory where pulled charts (values.yaml, values.schema.json) are cached per digest. */
  chartCacheDir?: string;
  /** How long a resolution is reused before the registry is asked again. */
  resolutionTtlMs: number;
  /** How many tags get their digest looked up for `ref.digest` completion. */
  recentDigestCount: number;
  /** Parallel registry requests for digest lookups and workspace-wide diagnostics. */
  concurrency: number;
  /** Newest matching tags listed in a hover. */
  hoverTagCount: number;
  /** Progress messages for long work (tag listings, chart pulls). */
  onProgress?: (message: string) => void;
  /** Clock, for tests of "cached N minutes ago". */
  now?: () => number;
}

export const DEFAULT_LIVE_OPTIONS: LiveOptions = {
  trusted: true,
  offline: false,
  useWorkspaceSecrets: true,
  storedCredentials: {},
  newerVersionHints: true,
  resolutionTtlMs: 300_000,
  recentDigestCount: 10,
  concurrency: 4,
  hoverTagCount: 5,
};

export function liveOptions(partial: Partial<LiveOptions> = {}): LiveOptions {
  return { ...DEFAULT_LIVE_OPTIONS, ...partial };
}

/** Why the live features may not touch the network, or undefined when they may. */
export function networkBlockedReason(options: LiveOptions): string | undefined {
  if (!options.trusted) return 'This workspace is not trusted, so no registry is contacted (trust the workspace to see live registry data).';
  if (options.offline) return 'Offline mode is on, so no registry is contacted (turn off fluxOci.registry.offline to see live registry data).';
  return undefined;
}
