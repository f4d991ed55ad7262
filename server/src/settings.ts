// The `fluxOci.*` settings: their defaults, a defensive parser, and reading them over workspace/configuration.
// Must not act on settings itself (features ask for them) and must never log setting values that could be secrets.
import type { Connection } from 'vscode-languageserver/node';
import type { EditorProxySettings } from '../../core/oci/proxy-rules';

export interface FluxOciSettings {
  validation: { enable: boolean };
  registry: {
    timeoutSeconds: number;
    cacheTtlSeconds: number;
    offline: boolean;
    insecureHosts: string[];
    useWorkspaceSecrets: boolean;
    /** Sign in to ECR/ACR/Google registries (and `spec.provider` hosts) with the cloud's own credentials. */
    cloudSignIn: boolean;
  };
  hints: { newerVersions: boolean };
  pull: { maxBytes: number; maxFiles: number };
  trace: { server: 'off' | 'messages' | 'verbose' };
  /** VS Code's own `http.proxy`, `http.noProxy`, `http.proxyStrictSSL` (read from the `http` section; may hold credentials: never logged). */
  editorProxy: EditorProxySettings;
}

export const DEFAULT_SETTINGS: FluxOciSettings = {
  validation: { enable: true },
  registry: { timeoutSeconds: 15, cacheTtlSeconds: 300, offline: false, insecureHosts: [], useWorkspaceSecrets: true, cloudSignIn: true },
  hints: { newerVersions: true },
  pull: { maxBytes: 100 * 1024 * 1024, maxFiles: 10_000 },
  trace: { server: 'off' },
  editorProxy: {},
};

function section(raw: unknown, key: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null) return {};
  const value = (raw as Record<string, unknown>)[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function strings(value: unknown, fallback: string[]): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()) : fallback;
}

/** VS Code's `http` section: proxy (string), noProxy (string[]), proxyStrictSSL (boolean). */
export function parseEditorProxy(raw: unknown): EditorProxySettings {
  if (typeof raw !== 'object' || raw === null) return {};
  const http = raw as Record<string, unknown>;
  const out: EditorProxySettings = {};
  if (typeof http.proxy === 'string' && http.proxy.trim()) out.proxy = http.proxy.trim();
  const noProxy = strings(http.noProxy, []);
  if (noProxy.length) out.noProxy = noProxy;
  if (typeof http.proxyStrictSSL === 'boolean') out.proxyStrictSsl = http.proxyStrictSSL;
  return out;
}

/** Turns the `fluxOci` configuration section (nested object as VS Code sends it) into complete settings. */
export function parseSettings(raw: unknown, http?: unknown): FluxOciSettings {
  const d = DEFAULT_SETTINGS;
  const validation = section(raw, 'validation');
  const registry = section(raw, 'registry');
  const hints = section(raw, 'hints');
  const pull = section(raw, 'pull');
  const trace = section(raw, 'trace');
  const traceServer = trace.server === 'messages' || trace.server === 'verbose' ? trace.server : 'off';
  return {
    validation: { enable: bool(validation.enable, d.validation.enable) },
    registry: {
      timeoutSeconds: positive(registry.timeoutSeconds, d.registry.timeoutSeconds),
      cacheTtlSeconds: positive(registry.cacheTtlSeconds, d.registry.cacheTtlSeconds),
      offline: bool(registry.offline, d.registry.offline),
      insecureHosts: strings(registry.insecureHosts, d.registry.insecureHosts),
      useWorkspaceSecrets: bool(registry.useWorkspaceSecrets, d.registry.useWorkspaceSecrets),
      cloudSignIn: bool(registry.cloudSignIn, d.registry.cloudSignIn),
    },
    hints: { newerVersions: bool(hints.newerVersions, d.hints.newerVersions) },
    pull: { maxBytes: positive(pull.maxBytes, d.pull.maxBytes), maxFiles: positive(pull.maxFiles, d.pull.maxFiles) },
    trace: { server: traceServer },
    editorProxy: parseEditorProxy(http),
  };
}

/** Reads settings from the client when it supports workspace/configuration; caches until invalidated. */
export class SettingsReader {
  private cached: Promise<FluxOciSettings> | undefined;
  private supported = false;

  constructor(private readonly connection: Connection) {}

  setClientSupportsConfiguration(supported: boolean): void {
    this.supported = supported;
    this.cached = undefined;
  }

  /** Called on workspace/didChangeConfiguration; `pushed` is the `settings` payload clients without pull send. */
  invalidate(pushed?: unknown): void {
    if (!this.supported && pushed !== undefined) {
      this.cached = Promise.resolve(parseSettings(section(pushed, 'fluxOci'), section(pushed, 'http')));
    } else {
      this.cached = undefined;
    }
  }

  get(): Promise<FluxOciSettings> {
    if (!this.cached) {
      this.cached = this.supported
        ? this.connection.workspace.getConfiguration([{ section: 'fluxOci' }, { section: 'http' }]).then(
            ([own, http]: unknown[]) => parseSettings(own, http),
            () => DEFAULT_SETTINGS,
          )
        : Promise.resolve(DEFAULT_SETTINGS);
    }
    return this.cached;
  }
}
