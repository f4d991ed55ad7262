// The server's one WorkspaceIndex and what feeds it: disk files from the workspace scan and open editor buffers
// (a buffer overrides its file on disk while open). Must not publish anything or know about LSP transport.
import { sep } from 'node:path';
import { WorkspaceIndex } from '../../core/workspace/workspace-index';
import { isHelmChartTemplateFile, MAX_YAML_FILE_BYTES } from '../../core/workspace/yaml-file-walker';

export type Logger = (message: string) => void;

/** Whether a file path lies inside a folder path (the folder itself and name prefixes such as `/a/bc` for `/a/b` do not count). */
export function isInsideFolder(path: string, folder: string): boolean {
  const prefix = folder.endsWith(sep) ? folder : `${folder}${sep}`;
  return path.startsWith(prefix);
}

export class WorkspaceState {
  readonly index = new WorkspaceIndex();
  /** Paths whose current index content comes from an open buffer. */
  private readonly openPaths = new Set<string>();
  /** Paths known on disk (scanned or reported by the file watcher). */
  private readonly diskPaths = new Set<string>();
  /** Open buffers too large to analyze: path → size in characters. */
  private readonly oversized = new Map<string, number>();
  workspaceScanned = false;

  /** Whether each path seen is a Helm chart template (asked once per path: a file does not move). */
  private readonly chartTemplates = new Map<string, boolean>();

  constructor(
    private readonly log: Logger,
    private readonly isChartTemplate: (path: string) => boolean = isHelmChartTemplateFile,
  ) {}

  /** Helm chart templates are Go templates, not YAML until rendered: they never enter the index. */
  private skips(path: string): boolean {
    let skip = this.chartTemplates.get(path);
    if (skip === undefined) {
      skip = this.isChartTemplate(path);
      this.chartTemplates.set(path, skip);
    }
    return skip;
  }

  /**
   * A Chart.yaml appeared in or left `chartDir`: files under it are asked about again, and indexed files that
   * are now chart templates leave the index. (Templates of a removed chart join it when next opened or changed.)
   */
  chartLayoutChanged(chartDir: string): string[] {
    for (const path of this.chartTemplates.keys()) if (isInsideFolder(path, chartDir)) this.chartTemplates.delete(path);
    const affected: string[] = [];
    for (const path of this.index.files()) {
      if (isInsideFolder(path, chartDir) && this.skips(path)) affected.push(...this.skip(path));
    }
    return affected;
  }

  /** Keeps a skipped file out of the index (and its old results with it). */
  private skip(path: string): string[] {
    return this.index.hasFile(path) ? this.guard(path, () => this.index.removeFile(path)) : [path];
  }

  isOpen(path: string): boolean {
    return this.openPaths.has(path);
  }

  isOnDisk(path: string): boolean {
    return this.diskPaths.has(path);
  }

  oversizedLength(path: string): number | undefined {
    return this.oversized.get(path);
  }

  /** Puts an open buffer's text into the index; returns the paths whose diagnostics may have changed. */
  setBuffer(path: string, text: string): string[] {
    this.openPaths.add(path);
    if (text.length > MAX_YAML_FILE_BYTES) {
      this.oversized.set(path, text.length);
      return this.index.hasFile(path) ? this.guard(path, () => this.index.removeFile(path)) : [path];
    }
    this.oversized.delete(path);
    if (this.skips(path)) return this.skip(path);
    return this.guard(path, () => this.index.setFile(path, text));
  }

  /** A buffer was closed: the disk text (if any, read by the caller) takes over again. */
  closeBuffer(path: string, diskText: string | undefined): string[] {
    this.openPaths.delete(path);
    this.oversized.delete(path);
    if (diskText !== undefined) return this.setDisk(path, diskText);
    this.diskPaths.delete(path);
    return this.guard(path, () => this.index.removeFile(path));
  }

  /** A file on disk was found or changed. Ignored while the file is open (the buffer wins). */
  setDisk(path: string, text: string): string[] {
    this.diskPaths.add(path);
    if (this.openPaths.has(path)) return [];
    if (this.skips(path)) return this.skip(path);
    return this.guard(path, () => this.index.setFile(path, text));
  }

  /** A file on disk was deleted. An open buffer for it stays in the index. */
  removeDisk(path: string): string[] {
    this.diskPaths.delete(path);
    if (this.openPaths.has(path)) return [];
    return this.guard(path, () => this.index.removeFile(path));
  }

  /** Paths known on disk that lie inside `root` (a workspace folder), for when that folder leaves the workspace. */
  diskPathsUnder(root: string): string[] {
    return [...this.diskPaths].filter((path) => isInsideFolder(path, root));
  }

  /** Runs an index update, turning a thrown error into a log line (the file then just has no results). */
  private guard(path: string, update: () => string[]): string[] {
    try {
      return update();
    } catch (error) {
      this.log(`Indexing ${path} failed: ${error instanceof Error ? error.message : String(error)}`);
      try {
        this.index.removeFile(path);
      } catch {
        // the index refused this file entirely; nothing more to undo
      }
      return [path];
    }
  }
}
