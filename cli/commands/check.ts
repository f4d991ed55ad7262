// `flux-oci check [paths…] [--format text|json|sarif]`: feeds every YAML file under the paths into one
// WorkspaceIndex (so cross-file references resolve) and prints its offline diagnostics. Never contacts a registry.
import { stat } from 'node:fs/promises';
import { normalize, resolve } from 'node:path';
import { WorkspaceIndex } from '../../core/workspace/workspace-index';
import { describeFsError, readYamlFile, walkYamlFiles } from '../../server/src/yaml-file-walker';
import type { CliIO } from '../cli-io';
import type { CheckReport } from '../format/check-report';
import { formatJson } from '../format/json';
import { formatSarif } from '../format/sarif';
import { formatText } from '../format/text';

export type CheckFormat = 'text' | 'json' | 'sarif';

export interface CheckOptions {
  paths: string[];
  format: CheckFormat;
  // `--online` (registry-backed resolution) is added by the next issue: parse it here and pass it on to
  // a resolver step between indexing and formatting (see `runCheck`).
}

const USAGE = `usage: flux-oci check [paths…] [--format text|json|sarif]

Validates Flux OCIRepository and HelmRelease manifests offline. Directories are walked
recursively for *.yaml and *.yml (node_modules and .git are skipped). Default path: .

exit codes: 0 no errors, 1 errors found, 2 usage or I/O error
`;

class UsageError extends Error {}

export function parseCheckArgs(argv: string[]): CheckOptions | 'help' {
  const paths: string[] = [];
  let format: CheckFormat = 'text';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg === '--format' ? argv[++i] : arg.slice('--format='.length);
      if (value !== 'text' && value !== 'json' && value !== 'sarif') {
        throw new UsageError(value === undefined ? '--format needs a value: text, json or sarif' : `unknown format "${value}" (use text, json or sarif)`);
      }
      format = value;
    } else if (arg === '--') {
      paths.push(...argv.slice(i + 1));
      break;
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option "${arg}"`);
    } else {
      paths.push(arg);
    }
  }
  return { paths: paths.length ? paths : ['.'], format };
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
      for (const file of walk.files) candidates.push({ display: file, explicit: false });
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
export function checkFiles(files: Array<{ display: string; absolute: string; text: string }>): CheckReport {
  const index = new WorkspaceIndex();
  for (const file of files) index.setFile(file.absolute, file.text);
  return {
    files: files.map((file) => {
      const analysis = index.analyze(file.absolute);
      return { path: file.display, diagnostics: analysis.diagnostics, objects: analysis.objects };
    }),
  };
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
  const report = checkFiles(files);
  // The next issue's `--online` step goes here: resolve refs against registries and add `resolved` results.
  const render = { text: formatText, json: formatJson, sarif: formatSarif }[options.format];
  io.out(render(report));
  return report.files.some((f) => f.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}
