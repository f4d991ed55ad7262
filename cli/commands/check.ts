// `flux-oci check [paths…] [--format text|json|sarif|codequality] [--online]`: feeds every YAML file under the paths into one
// WorkspaceIndex (so cross-file references resolve) and prints its diagnostics; only --online contacts registries.
import { stat } from 'node:fs/promises';
import { normalize, resolve } from 'node:path';
import { WorkspaceIndex } from '../../core/workspace/workspace-index';
import { repositoryRootsOf } from '../../core/workspace/repository-roots';
import { describeFsError, isHelmChartTemplateFile, readYamlFile, walkYamlFiles } from '../../core/workspace/yaml-file-walker';
import type { CliIO } from '../cli-io';
import { LOOPBACK_REGISTRY_HOSTS } from '../../core/oci/plain-http-hosts';
import type { CheckReport } from '../format/check-report';
import { formatJson } from '../format/json';
import { formatCodeQuality } from '../format/codequality';
import { formatSarif } from '../format/sarif';
import { formatText } from '../format/text';

export type CheckFormat = 'text' | 'json' | 'sarif' | 'codequality';

export interface CheckOptions {
  paths: string[];
  format: CheckFormat;
  /** Resolve refs against the registries and add the live diagnostics (`--online`). */
  online: boolean;
  timeoutSeconds: number;
  insecureHosts: string[];
  cacheDir?: string;
  newerVersionHints: boolean;
}

const USAGE = `usage: flux-oci check [paths…] [--format text|json|sarif|codequality] [--online [--timeout SECONDS]
                       [--insecure-host HOST[:PORT]]… [--cache-dir DIR] [--no-newer-hints]]

Validates Flux OCIRepository and HelmRelease manifests. Directories are walked
recursively for *.yaml and *.yml (node_modules and .git are skipped). Default path: .

--online  also resolves every OCIRepository against its registry (the tag Flux would
          pick and its digest, as "resolved" in JSON) and reports the editor's live
          diagnostics: tag not found, no tag matches the range, chart version mismatches,
          and HelmRelease values that the chart version selected now (warning) or the
          newer version outside the range (hint) no longer has or its schema rejects.
          Credentials: the OCIRepository's secretRef Secret when it is in the checked
          files, then ~/.docker/config.json (or $DOCKER_CONFIG). Plain HTTP only for
          insecure: true or --insecure-host (default: loopback).

--format  text (default), json, sarif (GitHub code scanning) or codequality
          (GitLab's Code Quality report, for artifacts:reports:codequality).

exit codes: 0 no errors, 1 errors found, 2 usage or I/O error
`;

class UsageError extends Error {}

export function parseCheckArgs(argv: string[]): CheckOptions | 'help' {
  const paths: string[] = [];
  let format: CheckFormat = 'text';
  let online = false;
  let timeoutSeconds = 15;
  const insecureHosts: string[] = [];
  let cacheDir: string | undefined;
  let newerVersionHints = true;
  const valueOf = (arg: string, name: string, i: number): string => {
    const value = arg === name ? argv[i + 1] : arg.slice(name.length + 1);
    if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg === '--format' ? argv[++i] : arg.slice('--format='.length);
      if (value !== 'text' && value !== 'json' && value !== 'sarif' && value !== 'codequality') {
        throw new UsageError(value === undefined ? '--format needs a value: text, json, sarif or codequality' : `unknown format "${value}" (use text, json, sarif or codequality)`);
      }
      format = value;
    } else if (arg === '--online') {
      online = true;
    } else if (arg === '--no-newer-hints') {
      newerVersionHints = false;
    } else if (arg === '--timeout' || arg.startsWith('--timeout=')) {
      const value = valueOf(arg, '--timeout', i);
      if (arg === '--timeout') i++;
      timeoutSeconds = Number(value);
      if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout takes a number of seconds, not "${value}"`);
    } else if (arg === '--insecure-host' || arg.startsWith('--insecure-host=')) {
      insecureHosts.push(valueOf(arg, '--insecure-host', i));
      if (arg === '--insecure-host') i++;
    } else if (arg === '--cache-dir' || arg.startsWith('--cache-dir=')) {
      cacheDir = valueOf(arg, '--cache-dir', i);
      if (arg === '--cache-dir') i++;
    } else if (arg === '--') {
      paths.push(...argv.slice(i + 1));
      break;
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option "${arg}"`);
    } else {
      paths.push(arg);
    }
  }
  const usesOnlineOptions = insecureHosts.length > 0 || cacheDir !== undefined || timeoutSeconds !== 15 || !newerVersionHints;
  if (usesOnlineOptions && !online) throw new UsageError('--timeout, --insecure-host, --cache-dir and --no-newer-hints need --online');
  return { paths: paths.length ? paths : ['.'], format, online, timeoutSeconds, insecureHosts, cacheDir, newerVersionHints };
}

interface InputFile {
  display: string;
  absolute: string;
  text: string;
}

/** Collects the YAML files named by the paths; a missing path or an unreadable named file is an I/O error. */
async function collectFiles(paths: string[], io: CliIO): Promise<InputFile[] | string> {
  const files: InputFile[] = [];
  const seen = new Set<string>();
  for (const given of paths) {
    let info;
    try {
      info = await stat(given);
    } catch (error) {
      return `${given}: ${describeFsError(error)}`;
    }
    const candidates: Array<{ display: string; explicit: boolean }> = [];
    if (info.isDirectory()) {
      const walk = await walkYamlFiles(given);
      for (const error of walk.errors) io.err(`flux-oci check: skipped ${error.path}: ${error.reason}\n`);
      if (walk.truncated) io.err(`flux-oci check: ${given} has too many YAML files; only the first ${walk.files.length} are checked\n`);
      for (const dir of walk.chartTemplateDirs) io.err(`flux-oci check: skipped ${dir}: Helm chart templates (Go templates, YAML only once Helm renders them)\n`);
      for (const file of walk.files) candidates.push({ display: file, explicit: false });
    } else if (isHelmChartTemplateFile(resolve(given))) {
      io.err(`flux-oci check: skipped ${given}: a Helm chart template (a Go template, YAML only once Helm renders it)\n`);
    } else {
      candidates.push({ display: given, explicit: true });
    }
    for (const candidate of candidates) {
      const absolute = resolve(candidate.display);
      if (seen.has(absolute)) continue;
      seen.add(absolute);
      const read = await readYamlFile(absolute);
      if (!read.ok) {
        if (candidate.explicit) return `${candidate.display}: ${read.reason}`;
        io.err(`flux-oci check: skipped ${candidate.display}: ${read.reason}\n`);
        continue;
      }
      files.push({ display: normalize(candidate.display), absolute, text: read.text });
    }
  }
  return files;
}

/** Indexes all files together, then analyzes each one in input order. */
function checkFilesWithIndex(files: Array<{ display: string; absolute: string; text: string }>, roots: readonly string[]): { report: CheckReport; index: WorkspaceIndex } {
  const index = new WorkspaceIndex();
  index.setRepositoryRoots(roots);
  for (const file of files) index.setFile(file.absolute, file.text);
  const report = {
    files: files.map((file) => {
      const analysis = index.analyze(file.absolute);
      return { path: file.display, diagnostics: analysis.diagnostics, objects: analysis.objects.map((o) => ({ ...o })) };
    }),
  };
  return { report, index };
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  let options: CheckOptions | 'help';
  try {
    options = parseCheckArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`flux-oci check: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    io.out(USAGE);
    return 0;
  }
  const files = await collectFiles(options.paths, io);
  if (typeof files === 'string') {
    io.err(`flux-oci check: ${files}\n`);
    return 2;
  }
  const { report, index } = checkFilesWithIndex(files, await repositoryRootsOf(options.paths));
  if (options.online) {
    // Loaded only here: the registry client (undici) is most of the CLI's code, and offline checks never need it.
    const { addOnlineResults } = await import('./check-online');
    await addOnlineResults(
      report,
      index,
      files.map((f) => f.absolute),
      {
        timeoutMs: options.timeoutSeconds * 1000,
        insecureHosts: options.insecureHosts.length ? [...LOOPBACK_REGISTRY_HOSTS, ...options.insecureHosts] : undefined,
        cacheDir: options.cacheDir,
        newerVersionHints: options.newerVersionHints,
      },
      () => {},
    );
  }
  const render = { text: formatText, json: formatJson, sarif: formatSarif, codequality: formatCodeQuality }[options.format];
  io.out(render(report));
  return report.files.some((f) => f.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}
