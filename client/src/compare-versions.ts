// "Flux OCI: Compare with Another Version…": pulls two versions of a source, shows the file-list differences as a
// Markdown page and opens VS Code's diff editor on one file (values.yaml by default). UI only; the server compares.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CompareArtifactsRequest, type CompareArtifactsResult, type PullArtifactResult } from '../../shared/protocol';
import type { ArtifactFileSystem } from './artifact-file-system';
import { chooseSource, MARKDOWN_PREVIEW_EDITOR, pullParams, sourcePosition } from './pull-and-inspect';
import { namesVersion, pickTag, pullWithProgress, repositoryOf, showError, type SourceArgument } from './server-calls';

function versionOf(reference: string): string {
  return reference.slice(repositoryOf(reference).length).replace(/^[:@]/, '');
}

/** The changed files to offer, values.yaml first; unchanged values.yaml is still offered when present on both sides. */
function diffCandidates(left: PullArtifactResult, right: PullArtifactResult, diff: CompareArtifactsResult): vscode.QuickPickItem[] {
  const items: vscode.QuickPickItem[] = [
    ...diff.changed.map((f) => ({ label: f.path, description: 'changed' })),
    ...diff.added.map((f) => ({ label: f.path, description: 'added' })),
    ...diff.removed.map((f) => ({ label: f.path, description: 'removed' })),
  ];
  const isValues = (p: string) => p === 'values.yaml' || p.endsWith('/values.yaml');
  if (!items.some((i) => isValues(i.label))) {
    const values = left.files.find((f) => isValues(f.path) && right.files.some((r) => r.path === f.path));
    if (values) items.push({ label: values.path, description: 'unchanged' });
  }
  return items.sort((a, b) => Number(isValues(b.label)) - Number(isValues(a.label)) || a.label.split('/').length - b.label.split('/').length || a.label.localeCompare(b.label));
}

export async function openFileDiff(files: ArtifactFileSystem, left: PullArtifactResult, right: PullArtifactResult, path: string): Promise<void> {
  const inLeft = left.files.some((f) => f.path === path);
  const inRight = right.files.some((f) => f.path === path);
  const name = path.split('/').pop() ?? path;
  const leftUri = inLeft ? files.uriOf(left.id, path) : files.emptyFile(`${left.digest.slice(7, 19)}/${path}`);
  const rightUri = inRight ? files.uriOf(right.id, path) : files.emptyFile(`${right.digest.slice(7, 19)}/${path}`);
  await vscode.commands.executeCommand('vscode.diff', leftUri, rightUri, `${name} (${versionOf(left.reference)} ↔ ${versionOf(right.reference)})`, {
    viewColumn: vscode.ViewColumn.One,
    preview: false,
  });
}

export async function compareVersions(client: LanguageClient, files: ArtifactFileSystem, arg?: SourceArgument): Promise<void> {
  try {
    const chosen = await chooseSource(client, arg);
    if (!chosen) return;
    const repository = repositoryOf(chosen.reference);
    let first = chosen.tag ?? (namesVersion(chosen.reference) ? versionOf(chosen.reference) : undefined);
    first ??= await pickTag(client, { reference: repository, ...sourcePosition(chosen.source) }, { title: `Compare ${repository}: first version` });
    if (!first) return;
    const second = await pickTag(client, { reference: repository, ...sourcePosition(chosen.source) }, { title: `Compare ${repository}:${first} with…`, exclude: first });
    if (!second) return;
    const separator = (v: string) => (/^sha(256|512):/.test(v) ? '@' : ':');
    const left = await pullWithProgress(client, pullParams(`${repository}${separator(first)}${first}`, chosen.source));
    if (!left) return;
    const right = await pullWithProgress(client, pullParams(`${repository}${separator(second)}${second}`, chosen.source));
    if (!right) return;
    files.add(left);
    files.add(right);
    const diff = await client.sendRequest<CompareArtifactsResult>(CompareArtifactsRequest, { leftId: left.id, rightId: right.id });
    const report = files.putVirtual(`compare/${left.digest.slice(7, 19)}..${right.digest.slice(7, 19)}/DIFF.md`, diff.markdown);
    await vscode.commands.executeCommand('vscode.openWith', report, MARKDOWN_PREVIEW_EDITOR, { viewColumn: vscode.ViewColumn.Two, preview: false, preserveFocus: true });
    const candidates = diffCandidates(left, right, diff);
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage(`Flux OCI: ${versionOf(left.reference)} and ${versionOf(right.reference)} have the same files.`);
      return;
    }
    const pickFile = async () => {
      const picked = await vscode.window.showQuickPick(candidates, {
        title: 'Show the differences of which file?',
        placeHolder: `${diff.changed.length} changed, ${diff.added.length} added, ${diff.removed.length} removed`,
      });
      if (picked) await openFileDiff(files, left, right, picked.label);
    };
    const values = candidates[0]!.label.endsWith('values.yaml') ? candidates[0]! : undefined;
    if (!values) return pickFile();
    await openFileDiff(files, left, right, values.label);
    if (candidates.length > 1) {
      const choose = 'Choose File…';
      if ((await vscode.window.showInformationMessage(`Flux OCI: ${candidates.length - 1} other file(s) differ.`, choose)) === choose) await pickFile();
    }
  } catch (error) {
    showError('Compare failed', error);
  }
}
