// Workspace files on disk: the initial scan of the workspace folders and the `**/*.{yaml,yml}` file watcher.
// Feeds WorkspaceState and asks the publisher to republish what changed; must never block request handling.
import { basename, dirname } from 'node:path';
import { DidChangeWatchedFilesNotification, FileChangeType, type Connection, type FileEvent } from 'vscode-languageserver/node';
import type { DiagnosticsPublisher } from './diagnostics';
import { repositoryRootOf } from '../../core/workspace/repository-roots';
import { isFileUri, uriToPath } from './uri-paths';
import { isInsideFolder, type Logger, type WorkspaceState } from './workspace-state';
import { CHART_FILE } from '../../core/workspace/helm-chart-files';
import { isYamlPath, readYamlFile, walkYamlFiles } from '../../core/workspace/yaml-file-walker';

export const YAML_GLOB = '**/*.{yaml,yml}';

function isSkippedPath(path: string): boolean {
  return path.split(/[\\/]/).some((part) => part === 'node_modules' || part === '.git');
}

export class WorkspaceFiles {
  /** Each workspace folder's repository root (the folder holding .git at or above it, else the folder). */
  private readonly rootsByFolder = new Map<string, string>();

  constructor(
    private readonly state: WorkspaceState,
    private readonly publisher: DiagnosticsPublisher,
    private readonly log: Logger,
  ) {}

  /** Walks each workspace folder, indexes every readable YAML file, then publishes their diagnostics. */
  async scan(folderUris: string[]): Promise<{ files: number; skipped: number }> {
    let files = 0;
    let skipped = 0;
    const affected = new Set<string>();
    for (const folderUri of folderUris) {
      if (!isFileUri(folderUri)) continue;
      const root = uriToPath(folderUri);
      this.rootsByFolder.set(root, await repositoryRootOf(root));
      this.state.index.setRepositoryRoots([...new Set(this.rootsByFolder.values())]);
      const walk = await walkYamlFiles(root);
      for (const error of walk.errors) this.log(`Skipped folder ${error.path}: ${error.reason}`);
      for (const dir of walk.chartTemplateDirs) this.log(`Skipped Helm chart templates in ${dir} (Go templates, YAML only once Helm renders them).`);
      if (walk.truncated) this.log(`Workspace folder ${root} has more YAML files than the scan limit; the rest are not indexed.`);
      for (const path of walk.files) {
        const read = await readYamlFile(path);
        if (!read.ok) {
          skipped++;
          this.log(`Skipped ${path}: ${read.reason}`);
          continue;
        }
        files++;
        for (const p of this.state.setDisk(path, read.text)) affected.add(p);
      }
    }
    this.state.workspaceScanned = true;
    await this.publisher.publish(affected);
    return { files, skipped };
  }

  /**
   * Workspace folders left the workspace: their files leave the index (open buffers stay until closed) unless another
   * remaining folder still contains them, and the diagnostics of every affected file are republished (cleared).
   */
  async removeFolders(removedUris: string[], remainingUris: string[]): Promise<number> {
    const remaining = remainingUris.filter(isFileUri).map(uriToPath);
    const affected = new Set<string>();
    let removed = 0;
    for (const folderUri of removedUris) {
      if (!isFileUri(folderUri)) continue;
      this.rootsByFolder.delete(uriToPath(folderUri));
      this.state.index.setRepositoryRoots([...new Set(this.rootsByFolder.values())]);
      for (const path of this.state.diskPathsUnder(uriToPath(folderUri))) {
        if (remaining.some((root) => isInsideFolder(path, root))) continue;
        removed++;
        for (const p of this.state.removeDisk(path)) affected.add(p);
      }
    }
    await this.publisher.publish(affected);
    return removed;
  }

  /** Asks the client to watch YAML files, when it supports dynamic registration. */
  async registerWatcher(connection: Connection): Promise<void> {
    await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: YAML_GLOB }] });
  }

  /** Applies created/changed/deleted events from the client's file watcher. */
  async applyChanges(changes: FileEvent[]): Promise<void> {
    const affected = new Set<string>();
    for (const change of changes) {
      if (!isFileUri(change.uri)) continue;
      const path = uriToPath(change.uri);
      if (!isYamlPath(path) || isSkippedPath(path)) continue;
      if (basename(path) === CHART_FILE && change.type !== FileChangeType.Changed) {
        // A chart appeared or went: its templates/ files are (no longer) Go templates.
        for (const p of this.state.chartLayoutChanged(dirname(path))) affected.add(p);
      }
      if (change.type === FileChangeType.Deleted) {
        for (const p of this.state.removeDisk(path)) affected.add(p);
        continue;
      }
      const read = await readYamlFile(path);
      const updated = read.ok ? this.state.setDisk(path, read.text) : this.state.removeDisk(path);
      if (!read.ok) this.log(`Skipped ${path}: ${read.reason}`);
      for (const p of updated) affected.add(p);
    }
    await this.publisher.publish(affected);
  }

  /** The on-disk text of a path, used when its buffer closes; undefined when not a readable YAML file. */
  async diskText(uri: string): Promise<string | undefined> {
    if (!isFileUri(uri)) return undefined;
    const path = uriToPath(uri);
    if (!isYamlPath(path)) return undefined;
    const read = await readYamlFile(path);
    return read.ok ? read.text : undefined;
  }
}
