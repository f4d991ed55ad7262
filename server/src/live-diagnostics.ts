// Runs the core's live (registry-backed) diagnostics in the background: debounced after edits, file changes, settings
// or trust changes and Refresh; a newer run cancels an older one. Typing never waits: offline results publish first.
import type { FluxDiagnostic } from '../../core/diagnostic';
import { LIVE_CODES } from '../../core/live/live-diagnostics';
import type { DiagnosticsPublisher } from './diagnostics';
import type { LiveContext } from './live-context';
import type { RegistryActivity } from './registry-activity';
import type { RegistryContext } from './registry-context';
import type { Logger } from './workspace-state';

export const LIVE_DEBOUNCE_MS = 600;
/** While a host is unreachable, its sources are asked again after 30 s, then less often (up to every 5 minutes). */
export const UNREACHABLE_RETRY_MS = { first: 30_000, max: 300_000 } as const;

function hasUnreachableHost(results: Map<string, FluxDiagnostic[]>): boolean {
  for (const diagnostics of results.values()) if (diagnostics.some((d) => d.code === LIVE_CODES.hostUnreachable)) return true;
  return false;
}

/** A registry the run could not use (denied, unreachable): the run worked, but the status bar should still warn. */
function firstUnavailable(results: Map<string, FluxDiagnostic[]>): string | undefined {
  for (const diagnostics of results.values()) {
    const unavailable = diagnostics.find((d) => d.code === LIVE_CODES.hostUnreachable || d.code === LIVE_CODES.registryUnavailable);
    if (unavailable) return unavailable.message;
  }
  return undefined;
}

export class LiveDiagnosticsRunner {
  private timer: NodeJS.Timeout | undefined;
  private running: AbortController | undefined;
  /** Settles when the latest run has published (tests and Refresh wait on it). */
  private lastRun: Promise<void> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs: number = UNREACHABLE_RETRY_MS.first;

  constructor(
    private readonly publisher: DiagnosticsPublisher,
    private readonly live: LiveContext,
    private readonly registry: RegistryContext,
    private readonly activity: RegistryActivity,
    private readonly log: Logger,
  ) {}

  schedule(delayMs = LIVE_DEBOUNCE_MS): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastRun = this.run();
    }, delayMs);
  }

  /** Runs now (cancelling a run in progress) and resolves once its results are published. */
  run(): Promise<void> {
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    this.lastRun = this.runOnce(controller).finally(() => {
      if (this.running === controller) this.running = undefined;
    });
    return this.lastRun;
  }

  private async runOnce(controller: AbortController): Promise<void> {
    try {
      const service = await this.live.live();
      const work = () => service.diagnosticsFor(undefined, { signal: controller.signal });
      const verdict = (results: Map<string, FluxDiagnostic[]>) => (controller.signal.aborted ? undefined : { failure: firstUnavailable(results) });
      const results = this.registry.isTrusted() ? await this.activity.track('Checking sources against their registries', work, verdict) : await work();
      if (controller.signal.aborted) return;
      const changed = this.publisher.replaceLive(results);
      if (changed.length) await this.publisher.publish(changed);
      this.scheduleQuietRetry(hasUnreachableHost(results));
    } catch (error) {
      if (controller.signal.aborted) return;
      this.log(`Live checks failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * While some host is unreachable, asks its sources again later (backing off), forgetting only their failed answers:
   * when the network is back the notes go away by themselves, with no log line and nothing for the user to do.
   */
  private scheduleQuietRetry(unreachable: boolean): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (!unreachable) {
      this.retryDelayMs = UNREACHABLE_RETRY_MS.first;
      return;
    }
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(UNREACHABLE_RETRY_MS.max, this.retryDelayMs * 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.live.forgetUnreachableHosts() > 0) void this.run();
    }, delay);
    this.retryTimer.unref?.();
  }

  dispose(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.timer) clearTimeout(this.timer);
    this.running?.abort();
  }
}
