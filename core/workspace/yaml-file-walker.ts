// Finds and reads the YAML files of a folder tree (skipping node_modules, .git, huge, binary and non-UTF-8 files).
// Pure Node fs, no LSP: shared by the server's workspace scan and `flux-oci check`. Never follows directory symlinks.
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CHART_FILE, CHART_TEMPLATES_DIR, helmChartOfTemplate } from '../../core/workspace/helm-chart-files';

export const MAX_YAML_FILE_BYTES = 10 * 1024 * 1024;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);
const DEFAULT_MAX_FILES = 100_000;

export function isYamlPath(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

/** True for a file inside a Helm chart's templates/ folder (a Go template, never analysed as YAML). */
export function isHelmChartTemplateFile(path: string): boolean {
  return helmChartOfTemplate(path, (dir) => existsSync(join(dir, CHART_FILE))) !== undefined;
}

export type YamlReadResult = { ok: true; text: string } | { ok: false; reason: string };

/** Decodes file bytes as UTF-8 text, refusing binary (NUL bytes) and invalid UTF-8. Strips a BOM. */
export function decodeYamlBytes(bytes: Uint8Array): YamlReadResult {
  if (bytes.subarray(0, 8192).includes(0)) return { ok: false, reason: 'binary content' };
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, text };
  } catch {
    return { ok: false, reason: 'not valid UTF-8' };
  }
}

/** Reads one YAML file, refusing files over `maxBytes`, binary files and non-UTF-8 files. */
export async function readYamlFile(path: string, maxBytes = MAX_YAML_FILE_BYTES): Promise<YamlReadResult> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return { ok: false, reason: 'not a regular file' };
    if (info.size > maxBytes) return { ok: false, reason: `larger than ${Math.round(maxBytes / 1024 / 1024)} MB` };
    return decodeYamlBytes(await readFile(path));
  } catch (error) {
    return { ok: false, reason: describeFsError(error) };
  }
}

export function describeFsError(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'not a directory';
  return error instanceof Error ? error.message : String(error);
}

export interface WalkResult {
  /** Absolute or root-relative paths (as joined from the root) of YAML files, sorted. */
  files: string[];
  /** Directories that could not be read, with the reason. */
  errors: Array<{ path: string; reason: string }>;
  /** True when the walk stopped at `maxFiles`. */
  truncated: boolean;
  /** `templates/` folders of Helm charts that were not walked (their files are Go templates). */
  chartTemplateDirs: string[];
}

/**
 * Walks `root` recursively for `*.yaml`/`*.yml`; a bounded, cancellable-by-limit breadth-first walk.
 * The templates/ folder of a directory holding Chart.yaml is skipped: Helm renders it, it is not YAML yet.
 */
export async function walkYamlFiles(root: string, options: { maxFiles?: number; isCancelled?: () => boolean } = {}): Promise<WalkResult> {
  const maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
  const files: string[] = [];
  const errors: WalkResult['errors'] = [];
  const chartTemplateDirs: string[] = [];
  const queue = [root];
  while (queue.length > 0) {
    if (options.isCancelled?.()) break;
    const dir = queue.shift() as string;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      errors.push({ path: dir, reason: describeFsError(error) });
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const isChart = entries.some((entry) => entry.name === CHART_FILE && !entry.isDirectory());
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (isChart && entry.name === CHART_TEMPLATES_DIR) chartTemplateDirs.push(path);
        else if (!SKIPPED_DIRECTORIES.has(entry.name)) queue.push(path);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && isYamlPath(entry.name)) {
        if (files.length >= maxFiles) return { files: files.sort(), errors, truncated: true, chartTemplateDirs };
        files.push(path);
      }
    }
  }
  return { files: files.sort(), errors, truncated: false, chartTemplateDirs };
}
