// Finds the files a kustomize.config.k8s.io Kustomization names as patches, so partial objects in them
// are not asked for required fields. Path arithmetic only ('/'-separated paths or file URIs).
import { isMap, isScalar, isSeq } from 'yaml';
import type { DocumentResult } from '../manifests/document-analyzer';
import { asMap, getNode, scalarString } from '../manifests/yaml-ast';

export function resolveRelative(fromFile: string, relative: string): string {
  if (relative.startsWith('/')) return relative;
  const slash = fromFile.lastIndexOf('/');
  const base = slash >= 0 ? fromFile.slice(0, slash) : '';
  const out = base.split('/');
  for (const seg of relative.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 1) out.pop();
    } else out.push(seg);
  }
  return out.join('/');
}

/** Paths (resolved against the Kustomization's file) of every patch file the document names. */
export function patchPathsOf(result: DocumentResult, filePath: string): string[] {
  const obj = result.object;
  if (!obj || obj.kind !== 'Kustomization' || !obj.apiVersion.startsWith('kustomize.config.k8s.io/')) return [];
  const root = asMap(result.parsed?.doc.contents);
  const out: string[] = [];
  const patches = getNode(root, 'patches');
  if (isSeq(patches)) {
    for (const item of patches.items) {
      const p = isMap(item) ? scalarString(getNode(item, 'path')) : undefined;
      if (p) out.push(resolveRelative(filePath, p));
    }
  }
  const strategic = getNode(root, 'patchesStrategicMerge');
  if (isSeq(strategic)) {
    for (const item of strategic.items) {
      const p = isScalar(item) ? scalarString(item) : undefined;
      if (p && !p.includes('\n')) out.push(resolveRelative(filePath, p));
    }
  }
  return out;
}
