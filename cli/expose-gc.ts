// Gives the process a gc() just before a pull, so core/artifacts' buffer reclaimer can return zlib's dead buffers,
// without `node --expose-gc` on every start (a flag that costs start-up and that npm's Windows shims cannot pass).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Makes globalThis.gc available (a no-op when Node was started with --expose-gc). Returns whether it now is. */
export function exposeGc(): boolean {
  const global = globalThis as { gc?: unknown };
  if (typeof global.gc === 'function') return true;
  try {
    // A context created after the flag is set gets V8's gc extension; its gc() collects the whole isolate's heap.
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    if (typeof gc === 'function') global.gc = gc;
  } catch {
    // Some embedders refuse flag changes; pulls then simply wait for V8's own collections.
  }
  return typeof global.gc === 'function';
}
