// The README's Neovim, Helix and Emacs configurations (editors/*), as those editors would run them: each file is parsed
// for its command, arguments, initialization options and settings, and the real server is started with exactly those
// over stdio against a real registry. Live hovers must work with each, and stay off for a plain `--stdio` start.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseLua, type Expression } from 'luaparse';
import { parse as parseToml } from 'smol-toml';
import { fileUri, LspClient } from '../support/lsp-client';
import { startRegistry, type Registry } from '../support/registry';
import { pushHelmChart } from '../support/registry-push';
import { podinfoRepository } from '../server/live-server';

const root = resolve(__dirname, '..', '..');
const SERVER_BIN = 'flux-oci-language-server';

/** What an editor configuration hands the server: how it starts it and what it sends. */
interface EditorLaunch {
  command: string;
  args: string[];
  initializationOptions?: unknown;
  /** The `fluxOci` section answered to workspace/configuration. */
  settings?: unknown;
}

// ───────────── Neovim: vim.lsp.config('flux_oci', { … }) in Lua ─────────────

function luaValue(node: Expression): unknown {
  switch (node.type) {
    case 'StringLiteral':
      return node.raw.slice(1, -1);
    case 'NumericLiteral':
    case 'BooleanLiteral':
      return node.value;
    case 'NilLiteral':
      return null;
    case 'TableConstructorExpression': {
      if (node.fields.every((f) => f.type === 'TableValue')) return node.fields.map((f) => luaValue(f.value));
      const table: Record<string, unknown> = {};
      for (const field of node.fields) {
        assert.equal(field.type, 'TableKeyString', 'only name = value fields in the config table');
        if (field.type === 'TableKeyString') table[field.key.name] = luaValue(field.value);
      }
      return table;
    }
    default:
      throw new Error(`unexpected Lua ${node.type} in the config table`);
  }
}

function neovimLaunch(): EditorLaunch {
  const chunk = parseLua(readFileSync(join(root, 'editors/neovim/flux-oci.lua'), 'utf8'));
  let config: Record<string, unknown> | undefined;
  let enabled: string | undefined;
  for (const statement of chunk.body) {
    if (statement.type !== 'CallStatement' || statement.expression.type !== 'CallExpression') continue;
    const call = statement.expression;
    const callee =
      call.base.type === 'MemberExpression' && call.base.base.type === 'MemberExpression' && call.base.base.base.type === 'Identifier'
        ? `${call.base.base.base.name}.${call.base.base.identifier.name}.${call.base.identifier.name}`
        : '';
    const [name, table] = call.arguments;
    if (callee === 'vim.lsp.config') {
      assert.equal(luaValue(name!), 'flux_oci');
      config = luaValue(table!) as Record<string, unknown>;
    }
    if (callee === 'vim.lsp.enable') enabled = luaValue(name!) as string;
  }
  assert.ok(config, 'vim.lsp.config(…) call');
  assert.equal(enabled, 'flux_oci', 'vim.lsp.enable(…) for the same name');
  assert.deepEqual(config.filetypes, ['yaml']);
  const [command, ...args] = config.cmd as string[];
  return { command: command!, args, initializationOptions: config.init_options, settings: (config.settings as { fluxOci?: unknown } | undefined)?.fluxOci };
}

// ───────────── Helix: languages.toml ─────────────

function helixLaunch(): EditorLaunch {
  const toml = parseToml(readFileSync(join(root, 'editors/helix/languages.toml'), 'utf8')) as {
    'language-server': Record<string, { command: string; args?: string[]; config?: { fluxOci?: unknown } }>;
    language: Array<{ name: string; 'language-servers': string[] }>;
  };
  const server = toml['language-server']['flux-oci'];
  assert.ok(server, '[language-server.flux-oci]');
  assert.ok(toml.language.find((l) => l.name === 'yaml')?.['language-servers'].includes('flux-oci'), 'yaml uses flux-oci');
  // Helix sends `config` as initializationOptions and answers workspace/configuration sections from inside it.
  return { command: server.command, args: server.args ?? [], initializationOptions: server.config, settings: server.config?.fluxOci };
}

// ───────────── Emacs: eglot-server-programs in Emacs Lisp ─────────────

type Sexp = string | number | { symbol: string } | Sexp[];

/** Reads the Emacs Lisp subset the snippet uses: lists, dotted pairs, strings, numbers, symbols, ' and #'. */
function readElisp(text: string): Sexp[] {
  let i = 0;
  const skip = () => {
    for (;;) {
      while (i < text.length && /\s/.test(text[i]!)) i++;
      if (text[i] !== ';') return;
      while (i < text.length && text[i] !== '\n') i++;
    }
  };
  const read = (): Sexp => {
    skip();
    const c = text[i];
    if (c === '(') {
      i++;
      const list: Sexp[] = [];
      for (skip(); text[i] !== ')'; skip()) {
        assert.ok(i < text.length, 'unbalanced parentheses');
        list.push(read());
      }
      i++;
      return list;
    }
    if (c === "'" || (c === '#' && text[i + 1] === "'")) {
      i += c === '#' ? 2 : 1;
      return [{ symbol: 'quote' }, read()];
    }
    if (c === '"') {
      let value = '';
      for (i++; text[i] !== '"'; i++) value += text[i] === '\\' ? text[++i] : text[i];
      i++;
      return value;
    }
    const start = i;
    while (i < text.length && !/[\s()"';]/.test(text[i]!)) i++;
    const atom = text.slice(start, i);
    return /^-?\d+(\.\d+)?$/.test(atom) ? Number(atom) : { symbol: atom };
  };
  const forms: Sexp[] = [];
  for (skip(); i < text.length; skip()) forms.push(read());
  return forms;
}

const isSymbol = (x: Sexp | undefined, name?: string): x is { symbol: string } => typeof x === 'object' && x !== null && !Array.isArray(x) && (name === undefined || x.symbol === name);
const unquote = (x: Sexp): Sexp => (Array.isArray(x) && isSymbol(x[0], 'quote') ? x[1]! : x);

/** eglot's JSON mapping: plists become objects, t true, :json-false false, nil null. */
function elispJson(x: Sexp): unknown {
  if (typeof x === 'string' || typeof x === 'number') return x;
  if (isSymbol(x)) return x.symbol === 't' ? true : x.symbol === ':json-false' ? false : x.symbol === 'nil' ? null : x.symbol;
  if (x.length > 0 && isSymbol(x[0]) && x[0].symbol.startsWith(':')) {
    const object: Record<string, unknown> = {};
    for (let k = 0; k < x.length; k += 2) object[(x[k] as { symbol: string }).symbol.slice(1)] = elispJson(x[k + 1]!);
    return object;
  }
  return x.map(elispJson);
}

function findCall(forms: Sexp[], head: string, first?: string): Sexp[] | undefined {
  for (const form of forms) {
    if (!Array.isArray(form)) continue;
    if (isSymbol(form[0], head) && (first === undefined || isSymbol(unquote(form[1]!), first))) return form;
    const inner = findCall(form, head, first);
    if (inner) return inner;
  }
  return undefined;
}

function emacsLaunch(): EditorLaunch {
  const forms = readElisp(readFileSync(join(root, 'editors/emacs/flux-oci.el'), 'utf8'));
  const entry = findCall(forms, 'add-to-list', 'eglot-server-programs');
  assert.ok(entry, "(add-to-list 'eglot-server-programs …)");
  // '((yaml-mode yaml-ts-mode) . ("program" "arg"… :initializationOptions PLIST))
  const pair = unquote(entry[2]!) as Sexp[];
  assert.ok(isSymbol(pair[1], '.'), 'a (MODES . CONTACT) pair');
  assert.ok((pair[0] as Sexp[]).some((m) => isSymbol(m, 'yaml-mode')));
  const contact = pair[2] as Sexp[];
  const keyword = contact.findIndex((x) => isSymbol(x) && x.symbol.startsWith(':'));
  const [command, ...args] = (keyword < 0 ? contact : contact.slice(0, keyword)) as string[];
  const initializationOptions = keyword < 0 ? undefined : elispJson(contact[keyword + 1]!);
  const configuration = findCall(forms, 'setq-default');
  assert.ok(configuration && isSymbol(configuration[1], 'eglot-workspace-configuration'));
  const settings = (elispJson(unquote(configuration[2]!)) as { fluxOci?: unknown }).fluxOci;
  return { command: command!, args, initializationOptions, settings };
}

// ───────────── The server, started as each editor starts it ─────────────

describe('editor configurations (editors/*) over stdio', () => {
  let registry: Registry;
  let scratch: string;
  let workspace: string;
  let documentText: string;

  before(async () => {
    registry = await startRegistry();
    await pushHelmChart(registry, 'charts/podinfo', { name: 'podinfo', version: '6.7.1' });
    await pushHelmChart(registry, 'charts/podinfo', { name: 'podinfo', version: '6.8.0' });
    scratch = mkdtempSync(join(tmpdir(), 'flux-oci-editors-'));
    workspace = join(scratch, 'workspace');
    mkdirSync(workspace);
    documentText = podinfoRepository(registry.host, 'podinfo', 'semver: ">=6.0.0"');
    writeFileSync(join(workspace, 'podinfo.yaml'), documentText);
  });

  after(async () => {
    await registry?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** Starts the server as `launch` says, opens the OCIRepository and hovers its semver range. */
  async function hoverWith(launch: EditorLaunch, name: string): Promise<string> {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.equal(launch.command, SERVER_BIN, `${name} starts the installed binary`);
    assert.equal(pkg.bin[launch.command], './dist/server.js', `${SERVER_BIN} is a bin of the package`);
    // The binary is the bundled server; the arguments are exactly the configuration's. Caches and docker config go to
    // scratch folders, never the user's.
    const home = mkdtempSync(join(scratch, `${name}-home-`));
    const client = await LspClient.startWith(launch.args, { ...process.env, HOME: home, XDG_CACHE_HOME: join(home, '.cache'), DOCKER_CONFIG: join(home, '.docker') });
    try {
      client.configuration = (launch.settings ?? {}) as Record<string, unknown>;
      const init = await client.initialize({ rootPath: workspace, initializationOptions: launch.initializationOptions ?? null });
      assert.equal((init.serverInfo as { name: string }).name, SERVER_BIN);
      await client.waitForNotification('fluxOci/workspaceScanned');
      const uri = fileUri(join(workspace, 'podinfo.yaml'));
      client.openDocument(uri, documentText);
      await client.diagnosticsFor(uri);
      const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: { line: 9, character: 14 } });
      assert.ok(hover, `${name}: a hover`);
      assert.deepEqual(client.strayOutput, [], 'nothing but the protocol on stdout');
      return hover.contents.value;
    } finally {
      await client.stop();
    }
  }

  const launches: Array<[string, () => EditorLaunch]> = [
    ['neovim', neovimLaunch],
    ['helix', helixLaunch],
    ['emacs', emacsLaunch],
  ];
  for (const [name, launch] of launches) {
    it(`${name}: live hovers are on with the README's configuration`, async () => {
      const value = await hoverWith(launch(), name);
      assert.match(value, /Flux pulls tag `6\.8\.0`/, value);
    });
  }

  it('the README quotes each configuration file verbatim', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const file of ['editors/neovim/flux-oci.lua', 'editors/helix/languages.toml', 'editors/emacs/flux-oci.el']) {
      assert.ok(readme.includes(readFileSync(join(root, file), 'utf8').trim()), `README quotes ${file}`);
    }
  });

  it('each configuration turns trust on one documented way, and settings reach the server', () => {
    const all = launches.map(([, launch]) => launch());
    for (const l of all) assert.ok(l.args.includes('--stdio'));
    assert.ok(
      all.some((l) => l.args.includes('--trusted')),
      'the --trusted flag is shown',
    );
    assert.ok(
      all.some((l) => (l.initializationOptions as { workspaceTrusted?: unknown } | undefined)?.workspaceTrusted === true),
      'the initialization option is shown',
    );
    for (const l of all) assert.equal((l.settings as { registry?: { timeoutSeconds?: unknown } }).registry?.timeoutSeconds, 15);
  });

  it('without the trust setting the same server stays offline and says why', async () => {
    const value = await hoverWith({ command: SERVER_BIN, args: ['--stdio'] }, 'plain');
    assert.doesNotMatch(value, /Flux pulls tag/);
    assert.match(value, /not trusted/);
  });
});
