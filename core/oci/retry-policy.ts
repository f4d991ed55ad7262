// When and how long to wait before retrying a registry request: retryable statuses, Retry-After, exponential backoff, budgets.
// Pure functions; the transport does the waiting.

export const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** Retry-After as milliseconds from `now` (seconds or an HTTP date); undefined when absent or unparsable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with a little jitter: 250 ms, 500 ms, 1 s, … capped at 5 s. */
export function backoffMs(attempt: number, random = Math.random): number {
  return Math.min(5000, 250 * 2 ** attempt) + Math.floor(random() * 100);
}
