// Runs async work over a list with at most N calls in flight, stopping when a signal aborts; failures stay inside `work`.
// Generic helper for the server's workspace-wide requests; knows nothing about registries.

export async function mapBoundedSettled<T>(items: readonly T[], limit: number, signal: AbortSignal | undefined, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
