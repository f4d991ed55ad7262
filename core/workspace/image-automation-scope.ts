// The one place that answers cross-file image-automation questions: the markers of a file (file positions), the
// ImagePolicy a marker names, the ImageUpdateAutomations whose update.path covers a file. No I/O, no registry.
import type { FluxDiagnostic } from '../diagnostic';
import { imageMarkersOf, type ImageMarker } from '../manifests/image-markers';
import type { FluxObject } from '../manifests/object-types';
import { asMap, getMap, getNode, scalarString } from '../manifests/yaml-ast';
import type { YAMLMap } from 'yaml';
import { shiftDeep } from './range-shift';
import type { WorkspaceIndex } from './workspace-index';

export interface AutomationScope {
  path: string;
  object: FluxObject;
  /** spec.update.path as written ('' when unset: the whole repository). */
  updatePath: string;
  /** The directory it covers: the repository root joined with update.path. */
  directory: string;
  sourceRef?: { kind: string; name: string; namespace: string };
}

/** The spec mapping of an indexed object. */
export function specOf(index: WorkspaceIndex, path: string, object: FluxObject): YAMLMap | undefined {
  const doc = index.documents(path).find((d) => d.documentIndex === object.documentIndex);
  return getMap(asMap(doc?.result.parsed?.doc.contents), 'spec');
}

/** Every `$imagepolicy` marker of a file, in file positions. */
export function markersInFile(index: WorkspaceIndex, path: string): ImageMarker[] {
  const out: ImageMarker[] = [];
  for (const doc of index.documents(path)) {
    for (const marker of imageMarkersOf(doc.result)) out.push(shiftDeep(marker, doc.startLine));
  }
  return out;
}

/**
 * The ImagePolicy a marker names (the index finds objects by their effective namespaces: a kustomization.yaml's
 * `namespace`, a Flux Kustomization's `targetNamespace`).
 */
export function policyOfMarker(index: WorkspaceIndex, marker: Pick<ImageMarker, 'namespace' | 'name'>): { path: string; object: FluxObject } | undefined {
  return index.findObject('ImagePolicy', marker.namespace, marker.name);
}

/** Every indexed object of a kind (image.toolkit.fluxcd.io only). */
export function imageObjects(index: WorkspaceIndex, kind: string): Array<{ path: string; object: FluxObject }> {
  const out: Array<{ path: string; object: FluxObject }> = [];
  for (const path of index.files()) {
    for (const doc of index.documents(path)) {
      const object = doc.object;
      if (object?.kind === kind && object.apiVersion.startsWith('image.toolkit.fluxcd.io/')) out.push({ path, object });
    }
  }
  return out;
}

function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash > 0 ? path.slice(0, slash) : slash === 0 ? '/' : '';
}

/** The deepest directory holding every indexed file: the repository root this engine assumes for update.path. */
export function workspaceRoot(index: WorkspaceIndex): string {
  let root: string[] | undefined;
  for (const file of index.files()) {
    const parts = directoryOf(file).split('/');
    if (!root) root = parts;
    else {
      let i = 0;
      while (i < root.length && i < parts.length && root[i] === parts[i]) i++;
      root = root.slice(0, i);
    }
  }
  return root ? root.join('/') : '';
}

/** `root` joined with a repository-relative path the way Flux's secure join does (`..` cannot leave the root). */
export function joinInside(root: string, relative: string): string {
  const out: string[] = [];
  for (const seg of relative.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.length ? `${root.replace(/\/+$/, '')}/${out.join('/')}` : root;
}

/** The namespaces an object is applied in: one per Flux Kustomization variant, else its own. */
function effectiveNamespaces(index: WorkspaceIndex, path: string, object: FluxObject): string[] {
  const namespaces = new Set(index.variantsOf(path, object.documentIndex).map((v) => v.namespace));
  return namespaces.size ? [...namespaces] : [object.namespace];
}

/** Every ImageUpdateAutomation of the workspace with the directory it rewrites, once per namespace it is applied in. */
export function automationScopes(index: WorkspaceIndex, root = workspaceRoot(index)): AutomationScope[] {
  const applied = imageObjects(index, 'ImageUpdateAutomation').flatMap(({ path, object }) =>
    effectiveNamespaces(index, path, object).map((namespace) => ({ path, object: namespace === object.namespace ? object : { ...object, namespace } })),
  );
  return applied.map(({ path, object }) => {
    const spec = specOf(index, path, object);
    const updatePath = scalarString(getNode(getMap(spec, 'update'), 'path')) ?? '';
    const sourceRef = getMap(spec, 'sourceRef');
    const sourceName = scalarString(getNode(sourceRef, 'name'));
    const scope: AutomationScope = { path, object, updatePath, directory: joinInside(root, updatePath) };
    if (sourceName)
      scope.sourceRef = { kind: scalarString(getNode(sourceRef, 'kind')) ?? 'GitRepository', name: sourceName, namespace: scalarString(getNode(sourceRef, 'namespace')) ?? object.namespace };
    return scope;
  });
}

function isInside(file: string, directory: string): boolean {
  return directory === '' || file.startsWith(directory.endsWith('/') ? directory : `${directory}/`);
}

/**
 * The automations that rewrite a marker naming a policy of `namespace` in `file`: same namespace as the policy
 * (the controller lists policies in its own namespace) and update.path covering the file. policySelector is not evaluated.
 */
export function automationsCovering(scopes: readonly AutomationScope[], file: string, namespace: string): AutomationScope[] {
  return scopes.filter((s) => s.object.namespace === namespace && isInside(file, s.directory));
}

/** A note on each marker (of an existing policy) that no ImageUpdateAutomation of the workspace will rewrite. */
export function uncoveredMarkerNotes(index: WorkspaceIndex, path: string): FluxDiagnostic[] {
  const markers = markersInFile(index, path).filter((m) => policyOfMarker(index, m));
  if (!markers.length) return [];
  const root = workspaceRoot(index);
  const scopes = automationScopes(index, root);
  const out: FluxDiagnostic[] = [];
  for (const marker of markers) {
    if (automationsCovering(scopes, path, marker.namespace).length) continue;
    const inNamespace = scopes.filter((s) => s.object.namespace === marker.namespace);
    const why = inNamespace.length
      ? `the ImageUpdateAutomation${inNamespace.length > 1 ? 's' : ''} of namespace '${marker.namespace}' (${inNamespace.map((s) => `${s.object.name}: update.path ${JSON.stringify(s.updatePath || '.')}`).join(', ')}) do not cover this file`
      : scopes.length
        ? `no ImageUpdateAutomation in namespace '${marker.namespace}' is in this workspace (automations only apply ImagePolicies of their own namespace)`
        : 'no ImageUpdateAutomation is in this workspace';
    out.push({ severity: 'information', code: 'image-marker-not-automated', message: `Nothing will update this marker: ${why}.`, range: marker.markerRange });
  }
  return out;
}
