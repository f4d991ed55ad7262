// The VS Code side of Flux OCI Sources: starts the bundled language server (dist/server.js) over IPC and
// registers the "Flux OCI" commands. Thin by design: no validation, no registry access, no YAML parsing here.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  RefreshRequest,
  RegistryActivityNotification,
  ResolveDigestRequest,
  WorkspaceChangedNotification,
  WorkspaceTrustChangedNotification,
  type FluxOciInitializationOptions,
  type PreviewUpgradeArgument,
  type RegistryActivityParams,
  type ResolveDigestResult,
  type WorkspaceTrustChangedParams,
} from '../../shared/protocol';
import { ARTIFACT_SCHEME, ArtifactFileSystem } from './artifact-file-system';
import { compareVersions } from './compare-versions';
import { previewUpgrade } from './preview-upgrade';
import { sendStoredCredentials, signIn, signOut } from './credentials';
import { redactingOutputChannel } from './redacting-output';
import { openArtifactFile, pullAndInspect } from './pull-and-inspect';
import { messageOf, namesVersion, showError, type SourceArgument } from './server-calls';
import { SourcesTree, type SourceNode } from './sources-tree';
import { RegistryStatusBar } from './status-bar';

const CLIENT_ID = 'fluxOci';
const CLIENT_NAME = 'Flux OCI Sources';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

function createClient(context: vscode.ExtensionContext, channel: vscode.OutputChannel): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    // --expose-gc lets artifact pulls ask for a young-generation collection every few MiB streamed, which
    // keeps the dead 64 KiB socket buffers from piling up (see core/artifacts/buffer-reclaimer.ts).
    run: { module, transport: TransportKind.ipc, options: { execArgv: ['--expose-gc'] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009', '--expose-gc'] } },
  };
  const initializationOptions: FluxOciInitializationOptions = {
    workspaceTrusted: vscode.workspace.isTrusted,
    clientName: `${vscode.env.appName} ${vscode.version}`,
    storagePath: context.globalStorageUri.fsPath,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    // `http` too: VS Code's http.proxy / http.noProxy / http.proxyStrictSSL reach the server's registry client.
    synchronize: { configurationSection: ['fluxOci', 'http'] },
    initializationOptions,
    // The LSP trace (fluxOci.trace.server) prints notification params, fluxOci/setCredentials included: hide credential values.
    outputChannel: redactingOutputChannel(channel),
    // Hovers carry "Pull and inspect" and "Preview Upgrade" command links; only those commands may run from server markdown.
    markdown: { isTrusted: { enabledCommands: ['fluxOci.pullAndInspect', 'fluxOci.previewUpgrade'] } },
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

/** Copies `oci://host/repo:tag@sha256:…` for a tree node or argument, asking the server for the digest. */
async function copyReferenceWithDigest(arg: SourceArgument | undefined): Promise<void> {
  const base = arg?.source?.reference ?? arg?.reference;
  if (!client) return;
  if (!base) {
    void vscode.window.showInformationMessage('Flux OCI: choose a source in the OCI Sources view to copy its reference with digest.');
    return;
  }
  const reference = arg?.tag
    ? `${base}:${arg.tag}`
    : namesVersion(base)
      ? base
      : arg?.source?.resolvedTag
        ? `${base}:${arg.source.resolvedTag}`
        : arg?.source?.ref.digest
          ? `${base}@${arg.source.ref.digest}`
          : `${base}:latest`;
  try {
    const resolved = await client.sendRequest<ResolveDigestResult>(ResolveDigestRequest, { reference, ...(arg?.source?.insecure ? { insecure: true } : {}) });
    await vscode.env.clipboard.writeText(resolved.reference);
    void vscode.window.showInformationMessage(`Flux OCI: copied ${resolved.reference}`);
  } catch (error) {
    void vscode.window.showErrorMessage(`Flux OCI: could not resolve ${reference}: ${messageOf(error)}`);
  }
}

async function revealManifest(node: SourceNode | undefined): Promise<void> {
  const source = !node || node.type === 'message' || node.type === 'policies' ? undefined : node.type === 'policy' ? node.policy : node.source;
  if (!source?.uri) {
    void vscode.window.showInformationMessage('Flux OCI: choose a source in the OCI Sources view to reveal its manifest.');
    return;
  }
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(source.uri));
  const start = new vscode.Position(source.range.start.line, source.range.start.character);
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(start, start), preview: true });
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel(CLIENT_NAME);
  context.subscriptions.push(output);
  const channel = output;
  await vscode.workspace.fs.createDirectory(context.globalStorageUri).then(undefined, () => undefined);
  client = createClient(context, channel);
  const started = client;
  const current = () => client;

  const files = new ArtifactFileSystem(current);
  const tree = new SourcesTree(current);
  const statusBar = new RegistryStatusBar();
  /** A command body that never leaves a rejected promise behind: failures become one readable message. */
  const safely =
    <A>(what: string, run: (arg: A) => Promise<void> | void) =>
    async (arg: A) => {
      try {
        await run(arg);
      } catch (error) {
        showError(what, error);
      }
    };
  /** The running client, or undefined after telling the user why the command cannot run now. */
  const runningClient = (): LanguageClient | undefined => {
    if (client?.isRunning()) return client;
    void vscode.window.showErrorMessage(
      client?.needsStart() === false
        ? 'Flux OCI: the language server is still starting; try again in a moment.'
        : 'Flux OCI: the language server is not running; run "Flux OCI: Restart Language Server" or see "Flux OCI: Show Output".',
    );
    return undefined;
  };
  const withClient = <A>(what: string, run: (c: LanguageClient, arg: A) => Promise<void>) =>
    safely(what, async (arg: A) => {
      const running = runningClient();
      if (running) await run(running, arg);
    });

  context.subscriptions.push(
    statusBar,
    files,
    tree,
    vscode.workspace.registerFileSystemProvider(ARTIFACT_SCHEME, files, { isCaseSensitive: true, isReadonly: true }),
    vscode.window.registerTreeDataProvider('fluxOci.sources', tree),
    vscode.commands.registerCommand(
      'fluxOci.restartServer',
      safely('Restarting the language server failed', async () => {
        if (!client) return;
        channel.appendLine('Restarting the Flux OCI language server…');
        await client.restart();
        await sendStoredCredentials(client, context.secrets).catch(() => undefined);
        tree.refresh();
      }),
    ),
    vscode.commands.registerCommand('fluxOci.showOutput', () => channel.show(true)),
    vscode.commands.registerCommand(
      'fluxOci.pullAndInspect',
      withClient('Pull and inspect failed', (c, arg: SourceArgument | undefined) => pullAndInspect(c, files, arg)),
    ),
    vscode.commands.registerCommand(
      'fluxOci.compareVersions',
      withClient('Compare failed', (c, arg: SourceArgument | undefined) => compareVersions(c, files, arg)),
    ),
    vscode.commands.registerCommand(
      'fluxOci.previewUpgrade',
      withClient('Preview upgrade failed', (c, arg: PreviewUpgradeArgument | undefined) => previewUpgrade(c, files, arg)),
    ),
    vscode.commands.registerCommand(
      'fluxOci.openArtifactFile',
      safely('Opening the file failed', () => openArtifactFile(files)),
    ),
    vscode.commands.registerCommand(
      'fluxOci.copyReference',
      withClient('Copying the reference failed', (_c, arg: SourceArgument | undefined) => copyReferenceWithDigest(arg)),
    ),
    vscode.commands.registerCommand(
      'fluxOci.revealManifest',
      safely('Revealing the manifest failed', (node: SourceNode | undefined) => revealManifest(node)),
    ),
    vscode.commands.registerCommand(
      'fluxOci.refresh',
      withClient('Refresh failed', async (c) => {
        await c.sendRequest(RefreshRequest, {});
        tree.refresh();
      }),
    ),
    // Credentials are stored even while the server is down; it receives them when it (re)starts.
    vscode.commands.registerCommand(
      'fluxOci.signIn',
      safely('Signing in failed', () => signIn(client?.isRunning() ? client : undefined, context.secrets)),
    ),
    vscode.commands.registerCommand(
      'fluxOci.signOut',
      safely('Signing out failed', () => signOut(client?.isRunning() ? client : undefined, context.secrets)),
    ),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      const params: WorkspaceTrustChangedParams = { workspaceTrusted: true };
      void client?.sendNotification(WorkspaceTrustChangedNotification, params);
      tree.refresh();
    }),
    started.onNotification(RegistryActivityNotification, (params: RegistryActivityParams) => statusBar.update(params)),
    started.onNotification(WorkspaceChangedNotification, () => tree.refresh()),
  );

  try {
    await started.start();
    await sendStoredCredentials(started, context.secrets).catch((error) => channel.appendLine(`Could not hand stored credentials to the server: ${messageOf(error)}`));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    channel.appendLine(`The Flux OCI language server could not start: ${message}`);
    void vscode.window.showErrorMessage('Flux OCI Sources: the language server could not start. See the "Flux OCI Sources" output for details.');
  }
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) await running.stop();
}
