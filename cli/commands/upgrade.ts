// `flux-oci upgrade REF --from A --to B [--values FILE] [--format text|json]`: the upgrade report for CI (say, on a
// Renovate pull request): both chart versions pulled and verified, compared for the given values. Output only here.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isScalar, parseAllDocuments, type Node } from 'yaml';
import { defaultCacheDir } from '../../core/artifacts/pull-reference';
import { toValueNode, type ValueNode } from '../../core/live/json-schema-validate';
import { loadChartVersion } from '../../core/live/upgrade-charts';
import { renderUpgradeText } from '../../core/live/upgrade-render';
import { buildUpgradeReport } from '../../core/live/upgrade-report';
import { dockerConfigCredentials } from '../../core/oci/credentials/docker-config-file';
import { parseOciReference } from '../../core/oci/reference';
import { RegistryClient } from '../../core/oci/registry-client';
import { LineMap } from '../../core/text-range';
import type { CliIO } from '../cli-io';

const USAGE = `usage: flux-oci upgrade REF --from VERSION --to VERSION [--values FILE] [--format text|json]
                        [--insecure] [--cache-dir DIR] [--timeout SECONDS]

Pulls both versions of the chart at REF (oci://host/repository; a tag on it is ignored),
verifies them against their digests and reports what the upgrade changes for the values:
keys the values set that the new values.yaml no longer has (with the likely rename),
values the new values.schema.json rejects, changed defaults, Chart.yaml (version,
appVersion, kubeVersion, dependencies, deprecated), crds/, templates and image tags.

--values FILE   a Helm values file, or a manifest with a HelmRelease (its spec.values)
--format        text (default) or json (the whole report; ranges are 0-based)
--insecure      allow plain HTTP to this registry (loopback always may)
--cache-dir DIR content cache (default $XDG_CACHE_HOME/flux-oci or ~/.cache/flux-oci)

exit codes: 0 nothing breaking, 1 breaking findings, 2 usage, registry or I/O error
`;

interface UpgradeOptions {
  reference: string;
  from: string;
  to: string;
  valuesFile?: string;
  format: 'text' | 'json';
  insecure: boolean;
  cacheDir: string;
  timeoutMs: number;
}

function parseArgs(argv: string[]): UpgradeOptions | 'help' | string {
  const values: Record<string, string> = {};
  let reference: string | undefined;
  let insecure = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--insecure') {
      insecure = true;
      continue;
    }
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (['--from', '--to', '--values', '--format', '--cache-dir', '--timeout'].includes(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') return `${flag} needs a value`;
      values[flag] = value;
    } else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else if (reference === undefined) reference = arg;
    else return `unexpected argument "${arg}"`;
  }
  if (!reference) return 'a chart reference (oci://host/repository) is required';
  if (!values['--from'] || !values['--to']) return '--from and --to are both required';
  const format = values['--format'] ?? 'text';
  if (format !== 'text' && format !== 'json') return `unknown format "${format}" (use text or json)`;
  const timeout = Number(values['--timeout'] ?? '30');
  if (!Number.isFinite(timeout) || timeout <= 0) return `--timeout takes a number of seconds, not "${values['--timeout']}"`;
  return {
    reference,
    from: values['--from'],
    to: values['--to'],
    ...(values['--values'] ? { valuesFile: values['--values'] } : {}),
    format,
    insecure,
    cacheDir: values['--cache-dir'] ?? defaultCacheDir(),
    timeoutMs: timeout * 1000,
  };
}

/** The values node of a values file, or of the first HelmRelease's spec.values in a manifest file. */
export function valuesFromFile(text: string, file: string): { node?: ValueNode; label: string } | { error: string } {
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  if (!Array.isArray(docs)) return { node: undefined, label: file };
  const broken = docs.find((d) => d.errors.length > 0);
  if (broken) return { error: `${file} is not valid YAML: ${broken.errors[0]!.message.split('\n')[0]}` };
  const lineMap = new LineMap(text);
  const field = (node: unknown, key: string): Node | undefined => (isMap(node) ? (node.items.find((p) => isScalar(p.key) && p.key.value === key)?.value as Node | undefined) : undefined);
  for (const doc of docs) {
    const kind = field(doc.contents, 'kind');
    if (!isScalar(kind) || kind.value !== 'HelmRelease') continue;
    const name = field(field(doc.contents, 'metadata'), 'name');
    const values = field(field(doc.contents, 'spec'), 'values');
    const label = `HelmRelease ${isScalar(name) ? String(name.value) : '?'} in ${file}`;
    return values ? { node: toValueNode(values, lineMap), label } : { label };
  }
  const first = docs[0]?.contents;
  if (first && !isMap(first)) return { error: `${file} holds no mapping of values.` };
  return first ? { node: toValueNode(first, lineMap), label: file } : { label: file };
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const options = parseArgs(argv);
  if (options === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (typeof options === 'string') {
    io.err(`flux-oci upgrade: ${options}\n\n${USAGE}`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseOciReference(options.reference);
  } catch (error) {
    io.err(`flux-oci upgrade: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  let values: { node?: ValueNode; label: string } | undefined;
  if (options.valuesFile) {
    let text: string;
    try {
      text = await readFile(options.valuesFile, 'utf8');
    } catch (error) {
      io.err(`flux-oci upgrade: cannot read ${options.valuesFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
      return 2;
    }
    const read = valuesFromFile(text, options.valuesFile);
    if ('error' in read) {
      io.err(`flux-oci upgrade: ${read.error}\n`);
      return 2;
    }
    values = read;
  }
  const repository = { registry: parsed.registry, repository: parsed.repository, ...(options.insecure ? { insecure: true } : {}) };
  const client = new RegistryClient({ timeoutMs: options.timeoutMs, credentials: dockerConfigCredentials(), diskCacheDir: join(options.cacheDir, 'registry') });
  try {
    const load = (reference: string) => loadChartVersion({ client, repository, request: {}, reference, cacheDir: join(options.cacheDir, 'charts') });
    const [from, to] = await Promise.all([load(options.from), load(options.to)]);
    for (const side of [from, to]) {
      if (!side.ok) {
        io.err(`flux-oci upgrade: ${side.message}\n`);
        return 2;
      }
    }
    if (!from.ok || !to.ok) return 2;
    const source = `oci://${parsed.registry}/${parsed.repository}`;
    const report = await buildUpgradeReport({ source, from: from.chart, to: to.chart, ...(values?.node ? { release: values.node } : {}), ...(values ? { valuesOf: values.label } : {}) });
    io.out(options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderUpgradeText(report));
    return report.breaking > 0 ? 1 : 0;
  } finally {
    await client.close().catch(() => undefined);
  }
}
