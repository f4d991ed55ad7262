// A read-only FileSystemProvider on scheme `flux-oci`: `flux-oci:/<registry>/<repo>@<digest>/<path>` shows a pulled
// artifact's files (read from the server, never from its cache), its SUMMARY.md, and virtual pages such as compare reports.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PullArtifactRequest, ReadArtifactFileRequest, type PullArtifactResult, type ReadArtifactFileResult } from '../../shared/protocol';

export const ARTIFACT_SCHEME = 'flux-oci';
const VIRTUAL_PREFIX = '/~/';
const ID_PATH = /^\/([^@]+@sha(?:256|512):[a-f0-9]+)(?:\/(.*))?$/;

export interface PulledView {
  result: PullArtifactResult;
  /** Root-relative path of the generated summary page. */
  summaryPath: string;
}

type Located = { kind: 'artifact'; id: string; path: string } | { kind: 'virtual'; path: string };

function fileStat(type: vscode.FileType, size: number): vscode.FileStat {
  return { type, ctime: 0, mtime: 0, size, permissions: vscode.FilePermission.Readonly };
}

export class ArtifactFileSystem implements vscode.FileSystemProvider {
  private readonly artifacts = new Map<string, PulledView>();
  private readonly virtualFiles = new Map<string, Uint8Array>();
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;

  constructor(private readonly client: () => LanguageClient | undefined) {}

  dispose(): void {
    this.changes.dispose();
  }

  /** Records a pull result; returns its view (summary page name chosen so it never hides a real file). */
  add(result: PullArtifactResult): PulledView {
    const taken = new Set(result.files.map((f) => f.path));
    const summaryPath = taken.has('SUMMARY.md') ? 'SUMMARY (Flux OCI).md' : 'SUMMARY.md';
    const view = { result, summaryPath };
    this.artifacts.set(result.id, view);
    return view;
  }

  recent(): PulledView[] {
    return [...this.artifacts.values()].reverse();
  }

  view(id: string): PulledView | undefined {
    return this.artifacts.get(id);
  }

  uriOf(id: string, path: string): vscode.Uri {
    return vscode.Uri.from({ scheme: ARTIFACT_SCHEME, path: `/${id}/${path}` });
  }

  /** Publishes a generated page (e.g. a compare report) under `flux-oci:/~/<path>`. */
  putVirtual(path: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: ARTIFACT_SCHEME, path: `${VIRTUAL_PREFIX}${path}` });
    this.virtualFiles.set(uri.path, new TextEncoder().encode(text));
    this.changes.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    return uri;
  }

  /** An empty stand-in for a file that one side of a comparison does not have. */
  emptyFile(name: string): vscode.Uri {
    return this.putVirtual(`empty/${name}`, '');
  }

  /** The artifact id and file path of a `flux-oci:` URI, when it names an artifact. */
  locate(uri: vscode.Uri): Located | undefined {
    if (uri.path.startsWith(VIRTUAL_PREFIX)) return { kind: 'virtual', path: uri.path };
    const match = ID_PATH.exec(uri.path);
    return match ? { kind: 'artifact', id: match[1]!, path: (match[2] ?? '').replace(/\/+$/, '') } : undefined;
  }

  private async ensure(id: string): Promise<PulledView> {
    const known = this.artifacts.get(id);
    if (known) return known;
    const client = this.client();
    if (!client) throw vscode.FileSystemError.Unavailable('The Flux OCI language server is not running.');
    // After a window reload the server pulls it again by digest (from its cache when present).
    const result = await client.sendRequest<PullArtifactResult>(PullArtifactRequest, { reference: `oci://${id}` });
    return this.add(result);
  }

  private childrenOf(view: PulledView, dir: string): Map<string, vscode.FileType> {
    const prefix = dir === '' ? '' : `${dir}/`;
    const out = new Map<string, vscode.FileType>();
    for (const file of view.result.files) {
      if (!file.path.startsWith(prefix)) continue;
      const rest = file.path.slice(prefix.length);
      const slash = rest.indexOf('/');
      out.set(slash < 0 ? rest : rest.slice(0, slash), slash < 0 ? vscode.FileType.File : vscode.FileType.Directory);
    }
    if (dir === '') out.set(view.summaryPath, vscode.FileType.File);
    return out;
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const where = this.locate(uri);
    if (!where) throw vscode.FileSystemError.FileNotFound(uri);
    if (where.kind === 'virtual') {
      const bytes = this.virtualFiles.get(where.path);
      if (!bytes) throw vscode.FileSystemError.FileNotFound(uri);
      return fileStat(vscode.FileType.File, bytes.length);
    }
    const view = await this.ensure(where.id);
    if (where.path === '') return fileStat(vscode.FileType.Directory, 0);
    if (where.path === view.summaryPath) return fileStat(vscode.FileType.File, view.result.summaryMarkdown.length);
    const file = view.result.files.find((f) => f.path === where.path);
    if (file) return fileStat(vscode.FileType.File, file.size);
    if (view.result.files.some((f) => f.path.startsWith(`${where.path}/`))) return fileStat(vscode.FileType.Directory, 0);
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  async readDirectory(uri: vscode.Uri): Promise<Array<[string, vscode.FileType]>> {
    const where = this.locate(uri);
    if (!where || where.kind !== 'artifact') throw vscode.FileSystemError.FileNotFound(uri);
    return [...this.childrenOf(await this.ensure(where.id), where.path)];
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const where = this.locate(uri);
    if (!where) throw vscode.FileSystemError.FileNotFound(uri);
    if (where.kind === 'virtual') {
      const bytes = this.virtualFiles.get(where.path);
      if (!bytes) throw vscode.FileSystemError.FileNotFound(uri);
      return bytes;
    }
    const view = await this.ensure(where.id);
    if (where.path === view.summaryPath) return new TextEncoder().encode(view.result.summaryMarkdown);
    const client = this.client();
    if (!client) throw vscode.FileSystemError.Unavailable('The Flux OCI language server is not running.');
    let file: ReadArtifactFileResult;
    try {
      file = await client.sendRequest<ReadArtifactFileResult>(ReadArtifactFileRequest, { id: where.id, path: where.path });
    } catch (error) {
      throw vscode.FileSystemError.FileNotFound(error instanceof Error ? error.message : uri);
    }
    return file.encoding === 'base64' ? Buffer.from(file.content, 'base64') : new TextEncoder().encode(file.content);
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
}
