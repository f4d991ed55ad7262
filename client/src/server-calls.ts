// The client's calls to the server's custom requests with their UI: a cancellable progress notification fed by the
// server's work-done progress, a tag quick pick (newest first, resolved tag preselected), and error messages.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient, type WorkDoneProgressBegin, type WorkDoneProgressEnd, type WorkDoneProgressReport } from 'vscode-languageclient/node';
import { ListTagsRequest, PullArtifactRequest, type ListTagsParams, type ListTagsResult, type PullArtifactParams, type PullArtifactResult, type WorkspaceSource } from '../../shared/protocol';

/** What commands accept as their argument: a hover link's `{ reference }`, a tree node, or nothing. */
export interface SourceArgument {
  reference?: string;
  source?: WorkspaceSource;
  tag?: string;
}

export function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Request [^ ]+ failed with message: /, '');
}

export function isCancellation(error: unknown, token?: vscode.CancellationToken): boolean {
  return token?.isCancellationRequested === true || /cancel/i.test(messageOf(error));
}

export function showError(what: string, error: unknown): void {
  void vscode.window.showErrorMessage(`Flux OCI: ${what}: ${messageOf(error)}`);
}

/** `oci://host/repo` without tag or digest. */
export function repositoryOf(reference: string): string {
  const withScheme = reference.startsWith('oci://') ? reference : `oci://${reference}`;
  const at = withScheme.indexOf('@');
  const noDigest = at >= 0 ? withScheme.slice(0, at) : withScheme;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > lastSlash ? noDigest.slice(0, colon) : noDigest;
}

/** True when the reference names a tag or digest (beyond `oci://host/repo`). */
export function namesVersion(reference: string): boolean {
  return repositoryOf(reference) !== (reference.startsWith('oci://') ? reference : `oci://${reference}`);
}

/**
 * Sends `method` with a work-done token inside a cancellable notification titled `title`; `onProgress` turns each of the
 * server's progress values (never `end`) into the notification's. Undefined when the user or the server cancelled.
 */
export async function requestWithProgress<R>(
  client: LanguageClient,
  title: string,
  method: string,
  params: object,
  onProgress: (value: WorkDoneProgressBegin | WorkDoneProgressReport, progress: vscode.Progress<{ message?: string; increment?: number }>) => void,
): Promise<R | undefined> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const workDoneToken = randomUUID();
    const listener = client.onProgress(WorkDoneProgress.type, workDoneToken, (value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd) => {
      if (value.kind !== 'end') onProgress(value, progress);
    });
    try {
      return await client.sendRequest<R>(method, { ...params, workDoneToken }, token);
    } catch (error) {
      if (isCancellation(error, token)) return undefined;
      throw error;
    } finally {
      listener.dispose();
    }
  });
}

/** Pulls with a cancellable notification that shows the server's byte progress; undefined when cancelled. */
export async function pullWithProgress(client: LanguageClient, params: PullArtifactParams): Promise<PullArtifactResult | undefined> {
  let shown = 0;
  return requestWithProgress<PullArtifactResult>(client, `Pulling ${params.reference}`, PullArtifactRequest, params, (value, progress) => {
    const percentage = value.percentage;
    const increment = percentage !== undefined && percentage > shown ? percentage - shown : undefined;
    if (increment !== undefined) shown = percentage!;
    progress.report({ ...(value.message ? { message: value.message } : {}), ...(increment !== undefined ? { increment } : {}) });
  });
}

/** Tags of a repository; the quick pick lists them newest first with the resolved one preselected. */
export async function pickTag(client: LanguageClient, params: ListTagsParams, options: { title: string; exclude?: string } = { title: 'Choose a version' }): Promise<string | undefined> {
  const listing = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Listing tags of ${repositoryOf(params.reference)}`, cancellable: true },
    (_progress, token) => client.sendRequest<ListTagsResult>(ListTagsRequest, params, token),
  );
  const tags = listing.tags.filter((t) => t !== options.exclude);
  if (tags.length === 0) {
    void vscode.window.showInformationMessage(`Flux OCI: ${listing.reference} has no ${options.exclude ? 'other ' : ''}tags.`);
    return undefined;
  }
  const items: vscode.QuickPickItem[] = tags.map((tag) => ({
    label: tag,
    ...(tag === listing.resolvedTag ? { description: 'selected by spec.ref' } : {}),
  }));
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem>();
  pick.title = options.title;
  pick.placeholder = `${listing.reference} — ${tags.length} tag${tags.length === 1 ? '' : 's'}, newest first${listing.source === 'disk-stale' ? ' (cached: the registry could not be reached)' : ''}`;
  pick.items = items;
  const preselected = items.find((i) => i.label === listing.resolvedTag);
  if (preselected) pick.activeItems = [preselected];
  return new Promise<string | undefined>((resolve) => {
    let done = false;
    pick.onDidAccept(() => {
      done = true;
      resolve(pick.selectedItems[0]?.label ?? pick.activeItems[0]?.label);
      pick.hide();
    });
    pick.onDidHide(() => {
      if (!done) resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}
