// The VS Code side of Flux OCI Sources: starts the bundled language server (dist/server.js) over IPC and
// registers the "Flux OCI" commands. Thin by design: no validation, no registry access, no YAML parsing here.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { WorkspaceTrustChangedNotification, type FluxOciInitializationOptions, type WorkspaceTrustChangedParams } from '../../server/src/protocol';

const CLIENT_ID = 'fluxOci';
const CLIENT_NAME = 'Flux OCI Sources';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

function createClient(context: vscode.ExtensionContext, channel: vscode.OutputChannel): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const initializationOptions: FluxOciInitializationOptions = {
    workspaceTrusted: vscode.workspace.isTrusted,
    clientName: `${vscode.env.appName} ${vscode.version}`,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    synchronize: { configurationSection: 'fluxOci' },
    initializationOptions,
    outputChannel: channel,
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel(CLIENT_NAME);
  context.subscriptions.push(output);
  const channel = output;
  client = createClient(context, channel);

  context.subscriptions.push(
    vscode.commands.registerCommand('fluxOci.restartServer', async () => {
      if (!client) return;
      channel.appendLine('Restarting the Flux OCI language server…');
      await client.restart();
    }),
    vscode.commands.registerCommand('fluxOci.showOutput', () => channel.show(true)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      const params: WorkspaceTrustChangedParams = { workspaceTrusted: true };
      void client?.sendNotification(WorkspaceTrustChangedNotification, params);
    }),
  );

  try {
    await client.start();
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
