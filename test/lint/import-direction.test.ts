// The layering rules of eslint.config.mjs: shared/ imports no layer; core imports neither editor/LSP packages nor the
// adapters; server has no VS Code API; cli sits on core; the client reaches only shared/. Lints snippets as if at those paths.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';

const root = resolve(__dirname, '..', '..');
// The type-aware rules need files on disk; the import rules do not, so the snippets are linted without type information.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
  },
});

async function restricted(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const used = x;\n`, { filePath: join(root, path) });
  assert.ok(result, path);
  const fatal = result.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], `${path} parses`);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const blocked = async (path: string, specifier: string, why: RegExp) => {
  const messages = await restricted(path, `import { x } from '${specifier}';`);
  assert.equal(messages.length, 1, `${path} importing ${specifier} must be refused`);
  assert.match(messages[0]!, why);
};
const allowed = async (path: string, specifier: string) => assert.deepEqual(await restricted(path, `import { x } from '${specifier}';`), [], `${path} may import ${specifier}`);

describe('import direction (eslint no-restricted-imports)', () => {
  it('keeps core pure: no vscode, no LSP packages, nothing from server/, client/ or cli/', async () => {
    for (const specifier of ['vscode', 'vscode-languageserver/node', 'vscode-languageserver-textdocument', 'vscode-languageclient/node', 'vscode-jsonrpc']) {
      await blocked('core/oci/example.ts', specifier, /core\/ is the pure engine/);
    }
    await blocked('core/oci/example.ts', '../../server/src/settings', /core\//);
    await allowed('core/oci/example.ts', '../../shared/redaction');
    await blocked('core/example.ts', '../cli/main', /core\//);
    await blocked('core/artifacts/cache/example.ts', '../../../client/src/extension', /core\//);
    await allowed('core/oci/example.ts', '../versions/sort-tags');
    await allowed('core/oci/example.ts', './registry-client');
    await allowed('core/oci/example.ts', 'undici');
  });

  it('gives the server no VS Code API and nothing from client/ or cli/', async () => {
    await blocked('server/src/example.ts', 'vscode', /server\//);
    await blocked('server/src/example.ts', '../../client/src/extension', /server\//);
    await blocked('server/src/example.ts', '../../cli/main', /server\//);
    await allowed('server/src/example.ts', 'vscode-languageserver/node');
    await allowed('server/src/example.ts', '../../core/oci/reference');
  });

  it('lets cli/ use core and shared only: nothing from server/, no exceptions', async () => {
    await blocked('cli/commands/example.ts', 'vscode-languageserver/node', /cli\//);
    await blocked('cli/commands/example.ts', '../../server/src/workspace-state', /cli\//);
    await blocked('cli/commands/example.ts', '../../client/src/extension', /cli\//);
    await allowed('cli/commands/example.ts', '../../core/workspace/yaml-file-walker');
    await allowed('cli/commands/example.ts', '../../core/workspace/workspace-index');
  });

  it('lets the client reach the engine only through shared/ (the protocol and the redaction), no exceptions', async () => {
    await blocked('client/src/example.ts', '../../core/oci/reference', /client\//);
    await blocked('client/src/example.ts', '../../core/oci/registry-client', /client\//);
    await blocked('client/src/example.ts', '../../server/src/settings', /client\//);
    await blocked('client/src/example.ts', '../../cli/main', /client\//);
    await blocked('client/src/example.ts', 'vscode-languageserver/node', /client\//);
    await allowed('client/src/example.ts', '../../shared/protocol');
    await allowed('client/src/example.ts', '../../shared/redaction');
    await allowed('client/src/example.ts', 'vscode-languageclient/node');
  });

  it('keeps shared/ below every layer: no layer folder, no editor or LSP package', async () => {
    await blocked('shared/example.ts', '../core/oci/errors', /shared\//);
    await blocked('shared/example.ts', '../server/src/settings', /shared\//);
    await blocked('shared/example.ts', 'vscode-languageserver/node', /shared\//);
    await allowed('shared/example.ts', './redaction');
  });
});
