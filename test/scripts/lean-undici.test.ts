// The bundles' lean undici entry (scripts/lean-undici.mjs): it hands out undici's own classes with the request API, and
// every value the sources import from 'undici' is among its exports (else a bundle would get undefined at run time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { runInThisContext } from 'node:vm';

const root = resolve(__dirname, '..', '..');

async function leanEntry(): Promise<{ LEAN_UNDICI_EXPORTS: string[]; LEAN_UNDICI_SOURCE: string }> {
  return (await import(join(root, 'scripts', 'lean-undici.mjs'))) as { LEAN_UNDICI_EXPORTS: string[]; LEAN_UNDICI_SOURCE: string };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.ts$/.test(entry.name) ? [path] : [];
  });
}

test('every value the shipped sources import from undici is an export of the lean entry', async () => {
  const { LEAN_UNDICI_EXPORTS } = await leanEntry();
  const imported = new Set<string>();
  for (const file of ['core', 'server', 'cli', 'client'].flatMap((d) => sourceFiles(join(root, d)))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'undici'/g)) {
      if (match[1]) continue; // a type-only import leaves nothing in the bundle
      for (const name of match[2]!.split(',').map((n) => n.trim())) if (name && !name.startsWith('type ')) imported.add(name.split(/\s+as\s+/)[0]!);
    }
    assert.doesNotMatch(readFileSync(file, 'utf8'), /import\s+\*\s+as\s+\w+\s+from\s+'undici'|require\('undici'\)/, `${file} takes all of undici`);
  }
  assert.ok(imported.has('Agent') && imported.has('ProxyAgent'), [...imported].join(', '));
  for (const name of imported) assert.ok(LEAN_UNDICI_EXPORTS.includes(name), `${name} is imported from undici but not in the lean entry`);
});

test('the lean entry hands out undici’s own classes, with the request API on every dispatcher', async () => {
  const { LEAN_UNDICI_EXPORTS, LEAN_UNDICI_SOURCE } = await leanEntry();
  const requireFromRoot = createRequire(join(root, 'package.json'));
  const module = { exports: {} as Record<string, unknown> };
  (runInThisContext(`(function (require, module, exports) {${LEAN_UNDICI_SOURCE}\n})`) as (r: NodeRequire, m: typeof module, e: unknown) => void)(requireFromRoot, module, module.exports);
  const full = requireFromRoot('undici') as Record<string, unknown>;
  assert.deepEqual(Object.keys(module.exports).sort(), [...LEAN_UNDICI_EXPORTS].sort());
  for (const name of LEAN_UNDICI_EXPORTS) assert.equal(module.exports[name], full[name], `${name} is undici's own`);
  const agent = new (module.exports.Agent as new () => { request: unknown; close(): Promise<void> })();
  assert.equal(typeof agent.request, 'function');
  await agent.close();
});
