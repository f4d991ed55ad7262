// Tracks registry calls in flight and tells the client (`fluxOci/registryActivity`) for its status bar entry.
// Must not log or forward anything but labels and one-sentence error messages (never credentials).
import type { Connection } from 'vscode-languageserver/node';
import { RegistryActivityNotification, type RegistryActivityParams } from '../../shared/protocol';

/** A call that was cancelled or superseded (an AbortError, "cancelled") is not a registry failure. */
function isCancellation(error: unknown, message: string): boolean {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  return name === 'AbortError' || code === 'ABORT_ERR' || /\bcancel|^this operation was aborted/i.test(message);
}

export class RegistryActivity {
  private busy = 0;
  private label: string | undefined;
  private lastError: string | undefined;
  /** Counts recorded failures, so a verdict from a run that started before a newer failure does not erase it. */
  private failures = 0;
  private network: string | undefined;

  constructor(private readonly connection: Pick<Connection, 'sendNotification'> | undefined) {}

  /**
   * Runs `work`, announcing it while it runs. A throw is remembered as the last failure. A success changes it only through
   * `summary`: a run over every source (the live checks) gives its verdict `{ failure }` — which registry, if any, is still
   * unusable — or none (a run cut short). A single lookup or pull that works says nothing about the other registries, so
   * it leaves an earlier warning in place.
   */
  async track<T>(label: string, work: () => Promise<T>, summary?: (result: T) => { failure: string | undefined } | undefined): Promise<T> {
    this.busy++;
    this.label = label;
    this.send();
    const failuresAtStart = this.failures;
    try {
      const result = await work();
      const verdict = summary?.(result);
      if (verdict && this.failures === failuresAtStart) this.lastError = verdict.failure;
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!isCancellation(error, message)) this.recordFailure(message);
      throw error;
    } finally {
      this.busy--;
      if (this.busy === 0) this.label = undefined;
      this.send();
    }
  }

  /** How registries are reached (proxy, CA bundle), shown in the status bar tooltip. */
  setNetwork(line: string): void {
    this.network = line;
    this.send();
  }

  /** Records a failure reported as a value (not thrown), e.g. a pull problem. */
  reportFailure(message: string): void {
    this.recordFailure(message);
    this.send();
  }

  private recordFailure(message: string): void {
    this.lastError = message;
    this.failures++;
  }

  private send(): void {
    const params: RegistryActivityParams = {
      busy: this.busy,
      ...(this.label ? { label: this.label } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.network ? { network: this.network } : {}),
    };
    void this.connection?.sendNotification(RegistryActivityNotification, params)?.catch?.(() => undefined);
  }
}
