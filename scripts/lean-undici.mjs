// Points the bundles' `import … from 'undici'` at the part of undici they use (Agent, ProxyAgent, Dispatcher with its
// request API) instead of its index, which also loads fetch, WebSocket, caches, cookies and mocks: ~45% of the CLI's start-up.
import { resolve } from 'node:path';

/** What the lean entry exports; test/scripts/lean-undici.test.ts checks every value the sources import from 'undici' is here. */
export const LEAN_UNDICI_EXPORTS = ['Agent', 'ProxyAgent', 'Dispatcher'];

// The same files undici's own index.js requires (so the classes are undici's own), and the same request API mix-in it applies.
export const LEAN_UNDICI_SOURCE = `'use strict';
const Dispatcher = require('undici/lib/dispatcher/dispatcher');
Object.assign(Dispatcher.prototype, require('undici/lib/api'));
module.exports = { Dispatcher, Agent: require('undici/lib/dispatcher/agent'), ProxyAgent: require('undici/lib/dispatcher/proxy-agent') };
`;

/** The esbuild plugin; `root` is where node_modules/undici is found. */
export function leanUndici(root = process.cwd()) {
  return {
    name: 'lean-undici',
    setup(b) {
      b.onResolve({ filter: /^undici$/ }, () => ({ path: 'undici', namespace: 'lean-undici' }));
      b.onLoad({ filter: /.*/, namespace: 'lean-undici' }, () => ({ contents: LEAN_UNDICI_SOURCE, loader: 'js', resolveDir: resolve(root) }));
    },
  };
}
