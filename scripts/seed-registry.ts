// Seeds a plain (no-auth) OCI registry with the demo's and the e2e tests' content (Helm charts, a Flux artifact,
// an image, several versions) and writes a copy of examples/ pointing at it. Pushes only; never deletes or edits examples/.
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tgz, type TarEntry } from '../test/support/tar';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const HELM_CONFIG = 'application/vnd.cncf.helm.config.v1+json';
const HELM_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
const FLUX_CONFIG = 'application/vnd.cncf.flux.config.v1+json';
const FLUX_LAYER = 'application/vnd.cncf.flux.content.v1.tar+gzip';
const IMAGE_CONFIG = 'application/vnd.oci.image.config.v1+json';
const IMAGE_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const CREATED = '2025-06-01T12:00:00Z';

export interface SeededRepository {
  repository: string;
  kind: 'helm-chart' | 'flux-artifact' | 'container-image';
  tags: string[];
}

/** What the seed pushes: the demo's examples and the e2e fixtures refer to these names and tags. */
export const SEED_PLAN: readonly SeededRepository[] = [
  {
    repository: 'charts/podinfo',
    kind: 'helm-chart',
    tags: ['6.5.0', '6.5.4', '6.6.0', '6.6.3', '6.7.0', '6.7.1', '6.8.0-rc.1'],
  },
  { repository: 'charts/redis', kind: 'helm-chart', tags: ['17.15.6', '18.0.0', '18.1.0', '18.1.5'] },
  { repository: 'manifests/webapp', kind: 'flux-artifact', tags: ['1.0.0', '1.1.0', '1.2.0', 'latest'] },
  { repository: 'images/podinfo', kind: 'container-image', tags: ['6.7.0', '6.7.1', 'latest'] },
];

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

async function failure(response: Response, what: string): Promise<Error> {
  const body = (await response.text()).slice(0, 300);
  return new Error(`${what} failed with HTTP ${response.status}: ${body}`);
}

async function pushBlob(registryUrl: string, repository: string, data: Buffer, mediaType: string): Promise<Descriptor> {
  const digest = sha256(data);
  const descriptor = { mediaType, digest, size: data.length };
  const head = await fetch(`${registryUrl}/v2/${repository}/blobs/${digest}`, { method: 'HEAD' });
  if (head.ok) return descriptor;
  const start = await fetch(`${registryUrl}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw await failure(start, `starting a blob upload to ${repository}`);
  await start.arrayBuffer();
  const location = start.headers.get('location');
  if (!location) throw new Error(`the registry gave no upload location for ${repository}`);
  const uploadUrl = new URL(location, registryUrl);
  uploadUrl.searchParams.set('digest', digest);
  const put = await fetch(uploadUrl, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream' },
    body: data,
  });
  if (put.status !== 201) throw await failure(put, `uploading blob ${digest} to ${repository}`);
  await put.arrayBuffer();
  return descriptor;
}

async function pushManifest(registryUrl: string, repository: string, tag: string, config: Descriptor, layers: Descriptor[], annotations: Record<string, string>): Promise<string> {
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers, annotations }));
  const put = await fetch(`${registryUrl}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'content-type': OCI_MANIFEST },
    body: manifest,
  });
  if (put.status !== 201) throw await failure(put, `pushing manifest ${repository}:${tag}`);
  await put.arrayBuffer();
  return sha256(manifest);
}

function chartFiles(name: string, version: string): TarEntry[] {
  const appVersion = version.replace(/-.*$/, '');
  const chartYaml = `apiVersion: v2\nname: ${name}\nversion: ${version}\nappVersion: "${appVersion}"\n` + `description: A demo ${name} chart for Flux OCI Sources\ntype: application\n`;
  const valuesYaml =
    `# Default values for ${name} ${version}.\nreplicaCount: 1\nimage:\n  repository: ghcr.io/example/${name}\n` +
    `  tag: "${appVersion}"\n  pullPolicy: IfNotPresent\nservice:\n  type: ClusterIP\n  port: 9898\n` +
    `ui:\n  message: ""\n  color: "#34577c"\nresources: {}\n`;
  const deployment =
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n` +
    `  replicas: {{ .Values.replicaCount }}\n  template:\n    spec:\n      containers:\n` +
    `        - name: ${name}\n          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n`;
  return [
    { name: `${name}/Chart.yaml`, content: chartYaml },
    { name: `${name}/values.yaml`, content: valuesYaml },
    { name: `${name}/templates/deployment.yaml`, content: deployment },
    { name: `${name}/README.md`, content: `# ${name}\n\nVersion ${version} of the demo chart.\n` },
  ];
}

async function pushHelmChart(registryUrl: string, repository: string, version: string): Promise<string> {
  const name = repository.split('/').pop() ?? repository;
  const appVersion = version.replace(/-.*$/, '');
  const config = Buffer.from(JSON.stringify({ apiVersion: 'v2', name, version, appVersion, description: `A demo ${name} chart`, type: 'application' }));
  const configDescriptor = await pushBlob(registryUrl, repository, config, HELM_CONFIG);
  const layer = await pushBlob(registryUrl, repository, tgz(chartFiles(name, version)), HELM_LAYER);
  return pushManifest(registryUrl, repository, version, configDescriptor, [layer], {
    'org.opencontainers.image.title': name,
    'org.opencontainers.image.version': version,
    'org.opencontainers.image.created': CREATED,
  });
}

async function pushFluxArtifact(registryUrl: string, repository: string, tag: string): Promise<string> {
  const replicas = tag === 'latest' ? 3 : Number(tag.split('.')[1] ?? 0) + 1;
  const files: TarEntry[] = [
    {
      name: 'deployment.yaml',
      content:
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: webapp\nspec:\n  replicas: ${replicas}\n` +
        `  selector:\n    matchLabels: { app: webapp }\n  template:\n    metadata:\n      labels: { app: webapp }\n` +
        `    spec:\n      containers:\n        - name: webapp\n          image: ghcr.io/example/webapp:${tag}\n`,
    },
    {
      name: 'service.yaml',
      content: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: webapp\nspec:\n  selector: { app: webapp }\n  ports:\n    - port: 80\n',
    },
    { name: 'kustomization.yaml', content: 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - service.yaml\n' },
  ];
  const config = await pushBlob(registryUrl, repository, Buffer.from('{}'), FLUX_CONFIG);
  const layer = await pushBlob(registryUrl, repository, tgz(files), FLUX_LAYER);
  return pushManifest(registryUrl, repository, tag, config, [layer], {
    'org.opencontainers.image.source': 'https://github.com/example/webapp',
    'org.opencontainers.image.revision': `${tag}@sha1:${createHash('sha1').update(tag).digest('hex')}`,
    'org.opencontainers.image.created': CREATED,
  });
}

async function pushImage(registryUrl: string, repository: string, tag: string): Promise<string> {
  const layerTar = tgz([{ name: 'app/version.txt', content: `${repository}:${tag}\n` }]);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Entrypoint: ['/app/run'] },
      rootfs: { type: 'layers', diff_ids: [sha256(layerTar)] },
    }),
  );
  const configDescriptor = await pushBlob(registryUrl, repository, config, IMAGE_CONFIG);
  const layer = await pushBlob(registryUrl, repository, layerTar, IMAGE_LAYER);
  return pushManifest(registryUrl, repository, tag, configDescriptor, [layer], {
    'org.opencontainers.image.created': CREATED,
  });
}

export interface SeedResult {
  repositories: Array<SeededRepository & { digests: Record<string, string> }>;
}

/** Pushes everything in SEED_PLAN to the registry at `registryUrl` (e.g. http://127.0.0.1:5000). */
export async function seedRegistry(registryUrl: string, log: (line: string) => void = () => {}): Promise<SeedResult> {
  const base = registryUrl.replace(/\/+$/, '');
  const repositories: SeedResult['repositories'] = [];
  for (const entry of SEED_PLAN) {
    const digests: Record<string, string> = {};
    for (const tag of entry.tags) {
      if (entry.kind === 'helm-chart') digests[tag] = await pushHelmChart(base, entry.repository, tag);
      else if (entry.kind === 'flux-artifact') digests[tag] = await pushFluxArtifact(base, entry.repository, tag);
      else digests[tag] = await pushImage(base, entry.repository, tag);
    }
    log(`seeded ${entry.repository} (${entry.kind}): ${entry.tags.join(', ')}`);
    repositories.push({ ...entry, digests });
  }
  return { repositories };
}

/** The registry host the files in examples/ name; copies get the real one. */
export const EXAMPLES_REGISTRY_PLACEHOLDER = 'localhost:5000';

function rewriteManifest(text: string, registryHost: string): string {
  const withHost = text.split(EXAMPLES_REGISTRY_PLACEHOLDER).join(registryHost);
  // Secrets carry the host inside base64 (dockerconfigjson): decode, rewrite, encode again.
  return withHost.replace(/^(\s*\.dockerconfigjson:\s*)([A-Za-z0-9+/=]+)\s*$/gm, (line, prefix: string, encoded: string) => {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    if (!decoded.includes(EXAMPLES_REGISTRY_PLACEHOLDER)) return line;
    const rewritten = decoded.split(EXAMPLES_REGISTRY_PLACEHOLDER).join(registryHost);
    return `${prefix}${Buffer.from(rewritten, 'utf8').toString('base64')}`;
  });
}

/** Copies the example workspace to `targetDir`, pointing every manifest at `registryHost` (e.g. 127.0.0.1:41234). */
export function writeExampleWorkspace(sourceDir: string, targetDir: string, registryHost: string): string[] {
  cpSync(sourceDir, targetDir, { recursive: true });
  const rewritten: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) {
        const before = readFileSync(path, 'utf8');
        const after = rewriteManifest(before, registryHost);
        if (after !== before) {
          writeFileSync(path, after);
          rewritten.push(path);
        }
      }
    }
  };
  walk(targetDir);
  return rewritten;
}

function optionValue(argv: string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  const url = argv[0];
  if (!url || !/^https?:\/\//.test(url)) {
    process.stderr.write('usage: tsx scripts/seed-registry.ts http://127.0.0.1:PORT [--json] [--workspace-from examples --workspace-to DIR]\n');
    return 2;
  }
  const result = await seedRegistry(url, (line) => process.stderr.write(`seed-registry: ${line}\n`));
  const from = optionValue(argv, '--workspace-from');
  const to = optionValue(argv, '--workspace-to');
  if (from && to) {
    const files = writeExampleWorkspace(from, to, new URL(url).host);
    process.stderr.write(`seed-registry: wrote ${to} (${files.length} manifests point at ${new URL(url).host})\n`);
  }
  if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}

if (/seed-registry\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`seed-registry: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
