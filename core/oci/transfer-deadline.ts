// One deadline for a whole download (headers, redirects, body, resumes) plus a minimum transfer rate, so a registry that
// trickles bytes ends within the user's timeout or as soon as it is clearly stalled; the error says which limit was hit.
import { RegistryError } from './errors';

/** A download slower than this over a whole window is given up (1 KiB/s over 20 s: a stall, not a slow link). */
export interface MinimumRate {
  bytesPerSecond: number;
  windowMs: number;
}

export const DEFAULT_MINIMUM_RATE: MinimumRate = { bytesPerSecond: 1024, windowMs: 20_000 };

/** Ten minutes: generous for a large chart or artifact over a slow link, yet a stuck download ends. */
export const DEFAULT_BLOB_DEADLINE_MS = 10 * 60_000;

export interface DeadlineOptions {
  deadlineMs: number;
  /** What set the deadline, for the message: "spec.timeout", "the registry timeout". */
  deadlineLabel?: string;
  /** Undefined: DEFAULT_MINIMUM_RATE; `false`: no rate check. */
  minimumRate?: MinimumRate | false;
}

export interface TransferDeadline {
  /** Fires at the deadline, when the rate falls below the minimum, or when the caller's own signal does. */
  signal: AbortSignal;
  expired(): boolean;
  /** Reports the bytes received so far (monotonic), for the rate check. */
  progress(bytes: number): void;
  /** Stops the timers; call once the download has ended either way. */
  clear(): void;
  /** The timeout error for the limit that was hit, saying how many bytes had arrived. */
  timedOut(bytes: number): RegistryError;
}

function describeDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 60_000)} min`;
}

function describeRate(bytesPerSecond: number): string {
  return bytesPerSecond >= 1024 ? `${Math.round(bytesPerSecond / 102.4) / 10} KiB/s` : `${bytesPerSecond} B/s`;
}

export function startTransferDeadline(options: DeadlineOptions, outer: AbortSignal | undefined, subject: string): TransferDeadline {
  const controller = new AbortController();
  let hit: 'deadline' | 'rate' | undefined;
  const stop = (why: 'deadline' | 'rate') => {
    if (hit || controller.signal.aborted) return;
    hit = why;
    controller.abort(new RegistryError('timeout', why));
  };
  const timer = setTimeout(() => stop('deadline'), options.deadlineMs);
  timer.unref?.();
  const rate = options.minimumRate === false ? undefined : (options.minimumRate ?? DEFAULT_MINIMUM_RATE);
  let bytes = 0;
  let atWindowStart = 0;
  const rateTimer =
    rate && rate.windowMs < options.deadlineMs
      ? setInterval(() => {
          if (bytes - atWindowStart < (rate.bytesPerSecond * rate.windowMs) / 1000) stop('rate');
          atWindowStart = bytes;
        }, rate.windowMs)
      : undefined;
  rateTimer?.unref?.();
  const onOuterAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onOuterAbort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  return {
    signal: controller.signal,
    expired: () => hit !== undefined,
    progress: (n) => {
      bytes = n;
    },
    clear: () => {
      clearTimeout(timer);
      if (rateTimer) clearInterval(rateTimer);
      outer?.removeEventListener('abort', onOuterAbort);
    },
    timedOut: (received) =>
      hit === 'rate' && rate
        ? new RegistryError(
            'timeout',
            `The download of ${subject} was slower than the minimum ${describeRate(rate.bytesPerSecond)} over ${describeDuration(rate.windowMs)} (${received} bytes received); the registry is stalled or trickling.`,
          )
        : new RegistryError(
            'timeout',
            `The download of ${subject} did not finish within ${describeDuration(options.deadlineMs)}${options.deadlineLabel ? ` (${options.deadlineLabel})` : ''} (${received} bytes received); the registry is too slow or stalled.`,
          ),
  };
}
