// "Flux OCI: Pull and Inspect Artifact…" and "Open File from Artifact…": find the source (argument, cursor, or typed
// reference), pick a tag, pull with progress, then open values.yaml, README and the summary from the `flux-oci:` file system.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ArtifactAtPositionRequest, type ArtifactAtPositionResult, type PullArtifactParams, type PullArtifactResult, type WorkspaceSource } from '../../shared/protocol';
import { ARTIFACT_SCHEME, type ArtifactFileSystem, type PulledView } from './artifact-file-system';
import { messageOf, namesVersion, pickTag, pullWithProgress, repositoryOf, showError, type SourceArgument } from './server-calls';

/** The built-in Markdown extension's preview editor (a custom editor id, stable since VS Code 1.67). */
export const MARKDOWN_PREVIEW_EDITOR = 'vscode.markdown.preview.editor';
const REFERENCE_PATTERN = /^(oci:\/\/)?[^\s/]+\/[^\s]+$/;

/** The source under the cursor of the active YAML editor, via the server. */
export async function sourceAtCursor(client: LanguageClient): Promise<WorkspaceSource | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'yaml' || editor.document.uri.scheme === ARTIFACT_SCHEME) return undefined;
  const position = editor.selection.active;
  const found = await client.sendRequest<ArtifactAtPositionResult>(ArtifactAtPositionRequest, {
    uri: client.code2ProtocolConverter.asUri(editor.document.uri),
    position: { line: position.line, character: position.character },
  });
  return found ?? undefined;
}

async function askForReference(): Promise<string | undefined> {
  const typed = await vscode.window.showInputBox({
    title: 'Pull and Inspect Artifact',
    prompt: 'An OCI reference: oci://host/repository, optionally with :tag or @sha256:…',
    placeHolder: 'oci://ghcr.io/stefanprodan/charts/podinfo',
    ignoreFocusOut: true,
    validateInput: (value) => (REFERENCE_PATTERN.test(value.trim()) ? undefined : 'Type oci://host/repository[:tag|@digest]'),
  });
  const reference = typed?.trim();
  if (!reference) return undefined;
  return reference.startsWith('oci://') ? reference : `oci://${reference}`;
}

/** Which repository (and source, for its ref/layerSelector/verify) a command is about. */
export async function chooseSource(client: LanguageClient, arg: SourceArgument | undefined): Promise<{ reference: string; source?: WorkspaceSource; tag?: string } | undefined> {
  if (arg?.source?.reference) return { reference: arg.source.reference, source: arg.source, ...(arg.tag ? { tag: arg.tag } : {}) };
  if (typeof arg?.reference === 'string' && arg.reference.trim()) return { reference: arg.reference.trim(), ...(arg.tag ? { tag: arg.tag } : {}) };
  const source = await sourceAtCursor(client).catch(() => undefined);
  if (source?.reference) return { reference: source.reference, source };
  if (source?.problem) void vscode.window.showWarningMessage(`Flux OCI: ${source.problem}`);
  const typed = await askForReference();
  return typed ? { reference: typed } : undefined;
}

/** Where the server finds the source's spec.ref (so the tag pick can preselect the resolved tag). */
export function sourcePosition(source: WorkspaceSource | undefined): { uri?: string; position?: { line: number; character: number } } {
  return source?.uri ? { uri: source.uri, position: source.range.start } : {};
}

export function pullParams(reference: string, source: WorkspaceSource | undefined): PullArtifactParams {
  return {
    reference,
    ...(source?.layerMediaType ? { layerMediaType: source.layerMediaType } : {}),
    ...(source?.insecure ? { insecure: true } : {}),
    ...(source?.verify ? { checkSignatures: true } : {}),
    // Flux bounds the pull by the OCIRepository's spec.timeout; a typed reference keeps the server's default.
    ...(source?.kind === 'OCIRepository' && source.timeoutSeconds !== undefined ? { timeoutSeconds: source.timeoutSeconds } : {}),
  };
}

/** The file to open first: values.yaml (shallowest), else Chart.yaml, else the first file. */
export function mainFileOf(result: PullArtifactResult): string | undefined {
  const byDepth = [...result.files].sort((a, b) => a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path));
  const named = (name: string) => byDepth.find((f) => f.path === name || f.path.endsWith(`/${name}`))?.path;
  return named('values.yaml') ?? named('Chart.yaml') ?? byDepth[0]?.path;
}

function readmeOf(result: PullArtifactResult): string | undefined {
  return [...result.files].sort((a, b) => a.path.split('/').length - b.path.split('/').length).find((f) => /(^|\/)readme\.md$/i.test(f.path))?.path;
}

/** Opens the summary (and README) in Markdown preview beside, and the main file in the editor. */
export async function showPulled(files: ArtifactFileSystem, view: PulledView): Promise<void> {
  const { result } = view;
  // Both Markdown pages go to the second column as previews; the main file takes the first column and the focus.
  const openPreview = (uri: vscode.Uri) => vscode.commands.executeCommand('vscode.openWith', uri, MARKDOWN_PREVIEW_EDITOR, { viewColumn: vscode.ViewColumn.Two, preview: false, preserveFocus: true });
  await openPreview(files.uriOf(result.id, view.summaryPath));
  const readme = readmeOf(result);
  if (readme) await openPreview(files.uriOf(result.id, readme));
  const main = mainFileOf(result);
  if (main) {
    const document = await vscode.workspace.openTextDocument(files.uriOf(result.id, main));
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: false });
  }
}

export async function pullAndInspect(client: LanguageClient, files: ArtifactFileSystem, arg?: SourceArgument): Promise<void> {
  try {
    const chosen = await chooseSource(client, arg);
    if (!chosen) return;
    let reference = chosen.reference;
    if (chosen.tag) reference = `${repositoryOf(reference)}:${chosen.tag}`;
    else if (!namesVersion(reference)) {
      const tag = await pickTag(client, { reference, ...sourcePosition(chosen.source) }, { title: `Pull and Inspect ${reference}` });
      if (!tag) return;
      reference = `${reference}:${tag}`;
    }
    const result = await pullWithProgress(client, pullParams(reference, chosen.source));
    if (!result) return;
    const view = files.add(result);
    await showPulled(files, view);
    if (result.layerWarning) void vscode.window.showWarningMessage(`Flux OCI: ${result.layerWarning}`);
    if (!result.extracted) {
      const extract = 'Extract Layer';
      const answer = await vscode.window.showInformationMessage(`Flux OCI: ${result.reference} is a container image; its layers are listed, not downloaded.`, extract);
      if (answer === extract) {
        const full = await pullWithProgress(client, { ...pullParams(`${repositoryOf(reference)}@${result.digest}`, chosen.source), extractImageLayers: true });
        if (full) await showPulled(files, files.add(full));
      }
    }
  } catch (error) {
    showError('Pull and inspect failed', error);
  }
}

/** "Open File from Artifact…": every file of the artifact in the active `flux-oci:` editor, else of the latest pull. */
export async function openArtifactFile(files: ArtifactFileSystem): Promise<void> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const located = active?.scheme === ARTIFACT_SCHEME ? files.locate(active) : undefined;
  const view = (located?.kind === 'artifact' ? files.view(located.id) : undefined) ?? files.recent()[0];
  if (!view) {
    void vscode.window.showInformationMessage('Flux OCI: no artifact pulled yet; run "Flux OCI: Pull and Inspect Artifact…" first.');
    return;
  }
  const items = [{ label: view.summaryPath, description: 'summary' }, ...view.result.files.map((f) => ({ label: f.path, description: `${f.size} B` }))];
  const picked = await vscode.window.showQuickPick(items, { title: `Open file from ${view.result.reference}`, matchOnDescription: false });
  if (!picked) return;
  try {
    const uri = files.uriOf(view.result.id, picked.label);
    if (picked.label.toLowerCase().endsWith('.md')) await vscode.commands.executeCommand('vscode.openWith', uri, MARKDOWN_PREVIEW_EDITOR);
    else await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  } catch (error) {
    void vscode.window.showErrorMessage(`Flux OCI: ${messageOf(error)}`);
  }
}
