// ESLint (flat config, typescript-eslint): rules the code meets as it is, plus the direction of imports between the
// layers (shared ← core ← server/cli; client ← shared only), which is enforced here rather than hoped for.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Relative imports that climb out of the importing folder into one of the named top-level folders, bar the exceptions. */
const into = (folders, exceptions = []) => `^(\\.\\./)+${exceptions.length ? `(?!(${exceptions.join('|')})$)` : ''}(${folders.join('|')})(/|$)`;

const LSP_AND_EDITOR_PACKAGES = [
  'vscode',
  'vscode-languageserver',
  'vscode-languageserver/*',
  'vscode-languageserver-*',
  'vscode-languageclient',
  'vscode-languageclient/*',
  'vscode-jsonrpc',
  'vscode-jsonrpc/*',
];

/** no-restricted-imports for one layer: packages it may not use, and folders it may not reach into. */
function layer(files, { packages, folders, exceptions, message }) {
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: packages, message },
            { regex: into(folders, exceptions), message },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'out/**', 'test-output/**', '.cache/**', 'core/manifests/generated/**', 'examples/**', '**/*.vsix'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      // Node's globals, for the plain .mjs scripts (TypeScript files are checked by tsc, and typescript-eslint turns no-undef off there).
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'Buffer',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'setImmediate',
          'URL',
          'URLSearchParams',
          'performance',
          'fetch',
          'AbortController',
          'AbortSignal',
          'TextEncoder',
          'TextDecoder',
          'structuredClone',
          'globalThis',
        ].map((name) => [name, 'readonly']),
      ),
    },
    rules: {
      // The code's own style: `import type` / inline `type` for type-only imports (esbuild drops them, cycles stay harmless).
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // `_`-prefixed names document a deliberately unused parameter or binding.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Tests and adapters sometimes need `any` for protocol payloads; core may not (below).
      '@typescript-eslint/no-explicit-any': 'off',
      // `catch {}` that deliberately ignores (best-effort clean-up, optional features) is written with a comment.
      'no-empty': ['error', { allowEmptyCatch: true }],
      // Sanitising untrusted names and terminal output means matching control characters on purpose.
      'no-control-regex': 'off',
      // An initial value a loop or try always overwrites is harmless and keeps definite-assignment analysis simple.
      'no-useless-assignment': 'off',
    },
  },
  // The core is pure: no `any`, no editor or LSP packages, nothing from the adapters above it.
  {
    files: ['core/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  layer(['shared/**/*.ts'], {
    packages: LSP_AND_EDITOR_PACKAGES,
    folders: ['core', 'server', 'client', 'cli'],
    message: 'shared/ holds the plain types and pure helpers every layer may import (the protocol, the redaction): it imports none of them.',
  }),
  layer(['core/**/*.ts'], {
    packages: LSP_AND_EDITOR_PACKAGES,
    folders: ['server', 'client', 'cli'],
    message: 'core/ is the pure engine: it imports neither vscode nor LSP packages nor server/, client/ or cli/.',
  }),
  layer(['server/src/**/*.ts'], {
    packages: ['vscode', 'vscode-languageclient', 'vscode-languageclient/*'],
    folders: ['client', 'cli'],
    message: 'server/ is the LSP adapter over core/: no VS Code API, nothing from client/ or cli/.',
  }),
  layer(['cli/**/*.ts'], {
    packages: LSP_AND_EDITOR_PACKAGES,
    folders: ['client', 'server'],
    message: 'cli/ sits on core/ (and shared/): no vscode or LSP packages, nothing from client/ or server/.',
  }),
  layer(['client/src/**/*.ts'], {
    packages: ['vscode-languageserver', 'vscode-languageserver/*'],
    // The client talks to the server only through the shared protocol types; its output channel uses the one
    // credential redaction (shared/redaction.ts), so what it logs is hidden by the same rules as the server's.
    folders: ['cli', 'core', 'server'],
    message: 'client/ is UI only: it reaches the engine through the language server (shared/protocol.ts), never core/, server/ or cli/ directly.',
  }),
  // Type-aware promise rules on the shipped sources (not the tests: node:test's describe/it return promises on purpose).
  // Costs ~5 s of CPU on top of the plain rules (measured on the 2-core machine: 14.5 s vs 9.3 s user for `eslint .`).
  {
    files: ['shared/**/*.ts', 'core/**/*.ts', 'server/src/**/*.ts', 'client/src/**/*.ts', 'cli/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // LSP and VS Code handlers are passed async functions wrapped in guarded(), which never rejects.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
    },
  },
  // Plain JavaScript scripts (build, test runner, bench runner) run on Node without type information.
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
