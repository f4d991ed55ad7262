// What a Flux Kustomization (kustomize.toolkit.fluxcd.io) tells the build: its directory (spec.path from the
// repository root), its own layer (targetNamespace, namePrefix/nameSuffix, spec.patches) and its postBuild. No I/O.
import { objectAtPath, stringAtPath } from './document-json';
import { isJsonObject, type JsonObject } from './json-patches';
import { readPatches, type Layer, type PatchFileReader } from './kustomize-layers';
import { joinPath } from './repository-paths';

const FLUX_KUSTOMIZATION_GROUP = 'kustomize.toolkit.fluxcd.io/';

export function isFluxKustomization(obj: { kind?: unknown; apiVersion?: unknown }): boolean {
  return obj.kind === 'Kustomization' && typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith(FLUX_KUSTOMIZATION_GROUP);
}

export interface SubstituteFromRef {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  optional: boolean;
}

export interface FluxKustomizationSpec {
  namespace: string;
  name: string;
  /** The directory Flux builds: spec.path joined to the repository root (never above it). */
  directory: string;
  layer: Layer;
  /** spec.components, resolved against the directory. */
  components: string[];
  patchFiles: string[];
  /** Present when spec.postBuild is set: Flux substitutes only then. */
  postBuild?: {
    substitute: Array<[string, string]>;
    substituteFrom: SubstituteFromRef[];
  };
}

/**
 * Reads an (effective) Flux Kustomization object; `root` is the repository root its source points at, `directory`
 * the folder it builds when known otherwise (an ExternalArtifact's path mapped into the repository).
 */
export function readFluxKustomization(obj: JsonObject, root: string, readFile: PatchFileReader, directoryOverride?: string): FluxKustomizationSpec {
  const name = stringAtPath(obj, 'metadata', 'name') ?? '';
  const namespace = stringAtPath(obj, 'metadata', 'namespace') ?? 'default';
  const spec = objectAtPath(obj, 'spec') ?? {};
  // kustomize-controller: securejoin(artifact root, spec.path): `/x`, `./x` and `x` all mean root/x; `..` stops at the root.
  const directory = directoryOverride ?? joinPath(root, stringAtPath(spec, 'path') ?? './', root);
  const { patches, files } = readPatches({ patches: Array.isArray(spec.patches) ? spec.patches : [] }, directory, readFile, root);
  const targetNamespace = stringAtPath(spec, 'targetNamespace');
  const layer: Layer = {
    origin: `Kustomization ${namespace}/${name}`,
    ...(targetNamespace ? { namespace: targetNamespace } : {}),
    namePrefix: stringAtPath(spec, 'namePrefix') ?? '',
    nameSuffix: stringAtPath(spec, 'nameSuffix') ?? '',
    patches,
  };
  const components = (Array.isArray(spec.components) ? spec.components : []).filter((c): c is string => typeof c === 'string').map((c) => joinPath(directory, c, root));
  const out: FluxKustomizationSpec = { namespace, name, directory, layer, components, patchFiles: files };
  const postBuild = objectAtPath(spec, 'postBuild');
  if (postBuild) {
    const substitute: Array<[string, string]> = [];
    const inline = objectAtPath(postBuild, 'substitute');
    for (const [key, value] of Object.entries(inline ?? {})) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') substitute.push([key, String(value).replace(/\n/g, '')]);
    }
    const substituteFrom: SubstituteFromRef[] = [];
    const from = postBuild.substituteFrom;
    if (Array.isArray(from)) {
      for (const ref of from) {
        if (!isJsonObject(ref) || (ref.kind !== 'ConfigMap' && ref.kind !== 'Secret') || typeof ref.name !== 'string') continue;
        substituteFrom.push({ kind: ref.kind, name: ref.name, optional: ref.optional === true });
      }
    }
    out.postBuild = { substitute, substituteFrom };
  }
  return out;
}

/** The values a ConfigMap or Secret offers substituteFrom, or why it offers none known here. */
export type VariableSourceValues = { ok: true; values: Array<[string, string]> } | { ok: false; reason: 'encrypted' | 'unreadable' };

/** ConfigMap `data`; Secret `stringData` and base64 `data` (newlines removed, as Flux does); SOPS-encrypted is unknown. */
export function variableSourceValues(obj: JsonObject): VariableSourceValues {
  if (isJsonObject(obj.sops)) return { ok: false, reason: 'encrypted' };
  const values: Array<[string, string]> = [];
  const data = objectAtPath(obj, 'data');
  const isSecret = obj.kind === 'Secret';
  for (const [key, value] of Object.entries(data ?? {})) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
    if (!isSecret) {
      values.push([key, String(value).replace(/\n/g, '')]);
      continue;
    }
    const text = String(value).replace(/\s/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return { ok: false, reason: 'unreadable' };
    values.push([key, Buffer.from(text, 'base64').toString('utf8').replace(/\n/g, '')]);
  }
  if (isSecret) {
    for (const [key, value] of Object.entries(objectAtPath(obj, 'stringData') ?? {})) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') values.push([key, String(value).replace(/\n/g, '')]);
    }
  }
  return { ok: true, values };
}
