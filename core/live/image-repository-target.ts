// Turns an ImageRepository of the workspace into a registry repository with its credentials, as image-reflector-controller
// reads spec.image (Docker Hub defaults), secretRef, insecure and exclusionList (provider: see declared-providers.ts); says what differs.
import { isSeq, type YAMLMap } from 'yaml';
import type { FluxObject } from '../manifests/object-types';
import { getMap, getNode, scalarString } from '../manifests/yaml-ast';
import { parseOciUrl, type RepositoryRef } from '../oci/reference';
import { specOf } from '../workspace/image-automation-scope';
import type { WorkspaceIndex } from '../workspace/workspace-index';
import type { LiveOptions } from './live-options';
import { credentialsFor, type SourceCredentials } from './source-targets';

export interface ImageRepositoryTarget {
  path: string;
  object: FluxObject;
  /** spec.image as written (what a `:name` marker receives). */
  image: string;
  repository: RepositoryRef;
  credentials: SourceCredentials;
  /** spec.exclusionList; undefined when unset (the default applies). */
  exclusionList?: string[];
  /** Options of the object this editor cannot reproduce (cloud provider login, CA or proxy Secrets). */
  caveats: string[];
}

export type ImageRepositoryTargetResult = { ok: true; target: ImageRepositoryTarget } | { ok: false; message: string };

/** go-containerregistry's reading of an image name: a first part with `.` or `:` (or `localhost`) is a registry; else Docker Hub. */
export function imageRepositoryOf(image: string): { ok: true; repository: RepositoryRef } | { ok: false; message: string } {
  const trimmed = image.trim();
  if (trimmed === '') return { ok: false, message: 'spec.image is empty.' };
  if (trimmed.includes('@') || trimmed.slice(trimmed.lastIndexOf('/') + 1).includes(':')) {
    return { ok: false, message: `spec.image ${JSON.stringify(trimmed)} must name a repository without a tag or digest.` };
  }
  const slash = trimmed.indexOf('/');
  const first = slash < 0 ? '' : trimmed.slice(0, slash);
  const hasRegistry = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  const qualified = hasRegistry ? trimmed : `docker.io/${trimmed}`;
  try {
    const parsed = parseOciUrl(`oci://${qualified}`);
    return { ok: true, repository: { registry: parsed.registry, repository: parsed.repository } };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

function stringList(spec: YAMLMap | undefined, key: string): string[] | undefined {
  const node = getNode(spec, key);
  if (!isSeq(node)) return undefined;
  return node.items.map((item) => scalarString(item)).filter((v): v is string => v !== undefined);
}

/** The registry target of the ImageRepository `namespace/name`, or why there is none. */
export function imageRepositoryTarget(index: WorkspaceIndex, options: LiveOptions, namespace: string, name: string): ImageRepositoryTargetResult {
  const hit = index.findObject('ImageRepository', namespace, name);
  if (!hit) return { ok: false, message: `The ImageRepository '${name}' in namespace '${namespace}' is not in this workspace.` };
  const spec = specOf(index, hit.path, hit.object);
  const image = scalarString(getNode(spec, 'image'));
  if (!image) return { ok: false, message: `The ImageRepository ${namespace}/${name} has no spec.image.` };
  if (image.includes('${')) return { ok: false, message: 'spec.image uses a substitution variable; its value is only known in the cluster.' };
  const parsed = imageRepositoryOf(image);
  if (!parsed.ok) return parsed;
  const insecure = scalarString(getNode(spec, 'insecure')) === 'true';
  const repository: RepositoryRef = { ...parsed.repository, ...(insecure ? { insecure: true } : {}) };
  const secretName = scalarString(getNode(getMap(spec, 'secretRef'), 'name'));
  const credentials = credentialsFor(index, options, repository, secretName ? { namespace, name: secretName } : undefined);
  const caveats: string[] = [];
  const provider = scalarString(getNode(spec, 'provider'));
  if (provider && provider !== 'generic') caveats.push(`provider ${provider}: the cluster logs in with its workload identity; the editor signs in with this machine's ${provider} credentials`);
  for (const key of ['certSecretRef', 'proxySecretRef'] as const) {
    const secret = scalarString(getNode(getMap(spec, key), 'name'));
    if (secret) caveats.push(`${key} ${secret}: the editor uses this machine's CA trust and proxy settings instead`);
  }
  const target: ImageRepositoryTarget = { path: hit.path, object: hit.object, image: image.trim(), repository, credentials, caveats };
  const exclusionList = stringList(spec, 'exclusionList');
  if (exclusionList) target.exclusionList = exclusionList;
  return { ok: true, target };
}
