// Publishes the core's offline diagnostics as LSP diagnostics: converts FluxDiagnostic, debounces per buffer
// and republishes every file a change affected (cross-file). Must not compute diagnostics itself (the core does).
import { redactCredentials } from '../../shared/redaction';
import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import type { FluxDiagnostic, Severity } from '../../core/diagnostic';
import type { SettingsReader } from './settings';
import type { UriRegistry } from './uri-paths';
import type { Logger, WorkspaceState } from './workspace-state';

export const DIAGNOSTIC_SOURCE = 'flux-oci';
export const DEBOUNCE_MS = 150;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspDiagnostic(diagnostic: FluxDiagnostic): Diagnostic {
  return {
    severity: SEVERITY[diagnostic.severity] ?? DiagnosticSeverity.Error,
    code: diagnostic.code,
    source: DIAGNOSTIC_SOURCE,
    message: redactCredentials(diagnostic.message),
    range: {
      start: { line: diagnostic.range.start.line, character: diagnostic.range.start.character },
      end: { line: diagnostic.range.end.line, character: diagnostic.range.end.character },
    },
  };
}

/** The core's diagnostics for one indexed path, or [] when the path is unknown or analysis fails. */
export function analyzePath(state: WorkspaceState, path: string, log: Logger): FluxDiagnostic[] {
  if (!state.index.hasFile(path)) return [];
  try {
    return state.index.analyze(path).diagnostics;
  } catch (error) {
    log(`Analyzing ${path} failed: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
}

export interface BufferSource {
  textOf(uri: string): string | undefined;
  versionOf(uri: string): number | undefined;
}

export class DiagnosticsPublisher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** URIs that currently show at least one diagnostic in the client. */
  private readonly nonEmpty = new Set<string>();
  /** Registry-backed diagnostics per path, merged with the offline ones when publishing. */
  private readonly live = new Map<string, FluxDiagnostic[]>();

  constructor(
    private readonly connection: Connection,
    private readonly state: WorkspaceState,
    private readonly uris: UriRegistry,
    private readonly settings: SettingsReader,
    private readonly buffers: BufferSource,
    private readonly log: Logger,
  ) {}

  /** A buffer changed: re-index and publish after a quiet period, so typing never waits on analysis. */
  scheduleBuffer(uri: string): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.indexBuffer(uri);
      }, DEBOUNCE_MS),
    );
  }

  /** Indexes a pending buffer change now (before answering hover, completion, code actions). */
  flushBuffer(uri: string): void {
    const pending = this.timers.get(uri);
    if (!pending) return;
    clearTimeout(pending);
    this.timers.delete(uri);
    this.indexBuffer(uri);
  }

  cancelBuffer(uri: string): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    this.timers.delete(uri);
  }

  private indexBuffer(uri: string): void {
    const text = this.buffers.textOf(uri);
    if (text === undefined) return;
    const path = this.uris.remember(uri);
    const affected = this.state.setBuffer(path, text);
    void this.publish(affected.includes(path) ? affected : [path, ...affected]);
  }

  /** Publishes the current diagnostics of each path (cleared when validation is off or the path is gone). */
  async publish(paths: Iterable<string>): Promise<void> {
    let enabled = true;
    try {
      enabled = (await this.settings.get()).validation.enable;
    } catch {
      enabled = true;
    }
    for (const path of new Set(paths)) {
      try {
        this.publishOne(path, enabled);
      } catch (error) {
        this.log(`Publishing diagnostics for ${path} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** Replaces the live diagnostics of every path; returns the paths whose live diagnostics changed. */
  replaceLive(next: Map<string, FluxDiagnostic[]>): string[] {
    const changed: string[] = [];
    for (const path of new Set([...this.live.keys(), ...next.keys()])) {
      const before = this.live.get(path) ?? [];
      const after = next.get(path) ?? [];
      if (JSON.stringify(before) === JSON.stringify(after)) continue;
      changed.push(path);
      if (after.length) this.live.set(path, after);
      else this.live.delete(path);
    }
    return changed;
  }

  /** The live diagnostics last published for a path (with their fixes, for code actions). */
  liveFor(path: string): FluxDiagnostic[] {
    return this.live.get(path) ?? [];
  }

  /** Republishes every indexed and every open file (after a settings change). */
  republishAll(): Promise<void> {
    return this.publish([...this.state.index.files(), ...[...this.nonEmpty].map((uri) => this.pathOfPublished(uri))]);
  }

  private pathOfPublished(uri: string): string {
    return this.uris.remember(uri);
  }

  private publishOne(path: string, enabled: boolean): void {
    const uri = this.uris.uriOf(path);
    const open = this.state.isOpen(path);
    let diagnostics: Diagnostic[] = [];
    if (enabled) {
      const oversized = this.state.oversizedLength(path);
      diagnostics =
        oversized !== undefined ? [tooLargeDiagnostic(oversized)] : [...analyzePath(this.state, path, this.log), ...(this.state.index.hasFile(path) ? this.liveFor(path) : [])].map(toLspDiagnostic);
    }
    if (diagnostics.length === 0 && !open && !this.nonEmpty.has(uri)) return;
    if (diagnostics.length > 0) this.nonEmpty.add(uri);
    else this.nonEmpty.delete(uri);
    const version = open ? this.buffers.versionOf(uri) : undefined;
    void this.connection.sendDiagnostics({ uri, diagnostics, ...(version !== undefined ? { version } : {}) });
  }
}

function tooLargeDiagnostic(length: number): Diagnostic {
  return {
    severity: DiagnosticSeverity.Information,
    code: 'file-too-large',
    source: DIAGNOSTIC_SOURCE,
    message: `This file is too large to check (${Math.round(length / 1024 / 1024)} MB); Flux OCI Sources checks files up to 10 MB.`,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  };
}
