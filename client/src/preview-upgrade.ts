// "Flux OCI: Preview Upgrade to X…" (code lens, hover link or palette): asks the server for the upgrade report, opens it as
// a Markdown preview beside the values.yaml diff of both versions (Compare with Another Version's diff). UI only.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { UpgradeReportRequest, type PreviewUpgradeArgument, type UpgradeReportParams, type UpgradeReportResult } from '../../shared/protocol';
import type { ArtifactFileSystem } from './artifact-file-system';
import { openFileDiff } from './compare-versions';
import { MARKDOWN_PREVIEW_EDITOR } from './pull-and-inspect';
import { pullWithProgress, requestWithProgress } from './server-calls';

/** The argument of a lens or hover link, else the cursor of the active YAML editor. */
function argumentOrCursor(client: LanguageClient, arg: PreviewUpgradeArgument | undefined): PreviewUpgradeArgument | undefined {
  if (arg && typeof arg.uri === 'string' && arg.position) return arg;
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'yaml') return undefined;
  const { line, character } = editor.selection.active;
  return { uri: client.code2ProtocolConverter.asUri(editor.document.uri), position: { line, character } };
}

async function requestReport(client: LanguageClient, params: UpgradeReportParams): Promise<UpgradeReportResult | undefined> {
  return requestWithProgress<UpgradeReportResult>(client, 'Flux OCI: building the upgrade report', UpgradeReportRequest, params, (value, progress) => {
    if (value.message) progress.report({ message: value.message });
  });
}

export async function previewUpgrade(client: LanguageClient, files: ArtifactFileSystem, arg: PreviewUpgradeArgument | undefined): Promise<void> {
  const where = argumentOrCursor(client, arg);
  if (!where) {
    void vscode.window.showInformationMessage('Flux OCI: put the cursor on a HelmRelease or OCIRepository to preview its upgrade.');
    return;
  }
  const report = await requestReport(client, {
    uri: where.uri,
    position: where.position,
    ...(where.to ? { to: where.to } : {}),
    ...(where.kustomization ? { kustomization: where.kustomization } : {}),
  });
  if (!report) return;
  const pullOptions = report.insecure ? { insecure: true } : {};
  const left = await pullWithProgress(client, { reference: report.fromReference, ...pullOptions });
  if (!left) return;
  const right = await pullWithProgress(client, { reference: report.toReference, ...pullOptions });
  if (!right) return;
  files.add(left);
  files.add(right);
  const page = files.putVirtual(`upgrade/${left.digest.slice(7, 19)}..${right.digest.slice(7, 19)}/UPGRADE-${report.to}.md`, report.markdown);
  await vscode.commands.executeCommand('vscode.openWith', page, MARKDOWN_PREVIEW_EDITOR, { viewColumn: vscode.ViewColumn.Two, preview: false, preserveFocus: true });
  const isValues = (p: string) => /(^|\/)values\.yaml$/.test(p);
  const byDepth = (a: { path: string }, b: { path: string }) => a.path.split('/').length - b.path.split('/').length;
  const values = [...right.files].sort(byDepth).find((f) => isValues(f.path)) ?? [...left.files].sort(byDepth).find((f) => isValues(f.path));
  if (values) await openFileDiff(files, left, right, values.path);
  if (report.breaking > 0)
    void vscode.window.showWarningMessage(`Flux OCI: upgrading ${report.chart} to ${report.to} breaks ${report.breaking} value${report.breaking === 1 ? '' : 's'} this release sets; see the report.`);
}
