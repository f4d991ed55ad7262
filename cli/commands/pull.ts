// `flux-oci pull REF --output DIR`: pulls, verifies and safely extracts the layer Flux would use, then copies it to DIR.
// DIR must be new or empty; files are staged beside it and renamed into place, so nothing is ever written outside DIR.
import { constants as fsConstants } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import type { CliIO } from '../cli-io';
import { normaliseEntryPath } from '../../core/artifacts/entry-path';
import { formatBytes } from '../../core/artifacts/limits';
import type { ExtractedFile } from '../../core/artifacts/safe-extract';
import { exitCodeFor, parsePullArgs, pullWithArgs } from '../pull-options';
import { NETWORK_FLAGS_HELP } from '../network-flags';

const HELP = `usage: flux-oci pull REF --output DIR [options]

Pulls an OCI artifact or Helm chart (oci://host/repo:tag or …@sha256:…), verifies every byte against
its digest and extracts the layer Flux would use into DIR (which must be new or empty).

options:
  --output DIR, -o DIR      where to put the files (required)
  --insecure                allow plain HTTP to this registry
  --provider aws|azure|gcp  sign in with that cloud's own credentials, as spec.provider does
  --layer-media-type TYPE   choose the layer like spec.layerSelector.mediaType
  --image-layers            allow extracting a container image's chosen layer
  --cache-dir DIR           content cache (default $XDG_CACHE_HOME/flux-oci or ~/.cache/flux-oci)
  --max-bytes N             refuse archives expanding past N bytes (default 104857600)
  --max-files N             refuse archives with more than N entries (default 10000)
${NETWORK_FLAGS_HELP}`;

/** Copies the cached tree into a staging directory beside `output`, then renames it into place. */
async function copyTree(root: string, files: ExtractedFile[], output: string): Promise<void> {
  const target = resolve(output);
  const existing = await stat(target).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new Error(`${output} exists and is not a directory.`);
  if (existing && (await readdir(target)).length > 0) throw new Error(`${output} is not empty; choose a new or empty directory.`);
  await mkdir(dirname(target), { recursive: true });
  const staging = join(dirname(target), `.${basename(target)}.partial-${randomBytes(6).toString('hex')}`);
  await mkdir(staging, { mode: 0o755 });
  try {
    for (const file of files) {
      const relative = normaliseEntryPath(file.path); // already checked at extraction; checked again at the boundary
      const destination = join(staging, relative);
      await mkdir(dirname(destination), { recursive: true });
      await copyFile(join(root, relative), destination, fsConstants.COPYFILE_EXCL);
    }
    if (existing) await rmdir(target);
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(HELP);
    return 0;
  }
  const normalised = argv.map((a) => (a === '-o' ? '--output' : a));
  const parsed = parsePullArgs(normalised, { '--output': 'value' });
  if ('error' in parsed) {
    io.err(`flux-oci pull: ${parsed.error}\n\n${HELP}`);
    return 2;
  }
  const { args, values } = parsed;
  const output = values['--output'];
  if (!args.reference || typeof output !== 'string') {
    io.err(`flux-oci pull: ${args.reference ? '--output DIR is required' : 'a reference is required'}\n\n${HELP}`);
    return 2;
  }
  const result = await pullWithArgs({ ...args, reference: args.reference });
  if (!result.ok) {
    io.err(`flux-oci pull: ${result.problem.message}\n`);
    return exitCodeFor(result.problem);
  }
  const pulled = result.value;
  if (!pulled.extracted || !pulled.root) {
    io.err(`flux-oci pull: ${pulled.reference} is a container image; pass --image-layers to extract its layer.\n`);
    return 1;
  }
  try {
    await copyTree(pulled.root, pulled.files, output);
  } catch (error) {
    io.err(`flux-oci pull: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const total = pulled.files.reduce((sum, f) => sum + f.size, 0);
  io.out(
    `${pulled.reference}\n  digest: ${pulled.digest}\n  layer:  ${pulled.layer.layer.mediaType} ${pulled.layer.layer.digest}\n  wrote ${pulled.files.length} files (${formatBytes(total)}) to ${output}\n`,
  );
  if (pulled.skippedSymlinks.length) io.out(`  skipped ${pulled.skippedSymlinks.length} symbolic link(s), as Flux does\n`);
  if (pulled.layer.warning) io.err(`warning: ${pulled.layer.warning}\n`);
  return 0;
}
