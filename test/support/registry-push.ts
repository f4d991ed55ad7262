// Pushes blobs, manifests, Helm charts, Flux artifacts, images and many tags into a real registry over the distribution API.
// Test-only and independent of core/oci (so a client bug cannot hide a harness bug); handles Basic and Bearer auth for pushing.
import { createHash } from 'node:crypto';
import { fetch, type RequestInit, type Response } from 'undici';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tgz, type TarEntry } from './tar';
import type { PushCredentials } from './registry';

/** A registry URL (http://127.0.0.1:PORT), or a started Registry (its push credentials and data dir are used). */
export type PushTarget = string | { url: string; pushAuth?: PushCredentials; dataDir?: string };

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { architecture: string; os: string; variant?: string };
  /** For referrers (OCI 1.1): the artifact type of the referring manifest. */
  artifactType?: string;
}

export interface PushedManifest {
  digest: string;
  size: number;
  bytes: Buffer;
  mediaType: string;
}

export const MediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  helmConfig: 'application/vnd.cncf.helm.config.v1+json',
  helmChart: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
  helmProvenance: 'application/vnd.cncf.helm.chart.provenance.v1.prov',
  fluxConfig: 'application/vnd.cncf.flux.config.v1+json',
  fluxContent: 'application/vnd.cncf.flux.content.v1.tar+gzip',
} as const;

export const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

const baseUrl = (target: PushTarget) => (typeof target === 'string' ? target : target.url).replace(/\/+$/, '');
const authCache = new Map<string, string>();

function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  const re = /([a-zA-Z_]+)="([^"]*)"/g;
  for (let m = re.exec(header); m; m = re.exec(header)) params[m[1].toLowerCase()] = m[2];
  return { scheme, params };
}

async function authorizationFor(target: PushTarget, repo: string, challenge: string): Promise<string> {
  const creds = typeof target === 'string' ? undefined : target.pushAuth;
  const { scheme, params } = parseChallenge(challenge);
  if (!creds) throw new Error(`push to ${repo}: the registry asks for ${scheme} auth but the push target has no credentials`);
  const basic = `Basic ${Buffer.from(`${creds.user}:${creds.pass}`).toString('base64')}`;
  if (scheme === 'basic') return basic;
  const url = new URL(params.realm);
  if (params.service) url.searchParams.set('service', params.service);
  url.searchParams.append('scope', `repository:${repo}:pull,push`);
  const res = await fetch(url, { headers: { authorization: basic } });
  if (!res.ok) throw new Error(`push to ${repo}: token server answered ${res.status}`);
  const body = (await res.json()) as { token?: string; access_token?: string };
  return `Bearer ${body.token ?? body.access_token}`;
}

/** fetch() against the registry with push auth handled (one retry after a 401 challenge). */
async function registryFetch(target: PushTarget, repo: string, url: string, init: RequestInit = {}): Promise<Response> {
  const key = `${baseUrl(target)} ${repo}`;
  const send = (auth?: string) => fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), ...(auth ? { authorization: auth } : {}) } });
  let res = await send(authCache.get(key));
  if (res.status === 401) {
    await res.arrayBuffer();
    const auth = await authorizationFor(target, repo, res.headers.get('www-authenticate') ?? '');
    authCache.set(key, auth);
    res = await send(auth);
  }
  return res;
}

async function expectStatus(res: Response, ok: number[], what: string): Promise<Response> {
  if (!ok.includes(res.status)) throw new Error(`${what}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
  return res;
}

/** Uploads one blob (skipped when the registry already has it) and returns its descriptor. */
export async function pushBlob(target: PushTarget, repo: string, data: Buffer | string, mediaType = 'application/octet-stream'): Promise<Descriptor> {
  const bytes = Buffer.from(data);
  const digest = sha256(bytes);
  const base = baseUrl(target);
  const head = await registryFetch(target, repo, `${base}/v2/${repo}/blobs/${digest}`, { method: 'HEAD' });
  if (head.status === 200) return { mediaType, digest, size: bytes.length };
  const start = await expectStatus(await registryFetch(target, repo, `${base}/v2/${repo}/blobs/uploads/`, { method: 'POST' }), [202], `start upload to ${repo}`);
  await start.arrayBuffer();
  const location = new URL(start.headers.get('location') ?? '', `${base}/`);
  location.searchParams.set('digest', digest);
  const put = await registryFetch(target, repo, location.toString(), {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
    body: bytes,
  });
  await (await expectStatus(put, [201], `upload blob to ${repo}`)).arrayBuffer();
  return { mediaType, digest, size: bytes.length };
}

/** PUTs a manifest under a tag (or its digest when no tag is given). */
export async function pushManifest(target: PushTarget, repo: string, manifest: object | Buffer, tag?: string, mediaType?: string): Promise<PushedManifest> {
  const bytes = Buffer.isBuffer(manifest) ? manifest : Buffer.from(JSON.stringify(manifest));
  const type = mediaType ?? (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType ?? MediaTypes.ociManifest;
  const digest = sha256(bytes);
  const res = await registryFetch(target, repo, `${baseUrl(target)}/v2/${repo}/manifests/${tag ?? digest}`, {
    method: 'PUT',
    headers: { 'content-type': type },
    body: bytes,
  });
  await (await expectStatus(res, [201], `push manifest ${repo}:${tag ?? digest}`)).arrayBuffer();
  return { digest, size: bytes.length, bytes, mediaType: type };
}

export interface HelmChartSpec {
  name: string;
  version: string;
  appVersion?: string;
  description?: string;
  /** Extra files inside the chart dir, path relative to `<name>/`. */
  files?: Record<string, string>;
  /** Default: version with `+` replaced by `_`, as Helm does. */
  tag?: string;
  /** Adds a provenance layer (layers are then sorted by digest, as Helm does). */
  provenance?: boolean;
}

export interface PushedArtifact extends PushedManifest {
  tag: string;
  config: Descriptor;
  layers: Descriptor[];
  /** The main content blob (chart .tgz, Flux artifact .tgz, or first image layer). */
  content: Buffer;
}

/** Builds a real chart .tgz and pushes it the way `helm push` stores it. */
export async function pushHelmChart(target: PushTarget, repo: string, spec: HelmChartSpec): Promise<PushedArtifact> {
  const chartYaml =
    `apiVersion: v2\nname: ${spec.name}\nversion: ${spec.version}\n` +
    (spec.appVersion ? `appVersion: "${spec.appVersion}"\n` : '') +
    `description: ${spec.description ?? 'A test chart'}\ntype: application\n`;
  const entries: TarEntry[] = [
    { name: `${spec.name}/Chart.yaml`, content: chartYaml },
    { name: `${spec.name}/values.yaml`, content: 'replicaCount: 1\nimage:\n  repository: nginx\n  tag: ""\n' },
    { name: `${spec.name}/templates/deployment.yaml`, content: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n' },
    ...Object.entries(spec.files ?? {}).map(([path, content]) => ({ name: `${spec.name}/${path}`, content })),
  ];
  const chart = tgz(entries);
  const configJson = { name: spec.name, version: spec.version, appVersion: spec.appVersion, description: spec.description ?? 'A test chart', apiVersion: 'v2', type: 'application' };
  const config = await pushBlob(target, repo, JSON.stringify(configJson), MediaTypes.helmConfig);
  const layers = [await pushBlob(target, repo, chart, MediaTypes.helmChart)];
  if (spec.provenance) layers.push(await pushBlob(target, repo, `-----BEGIN PGP SIGNED MESSAGE-----\nname: ${spec.name}\n`, MediaTypes.helmProvenance));
  layers.sort((a, b) => a.digest.localeCompare(b.digest));
  const tag = spec.tag ?? spec.version.replace(/\+/g, '_');
  const manifest = { schemaVersion: 2, config, layers, annotations: { 'org.opencontainers.image.title': spec.name, 'org.opencontainers.image.version': spec.version } };
  const pushed = await pushManifest(target, repo, manifest, tag, MediaTypes.ociManifest);
  return { ...pushed, tag, config, layers, content: chart };
}

export interface FluxArtifactSpec {
  tag: string;
  files?: Record<string, string>;
  source?: string;
  revision?: string;
  created?: string;
}

/** Pushes an artifact shaped like `flux push artifact` output. */
export async function pushFluxArtifact(target: PushTarget, repo: string, spec: FluxArtifactSpec): Promise<PushedArtifact> {
  const files = spec.files ?? { 'deploy/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n' };
  const content = tgz(Object.entries(files).map(([name, c]) => ({ name, content: c })));
  const config = await pushBlob(target, repo, '{}', MediaTypes.fluxConfig);
  const layer = await pushBlob(target, repo, content, MediaTypes.fluxContent);
  const annotations = {
    'org.opencontainers.image.created': spec.created ?? '2024-05-01T10:00:00Z',
    'org.opencontainers.image.source': spec.source ?? 'https://github.com/example/app',
    'org.opencontainers.image.revision': spec.revision ?? 'main@sha1:0123456789abcdef0123456789abcdef01234567',
  };
  const manifest = { schemaVersion: 2, mediaType: MediaTypes.ociManifest, config, layers: [layer], annotations };
  const pushed = await pushManifest(target, repo, manifest, spec.tag, MediaTypes.ociManifest);
  return { ...pushed, tag: spec.tag, config, layers: [layer], content };
}

export interface ImageSpec {
  tag: string;
  /** 'oci' (default) or 'docker' (schema2 media types). */
  format?: 'oci' | 'docker';
  layers?: Buffer[];
  architecture?: string;
  os?: string;
}

/** Pushes a small container image (config + layers). */
export async function pushImage(target: PushTarget, repo: string, spec: ImageSpec): Promise<PushedArtifact> {
  const docker = spec.format === 'docker';
  const layerBlobs = spec.layers ?? [tgz([{ name: 'hello.txt', content: `hello from ${repo}:${spec.tag}\n` }])];
  const configJson = { architecture: spec.architecture ?? 'amd64', os: spec.os ?? 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: {} };
  const config = await pushBlob(target, repo, JSON.stringify(configJson), docker ? MediaTypes.dockerConfig : MediaTypes.ociConfig);
  const layers: Descriptor[] = [];
  for (const blob of layerBlobs) layers.push(await pushBlob(target, repo, blob, docker ? MediaTypes.dockerLayer : MediaTypes.ociLayerGzip));
  const mediaType = docker ? MediaTypes.dockerManifest : MediaTypes.ociManifest;
  const pushed = await pushManifest(target, repo, { schemaVersion: 2, mediaType, config, layers }, spec.tag, mediaType);
  return { ...pushed, tag: spec.tag, config, layers, content: layerBlobs[0] };
}

/** Pushes an OCI index over already-pushed manifests. */
export async function pushIndex(target: PushTarget, repo: string, tag: string, manifests: Descriptor[]): Promise<PushedManifest> {
  return pushManifest(target, repo, { schemaVersion: 2, mediaType: MediaTypes.ociIndex, manifests }, tag, MediaTypes.ociIndex);
}

export interface ManyTagsOptions {
  /** 'http' PUTs every tag; 'disk' (default when the target is a started Registry) writes the tag links into its storage directly. */
  via?: 'http' | 'disk';
  concurrency?: number;
}

/** Points many tags at one small manifest, fast (10,000 tags in about a second via disk, tens of seconds via HTTP). */
export async function pushManyTags(target: PushTarget, repo: string, tags: string[], options: ManyTagsOptions = {}): Promise<PushedManifest> {
  const first = tags[0] ?? 'latest';
  const image = await pushImage(target, repo, { tag: first });
  const dataDir = typeof target === 'string' ? undefined : target.dataDir;
  const via = options.via ?? (dataDir ? 'disk' : 'http');
  if (via === 'disk' && dataDir) {
    const hex = image.digest.slice('sha256:'.length);
    const tagsDir = join(dataDir, 'data', 'docker', 'registry', 'v2', 'repositories', repo, '_manifests', 'tags');
    for (const tag of tags) {
      mkdirSync(join(tagsDir, tag, 'current'), { recursive: true });
      writeFileSync(join(tagsDir, tag, 'current', 'link'), image.digest);
      mkdirSync(join(tagsDir, tag, 'index', 'sha256', hex), { recursive: true });
      writeFileSync(join(tagsDir, tag, 'index', 'sha256', hex, 'link'), image.digest);
    }
    return image;
  }
  const queue = tags.slice(1);
  const worker = async () => {
    for (let tag = queue.pop(); tag !== undefined; tag = queue.pop()) await pushManifest(target, repo, image.bytes, tag, image.mediaType);
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  return image;
}
