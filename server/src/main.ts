// Entry of the language server (`node dist/server.js --stdio`, or IPC from the VS Code client): wires the LSP
// connection to the per-feature modules. Writes nothing to stdout but the protocol; logs via connection.console.
import { redactCredentials } from '../../shared/redaction';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ArtifactStore } from './artifact-store';
import { registerCodeActions } from './code-actions';
import { registerCompletion } from './completion';
import { DiagnosticsPublisher } from './diagnostics';
import { guarded, type FeatureContext } from './feature-context';
import { registerHover } from './hover';
import { registerInlayHints } from './inlay-hints';
import { LiveContext } from './live-context';
import { LiveDiagnosticsRunner } from './live-diagnostics';
import { registerNavigation } from './navigation';
import { gatedTransport } from './protocol-gate';
import { registerPullInspect } from './pull-inspect';
import { RegistryActivity } from './registry-activity';
import { RegistryContext } from './registry-context';
import { registerSourceRequests, WorkspaceChangeNotifier } from './source-requests';
import { registerImagePolicyRequests } from './image-policy-requests';
import {
  IndexStatusRequest,
  RefreshRequest,
  SetCredentialsNotification,
  type SetCredentialsParams,
  readInitializationOptions,
  WorkspaceScannedNotification,
  WorkspaceTrustChangedNotification,
  type IndexStatusResult,
  type WorkspaceScannedParams,
  type WorkspaceTrustChangedParams,
} from '../../shared/protocol';
import { declaredProviders } from '../../core/live/declared-providers';
import { SettingsReader } from './settings';
import { registerSymbols } from './symbols';
import { registerUpgradePreview } from './upgrade-preview';
import { UriRegistry } from './uri-paths';
import { WorkspaceFiles } from './workspace-files';
import { WorkspaceState } from './workspace-state';

const transport = gatedTransport(process.argv);
const connection = transport ? createConnection(ProposedFeatures.all, transport.reader, transport.writer) : createConnection(ProposedFeatures.all);
const log = (message: string) => connection.console.log(redactCredentials(message));
const documents = new TextDocuments(TextDocument);
const state = new WorkspaceState(log);
const uris = new UriRegistry();
const settings = new SettingsReader(connection);
const publisher = new DiagnosticsPublisher(
  connection,
  state,
  uris,
  settings,
  {
    textOf: (uri) => documents.get(uri)?.getText(),
    versionOf: (uri) => documents.get(uri)?.version,
  },
  log,
);
const workspaceFiles = new WorkspaceFiles(state, publisher, log);
const registry = new RegistryContext(settings, log, declaredProviders(state.index));
const activity = new RegistryActivity(connection);
registry.onNetworkChange = (line) => activity.setNetwork(line);
const live = new LiveContext(state, registry, settings);
const context: FeatureContext = { state, uris, publisher, log, settings, registry, activity, artifacts: new ArtifactStore(), live };
const liveDiagnostics = new LiveDiagnosticsRunner(publisher, live, registry, activity, log);
const workspaceChanges = new WorkspaceChangeNotifier(connection, context);

let workspaceFolderUris: string[] = [];
let workspaceTrusted = false;
// Editors without VS Code's workspace trust (Neovim, Helix, Emacs…) grant it with `initializationOptions.workspaceTrusted`
// or by starting the server with `--trusted`; either way the user's own editor configuration decides.
const trustedByCommandLine = process.argv.includes('--trusted');
let canRegisterWatcher = false;
let canRegisterConfiguration = false;
let clientSupportsWorkspaceFolders = false;

process.on('uncaughtException', (error) => connection.console.error(redactCredentials(`Unexpected error: ${error.stack ?? error.message}`)));
process.on('unhandledRejection', (reason) => connection.console.error(redactCredentials(`Unexpected rejection: ${String(reason)}`)));

connection.onInitialize((params): InitializeResult => {
  const options = readInitializationOptions(params.initializationOptions);
  workspaceTrusted = options.workspaceTrusted || trustedByCommandLine;
  registry.configure({ trusted: workspaceTrusted, ...(options.storagePath ? { storagePath: options.storagePath } : {}) });
  const workspace = params.capabilities.workspace;
  settings.setClientSupportsConfiguration(workspace?.configuration === true);
  canRegisterWatcher = workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  canRegisterConfiguration = workspace?.didChangeConfiguration?.dynamicRegistration === true;
  clientSupportsWorkspaceFolders = workspace?.workspaceFolders === true;
  workspaceFolderUris = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
  log(`Flux OCI Sources server started for ${options.clientName ?? params.clientInfo?.name ?? 'an LSP client'}; workspace ${workspaceTrusted ? 'trusted' : 'not trusted (offline checks only)'}.`);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      completionProvider: { resolveProvider: false, triggerCharacters: [':'] },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
      inlayHintProvider: true,
      codeLensProvider: { resolveProvider: false },
      definitionProvider: true,
      referencesProvider: true,
      documentSymbolProvider: true,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'flux-oci-language-server', version: process.env.FLUX_OCI_VERSION ?? '0.1.0' },
  };
});

connection.onInitialized(() => {
  if (canRegisterWatcher) {
    workspaceFiles.registerWatcher(connection).catch((error) => log(`Could not watch YAML files: ${String(error)}`));
  }
  if (canRegisterConfiguration) {
    connection.client.register(DidChangeConfigurationNotification.type, { section: 'fluxOci' }).catch(() => undefined);
  }
  workspaceFiles
    .scan(workspaceFolderUris)
    .then((result) => {
      log(`Indexed ${result.files} YAML file(s) from the workspace${result.skipped ? `, skipped ${result.skipped}` : ''}.`);
      const params: WorkspaceScannedParams = result;
      void connection.sendNotification(WorkspaceScannedNotification, params);
      workspaceChanges.sendIfChanged(true);
      liveDiagnostics.schedule(0);
    })
    .catch((error) => log(`Workspace scan failed: ${error instanceof Error ? error.message : String(error)}`));
  // The library throws when the client never announced workspace folders (Helix, plain LSP clients): ask first.
  if (clientSupportsWorkspaceFolders) connection.workspace.onDidChangeWorkspaceFolders((event) => void changeWorkspaceFolders(event));
});

/** Folders added are scanned; folders removed take their files (and those files' diagnostics) out of the index. */
async function changeWorkspaceFolders(event: WorkspaceFoldersChangeEvent): Promise<void> {
  const removed = event.removed.map((folder) => folder.uri);
  const added = event.added.map((folder) => folder.uri).filter((uri) => !workspaceFolderUris.includes(uri));
  workspaceFolderUris = [...workspaceFolderUris.filter((uri) => !removed.includes(uri)), ...added];
  try {
    if (removed.length) log(`Workspace folder(s) removed: ${await workspaceFiles.removeFolders(removed, workspaceFolderUris)} file(s) left the index.`);
    if (added.length) {
      const result = await workspaceFiles.scan(added);
      log(`Indexed ${result.files} YAML file(s) from added workspace folder(s)${result.skipped ? `, skipped ${result.skipped}` : ''}.`);
    }
  } catch (error) {
    log(`Updating workspace folders failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  workspaceChanges.check();
  liveDiagnostics.schedule();
}

const justOpened = new Set<string>();
documents.onDidOpen((event) => justOpened.add(event.document.uri));
documents.onDidChangeContent((event) => {
  const uri = event.document.uri;
  publisher.scheduleBuffer(uri);
  if (justOpened.delete(uri)) publisher.flushBuffer(uri);
  workspaceChanges.check();
  liveDiagnostics.schedule();
});
documents.onDidClose((event) => {
  const uri = event.document.uri;
  justOpened.delete(uri);
  publisher.cancelBuffer(uri);
  const path = uris.remember(uri);
  // Only files the workspace scan or watcher know stay indexed from disk; others leave with their editor.
  const readDisk = state.isOnDisk(path) ? workspaceFiles.diskText(uri) : Promise.resolve(undefined);
  void readDisk
    .then((text) => {
      if (documents.get(uri)) return;
      workspaceChanges.check();
      return publisher.publish(state.closeBuffer(path, text));
    })
    .catch((error) => log(`Closing ${path} failed: ${String(error)}`));
});

connection.onDidChangeWatchedFiles(
  guarded('File watcher', log, undefined, async (params) => {
    await workspaceFiles.applyChanges(params.changes);
    workspaceChanges.check();
    liveDiagnostics.schedule();
  }),
);

connection.onDidChangeConfiguration(
  guarded('Settings change', log, undefined, (params) => {
    settings.invalidate(params.settings);
    liveDiagnostics.schedule(0);
    return publisher.republishAll();
  }),
);

connection.onRequest(
  IndexStatusRequest,
  guarded('Index status', log, { files: 0, objects: 0, workspaceScanned: false, workspaceTrusted: false } as IndexStatusResult, (): IndexStatusResult => {
    const files = state.index.files();
    let objects = 0;
    for (const path of files) {
      try {
        objects += state.index.analyze(path).objects.length;
      } catch {
        // counted as no objects; analysis failures are logged when diagnostics are published
      }
    }
    return { files: files.length, objects, workspaceScanned: state.workspaceScanned, workspaceTrusted };
  }),
);

connection.onNotification(WorkspaceTrustChangedNotification, (params: WorkspaceTrustChangedParams) => {
  workspaceTrusted = params?.workspaceTrusted === true;
  registry.setTrusted(workspaceTrusted);
  liveDiagnostics.schedule(0);
  log(`Workspace trust changed: ${workspaceTrusted ? 'trusted' : 'not trusted'}.`);
});

connection.onNotification(SetCredentialsNotification, (params: SetCredentialsParams) => {
  registry.setStoredCredentials(Array.isArray(params?.credentials) ? params.credentials : []);
  liveDiagnostics.schedule(0);
});

connection.onRequest(
  RefreshRequest,
  guarded('Refresh', log, undefined, async () => {
    registry.refresh();
    live.refresh();
    workspaceChanges.sendIfChanged(true);
    await liveDiagnostics.run();
  }),
);

connection.onShutdown(() => {
  liveDiagnostics.dispose();
  return registry.close();
});

registerPullInspect(connection, context);
registerSourceRequests(connection, context);
registerImagePolicyRequests(connection, context);
registerHover(connection, context);
registerCompletion(connection, context);
registerCodeActions(connection, context);
registerSymbols(connection, context);
registerInlayHints(connection, context);
registerNavigation(connection, context);
registerUpgradePreview(connection, context);

documents.listen(connection);
connection.listen();
