// One object as a build applies it: each layer's patches (matched by kind/name/namespace/labels as kustomize does),
// then namespace (cluster-scoped kinds skipped), then name prefix/suffix. Pure JSON in, JSON out.
import { applyJsonPatch, isJsonObject, mergePatch, type JsonObject } from './json-patches';
import type { Layer, LayerPatch, PatchTarget } from './kustomize-layers';

/** Kinds kustomize's namespace transformer leaves alone (cluster-scoped in Kubernetes and common add-ons). */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'APIService',
  'CSIDriver',
  'CSINode',
  'Node',
  'VolumeSnapshotClass',
  'ClusterIssuer',
  'ClusterSecretStore',
  'ClusterExternalSecret',
  'ClusterPolicy',
  'PodSecurityPolicy',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'CertificateSigningRequest',
  'ComponentStatus',
]);

function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/** The identity names a patch can match: what the object was first called, and what it is called now. */
interface Identity {
  originalName: string;
  originalNamespace?: string;
}

function metadataOf(obj: JsonObject): JsonObject {
  return isJsonObject(obj.metadata) ? obj.metadata : {};
}

function anchored(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return pattern === value;
  }
}

/** Splits a selector at the commas outside `( … )` value sets. */
function selectorTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

/** Kubernetes label selectors: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`. */
function selectorMatches(selector: string, map: unknown): boolean {
  const labels = isJsonObject(map) ? map : {};
  const has = (key: string): boolean => Object.prototype.hasOwnProperty.call(labels, key);
  return selectorTerms(selector).every((term) => {
    const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (set) {
      const values = set[3].split(',').map((v) => v.trim());
      const value = labels[set[1]];
      const inSet = has(set[1]) && typeof value === 'string' && values.includes(value);
      return set[2] === 'in' ? inSet : !inSet;
    }
    const neq = term.split('!=');
    if (neq.length === 2) return labels[neq[0].trim()] !== neq[1].trim();
    const eq = term.split(/==?/);
    if (eq.length === 2) return labels[eq[0].trim()] === eq[1].trim();
    return term.startsWith('!') ? !has(term.slice(1).trim()) : has(term);
  });
}

function targetMatches(target: PatchTarget, obj: JsonObject, id: Identity): boolean {
  const meta = metadataOf(obj);
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const name = typeof meta.name === 'string' ? meta.name : '';
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : undefined;
  if (target.kind !== undefined && !anchored(target.kind, kind)) return false;
  if (target.group !== undefined && target.group !== group) return false;
  if (target.version !== undefined && target.version !== version) return false;
  if (target.name !== undefined && !anchored(target.name, name) && !anchored(target.name, id.originalName)) return false;
  if (target.namespace !== undefined && !anchored(target.namespace, namespace ?? '') && !anchored(target.namespace, id.originalNamespace ?? '')) return false;
  if (target.labelSelector !== undefined && !selectorMatches(target.labelSelector, meta.labels)) return false;
  if (target.annotationSelector !== undefined && !selectorMatches(target.annotationSelector, meta.annotations)) return false;
  return true;
}

/** A merge patch without a target matches by its own kind and name (and namespace when it names one). */
function selfTargetOf(patch: JsonObject): PatchTarget | undefined {
  const meta = metadataOf(patch);
  if (typeof patch.kind !== 'string' || typeof meta.name !== 'string') return undefined;
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return { kind: escape(patch.kind), name: escape(meta.name), ...(typeof meta.namespace === 'string' ? { namespace: escape(meta.namespace) } : {}) };
}

function applyPatch(obj: JsonObject, patch: LayerPatch, id: Identity): JsonObject {
  if (patch.operations) {
    if (!patch.target || !targetMatches(patch.target, obj, id)) return obj;
    const patched = applyJsonPatch(obj, patch.operations);
    return patched.ok && isJsonObject(patched.value) ? patched.value : obj;
  }
  if (!patch.merge) return obj;
  const target = patch.target ?? selfTargetOf(patch.merge);
  if (!target || !targetMatches(target, obj, id)) return obj;
  // With an explicit target, the patch's own identity fields are not meant to rename the object.
  const body: JsonObject = { ...patch.merge };
  delete body.apiVersion;
  delete body.kind;
  if (isJsonObject(body.metadata)) {
    const meta = { ...body.metadata };
    delete meta.name;
    delete meta.namespace;
    body.metadata = meta;
  }
  const merged = mergePatch(obj, body);
  return isJsonObject(merged) ? merged : obj;
}

/** The object after every layer (inner first). The input is not modified. */
export function applyLayers(object: JsonObject, layers: readonly Layer[]): JsonObject {
  const meta0 = metadataOf(object);
  const id: Identity = { originalName: typeof meta0.name === 'string' ? meta0.name : '', ...(typeof meta0.namespace === 'string' ? { originalNamespace: meta0.namespace } : {}) };
  let obj = object;
  const kind = typeof object.kind === 'string' ? object.kind : '';
  for (const layer of layers) {
    for (const patch of layer.patches) obj = applyPatch(obj, patch, id);
    const setNamespace = layer.namespace !== undefined && !isClusterScoped(kind);
    if (setNamespace || layer.namePrefix || layer.nameSuffix) {
      const meta = { ...metadataOf(obj) };
      if (setNamespace) meta.namespace = layer.namespace!;
      if ((layer.namePrefix || layer.nameSuffix) && typeof meta.name === 'string') meta.name = `${layer.namePrefix}${meta.name}${layer.nameSuffix}`;
      obj = { ...obj, metadata: meta };
    }
  }
  return obj;
}
