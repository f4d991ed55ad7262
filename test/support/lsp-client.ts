// A small LSP client for tests: spawns the bundled language server over stdio, frames JSON-RPC with
// Content-Length, answers the server's own requests, and records any stdout byte that is not protocol.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface RpcMessage {
  jsonrpc: '2.0';
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

const projectRoot = resolve(__dirname, '..', '..');
let bundled: Promise<string> | undefined;

/**
 * Bundles server/src/main.ts with esbuild exactly as scripts/build.mjs does, into a private temp folder
 * (so parallel builds of dist/ by others do not race). FLUX_OCI_SERVER=path uses a given bundle instead.
 */
export function bundledServer(): Promise<string> {
  const given = process.env.FLUX_OCI_SERVER;
  if (given) return Promise.resolve(resolve(given));
  bundled ??= (async () => {
    const { build } = await import('esbuild');
    const outfile = join(mkdtempSync(join(tmpdir(), 'flux-oci-server-')), 'server.js');
    await build({
      entryPoints: [join(projectRoot, 'server/src/main.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'error',
    });
    return outfile;
  })();
  return bundled;
}

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

interface Waiter {
  method: string;
  predicate: (params: never) => boolean;
  resolve: (params: unknown) => void;
}

export class LspClient {
  /** Every server notification not yet consumed by waitForNotification. */
  readonly backlog: RpcMessage[] = [];
  /** Every server notification ever received, in order. */
  readonly allNotifications: RpcMessage[] = [];
  /** Bytes on stdout that were not a well-framed JSON-RPC message (must stay empty). */
  readonly strayOutput: string[] = [];
  stderr = '';
  /** The `fluxOci` section answered to workspace/configuration requests. */
  configuration: Record<string, unknown> = {};
  /** VS Code's `http` section (http.proxy, http.noProxy, http.proxyStrictSSL) answered to workspace/configuration. */
  httpConfiguration: Record<string, unknown> | null = null;
  /** Registrations the server asked for (client/registerCapability). */
  readonly registrations: Array<{ method: string; registerOptions?: unknown }> = [];

  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string }>();
  private readonly waiters: Waiter[] = [];
  private exited: Promise<number | null>;

  private constructor(readonly process: ChildProcessWithoutNullStreams) {
    process.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    process.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exited = new Promise((resolveExit) => process.on('exit', (code) => resolveExit(code)));
    process.on('exit', () => {
      for (const [, p] of this.pending) p.reject(new Error(`server exited before answering ${p.method}`));
      this.pending.clear();
    });
  }

  static async start(): Promise<LspClient> {
    return LspClient.startWith(['--stdio']);
  }

  /** Starts the bundled server with exactly these arguments (and environment), as another editor's configuration would. */
  static async startWith(args: string[], env?: NodeJS.ProcessEnv): Promise<LspClient> {
    const server = await bundledServer();
    const child = spawn(process.execPath, [server, ...args], { stdio: ['pipe', 'pipe', 'pipe'], cwd: projectRoot, ...(env ? { env } : {}) });
    return new LspClient(child);
  }

  /** initialize + initialized with a typical VS Code-like capability set. */
  async initialize(options: { rootPath?: string; initializationOptions?: unknown } = {}): Promise<Record<string, unknown>> {
    const folders = options.rootPath ? [{ uri: fileUri(options.rootPath), name: 'root' }] : null;
    const result = await this.request<Record<string, unknown>>('initialize', {
      processId: process.pid,
      clientInfo: { name: 'flux-oci-test-client' },
      rootUri: folders ? folders[0].uri : null,
      workspaceFolders: folders,
      initializationOptions: options.initializationOptions ?? { workspaceTrusted: false },
      capabilities: {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
        textDocument: {
          synchronization: { dynamicRegistration: false },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { snippetSupport: true } },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          publishDiagnostics: { versionSupport: true },
        },
      },
    });
    this.notify('initialized', {});
    return result;
  }

  request<R>(method: string, params: unknown, timeoutMs = 20_000): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolveRequest, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer to ${method} within ${timeoutMs} ms; server stderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      this.pending.set(id, {
        method,
        resolve: (value) => {
          clearTimeout(timer);
          resolveRequest(value as R);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Resolves with the params of the first (backlogged or future) notification matching method and predicate. */
  waitForNotification<P = unknown>(method: string, predicate: (params: P) => boolean = () => true, timeoutMs = 20_000): Promise<P> {
    const index = this.backlog.findIndex((m) => m.method === method && predicate(m.params as P));
    if (index >= 0) return Promise.resolve(this.backlog.splice(index, 1)[0].params as P);
    return new Promise<P>((resolveWait, reject) => {
      const waiter: Waiter = {
        method,
        predicate: predicate as (params: never) => boolean,
        resolve: (params) => {
          clearTimeout(timer);
          resolveWait(params as P);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no ${method} notification matched within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  openDocument(uri: string, text: string, version = 1): void {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
  }

  /** Waits for the diagnostics of `uri` (optionally of one document version). */
  diagnosticsFor(uri: string, version?: number): Promise<PublishedDiagnostics> {
    return this.waitForNotification<PublishedDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === uri && (version === undefined || p.version === version));
  }

  /** shutdown + exit; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.process.exitCode === null) {
      try {
        await this.request('shutdown', null, 5000);
        this.notify('exit', null);
      } catch {
        this.process.kill();
      }
    }
    const timer = setTimeout(() => this.process.kill(), 5000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  private send(message: RpcMessage): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.process.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.process.stdin.write(body);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) {
        const start = this.buffer.subarray(0, 15).toString('latin1');
        if (!'Content-Length:'.startsWith(start) && !start.startsWith('Content-')) {
          this.strayOutput.push(this.buffer.toString('utf8'));
          this.buffer = Buffer.alloc(0);
        }
        return;
      }
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const match = /^Content-Length: (\d+)$/im.exec(header);
      if (!match || !header.startsWith('Content-')) {
        this.strayOutput.push(this.buffer.subarray(0, headerEnd + 4).toString('utf8'));
        this.buffer = this.buffer.subarray(headerEnd + 4);
        continue;
      }
      const length = Number(match[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      let message: RpcMessage;
      try {
        message = JSON.parse(body) as RpcMessage;
      } catch {
        this.strayOutput.push(body);
        continue;
      }
      if (message.jsonrpc !== '2.0') this.strayOutput.push(body);
      this.dispatch(message);
    }
  }

  private dispatch(message: RpcMessage): void {
    if (message.method !== undefined && message.id !== undefined && message.id !== null) {
      this.send({ jsonrpc: '2.0', id: message.id, result: this.answerServerRequest(message.method, message.params) });
      return;
    }
    if (message.method !== undefined) {
      this.allNotifications.push(message);
      const waiter = this.waiters.find((w) => w.method === message.method && w.predicate(message.params as never));
      if (waiter) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(message.params);
      } else {
        this.backlog.push(message);
      }
      return;
    }
    const pending = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
    if (!pending) return;
    this.pending.delete(message.id as number);
    if (message.error) pending.reject(new RpcResponseError(pending.method, message.error.code, message.error.message));
    else pending.resolve(message.result);
  }

  private answerServerRequest(method: string, params: unknown): unknown {
    if (method === 'workspace/configuration') {
      const items = (params as { items?: Array<{ section?: string }> }).items ?? [];
      return items.map((item) => (item.section === 'fluxOci' ? this.configuration : item.section === 'http' ? this.httpConfiguration : null));
    }
    if (method === 'client/registerCapability') {
      for (const r of (params as { registrations?: Array<{ method: string; registerOptions?: unknown }> }).registrations ?? []) this.registrations.push(r);
    }
    return null;
  }
}

/** An error answer from the server: the JSON-RPC code and the message the client would show. */
export class RpcResponseError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly serverMessage: string,
  ) {
    super(`${method} failed: ${serverMessage}`);
  }
}

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: LspDiagnostic[];
}

export interface LspDiagnostic {
  severity?: number;
  code?: string | number;
  source?: string;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export function serverBundleExists(path: string): boolean {
  return existsSync(path);
}

/** Applies LSP text edits (non-overlapping, any order) to a text, as an editor would. */
export function applyTextEdits(text: string, edits: Array<{ range: LspDiagnostic['range']; newText: string }>): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) => (p.line >= lineStarts.length ? text.length : Math.min(lineStarts[p.line] + p.character, text.length));
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  return result;
}
