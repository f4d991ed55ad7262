// Reads a kustomize.config.k8s.io Kustomization (or Component) into what the build model needs: its entries
// (resources, components) and one layer of transforms (namespace, namePrefix/nameSuffix, patches). No I/O.
import { parseAllDocuments } from 'yaml';
import { isJsonObject, type JsonObject, type JsonPatchOperation, type JsonValue } from './json-patches';
import { joinPath } from './repository-paths';

/** Which resources a patch applies to (kustomize's `target`; name/namespace/kind are anchored regular expressions). */
export interface PatchTarget {
  kind?: string;
  name?: string;
  namespace?: string;
  group?: string;
  version?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface LayerPatch {
  /** Absent: a strategic merge patch matched by its own kind and name. */
  target?: PatchTarget;
  merge?: JsonObject;
  operations?: JsonPatchOperation[];
}

/** One level of transforms, applied in kustomize's order: patches, then namespace, then prefix/suffix. */
export interface Layer {
  /** Where the layer comes from (a kustomization file, or `Kustomization flux-system/apps`). */
  origin: string;
  namespace?: string;
  namePrefix: string;
  nameSuffix: string;
  patches: LayerPatch[];
}

export interface KustomizationFileFacts {
  resources: string[];
  components: string[];
  layer: Layer;
  /** Files the layer's patches were read from. */
  patchFiles: string[];
}

/** Reads the documents of a patch file; undefined when the file is not indexed. */
export type PatchFileReader = (path: string) => JsonValue[] | undefined;

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function stringOf(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function targetOf(value: JsonValue | undefined): PatchTarget | undefined {
  if (!isJsonObject(value)) return undefined;
  const out: PatchTarget = {};
  for (const key of ['kind', 'name', 'namespace', 'group', 'version', 'labelSelector', 'annotationSelector'] as const) {
    const v = stringOf(value[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function isOperation(value: JsonValue): value is JsonObject & { op: string; path: string } {
  return isJsonObject(value) && typeof value.op === 'string' && typeof value.path === 'string';
}

/** Inline patch text (YAML or JSON): one or more strategic-merge documents, or a list of JSON6902 operations. */
function parsePatchText(text: string): JsonValue[] {
  try {
    return parseAllDocuments(text)
      .flatMap((d) => (d.errors.length ? [] : [d.toJS({ maxAliasCount: 100 }) as JsonValue]))
      .filter((v) => v !== null && v !== undefined);
  } catch {
    return [];
  }
}

/** Turns patch documents into layer patches: a list is JSON6902, a mapping is a merge patch. */
function patchesFrom(docs: readonly JsonValue[], target: PatchTarget | undefined): LayerPatch[] {
  const out: LayerPatch[] = [];
  for (const doc of docs) {
    if (Array.isArray(doc)) {
      const operations = doc
        .filter(isOperation)
        .map((o) => ({ op: o.op, path: o.path, ...(o.value !== undefined ? { value: o.value } : {}), ...(typeof o.from === 'string' ? { from: o.from } : {}) }));
      if (target && operations.length) out.push({ target, operations });
    } else if (isJsonObject(doc)) {
      out.push({ ...(target ? { target } : {}), merge: doc });
    }
  }
  return out;
}

/** Collects the patches of a kustomization-shaped object (also a Flux Kustomization's spec.patches) relative to `dir`. */
export function readPatches(spec: JsonObject, dir: string, readFile: PatchFileReader, floor?: string): { patches: LayerPatch[]; files: string[] } {
  const patches: LayerPatch[] = [];
  const files: string[] = [];
  const fromEntry = (entry: JsonValue, target: PatchTarget | undefined): void => {
    if (typeof entry === 'string') {
      // patchesStrategicMerge: a file path or an inline patch.
      if (entry.includes('\n') || entry.includes(':')) patches.push(...patchesFrom(parsePatchText(entry), target));
      else {
        const file = joinPath(dir, entry, floor);
        files.push(file);
        patches.push(...patchesFrom(readFile(file) ?? [], target));
      }
      return;
    }
    if (!isJsonObject(entry)) return;
    const t = targetOf(entry.target) ?? target;
    const inline = stringOf(entry.patch);
    const path = stringOf(entry.path);
    if (inline !== undefined) patches.push(...patchesFrom(parsePatchText(inline), t));
    else if (path !== undefined) {
      const file = joinPath(dir, path, floor);
      files.push(file);
      patches.push(...patchesFrom(readFile(file) ?? [], t));
    }
  };
  for (const key of ['patchesStrategicMerge', 'patches', 'patchesJson6902']) {
    const list = spec[key];
    if (Array.isArray(list)) for (const entry of list) fromEntry(entry, undefined);
  }
  return { patches, files };
}

/** The facts of one kustomization file's first document. */
export function readKustomizationFile(json: JsonObject, dir: string, origin: string, readFile: PatchFileReader, floor?: string): KustomizationFileFacts {
  const { patches, files } = readPatches(json, dir, readFile, floor);
  const namespace = stringOf(json.namespace);
  return {
    resources: [...strings(json.resources), ...strings(json.bases)],
    components: strings(json.components),
    layer: { origin, ...(namespace ? { namespace } : {}), namePrefix: stringOf(json.namePrefix) ?? '', nameSuffix: stringOf(json.nameSuffix) ?? '', patches },
    patchFiles: files,
  };
}
