// Extracts the cross-object references of one Flux document (Secret refs of sources, chartRef of a
// HelmRelease). Values with `${VAR}` or `{{ template }}` placeholders are left out: they name nothing yet.
import { isMap, type Node, type YAMLMap } from 'yaml';
import type { LineMap } from '../text-range';
import type { ObjectReference } from './object-types';
import { getMap, getNode, isPlaceholderValue, rangeOfNode, scalarString } from './yaml-ast';

const SOURCE_KINDS = new Set(['OCIRepository', 'HelmRepository', 'HelmChart', 'GitRepository', 'Bucket']);
const SECRET_REF_FIELDS: ReadonlyArray<readonly string[]> = [['secretRef'], ['certSecretRef'], ['proxySecretRef'], ['verify', 'secretRef']];

export function extractReferences(kind: string, namespace: string, spec: YAMLMap | undefined, lineMap: LineMap): ObjectReference[] {
  if (!spec) return [];
  const refs: ObjectReference[] = [];
  const push = (targetKind: string, field: string, nameNode: Node | undefined, ns: string): void => {
    const name = scalarString(nameNode);
    if (!nameNode || name === undefined || isPlaceholderValue(name) || isPlaceholderValue(ns)) return;
    refs.push({ kind: targetKind, name, namespace: ns, field, range: rangeOfNode(nameNode, lineMap) });
  };
  if (SOURCE_KINDS.has(kind)) {
    for (const path of SECRET_REF_FIELDS) {
      let map: YAMLMap | undefined = spec;
      for (const key of path) map = getMap(map, key);
      push('Secret', `spec.${path.join('.')}`, getNode(map, 'name'), namespace);
    }
  }
  if (kind === 'HelmRelease') {
    const chartRef = getMap(spec, 'chartRef');
    const targetKind = scalarString(getNode(chartRef, 'kind'));
    if (isMap(chartRef) && (targetKind === 'OCIRepository' || targetKind === 'HelmChart')) {
      push(targetKind, 'spec.chartRef', getNode(chartRef, 'name'), scalarString(getNode(chartRef, 'namespace')) ?? namespace);
    }
  }
  return refs;
}
