// Builds the OCIRepository and HelmRelease models (values with the ranges of their nodes) from a parsed
// document, for the live features (registry resolution, navigation). Ranges are document-relative.
import { isMap, isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import type { LineMap } from '../text-range';
import type { DocumentObject } from './document-analyzer';
import type { FluxObject, HelmReleaseModel, Located, OCIRepositoryModel, ObjectRefModel } from './object-types';
import { asMap, findPair, getMap, getNode, rangeOfNode } from './yaml-ast';

type Relative<T> = Omit<T, 'object'> & { object: DocumentObject };

function located<T extends string | boolean>(map: YAMLMap | undefined, key: string, lineMap: LineMap, type: 'string' | 'boolean'): Located<T> | undefined {
  const pair: Pair | undefined = findPair(map, key);
  const value = pair?.value;
  if (!pair || !isScalar(value) || value.value === null) return undefined;
  let v: unknown = value.value;
  if (type === 'string' && typeof v !== 'string') v = typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  if (type === 'boolean' && typeof v !== 'boolean') return undefined;
  if (v === undefined) return undefined;
  const keyNode = pair.key as Node;
  return { value: v as T, range: rangeOfNode(value, lineMap), keyRange: keyNode?.range ? rangeOfNode(keyNode, lineMap) : undefined };
}

const str = (map: YAMLMap | undefined, key: string, lm: LineMap): Located<string> | undefined => located<string>(map, key, lm, 'string');
const bool = (map: YAMLMap | undefined, key: string, lm: LineMap): Located<boolean> | undefined => located<boolean>(map, key, lm, 'boolean');

function refModel(map: YAMLMap | undefined, lm: LineMap): ObjectRefModel | undefined {
  if (!map || !isMap(map)) return undefined;
  return { range: rangeOfNode(map, lm), kind: str(map, 'kind', lm), name: str(map, 'name', lm), namespace: str(map, 'namespace', lm) };
}

function nameOf(map: YAMLMap | undefined, key: string, lm: LineMap): Located<string> | undefined {
  return str(getMap(map, key), 'name', lm);
}

export function buildOciRepositoryModel(object: DocumentObject, root: YAMLMap, lm: LineMap): Relative<OCIRepositoryModel> {
  const spec = getMap(root, 'spec');
  const ref = getMap(spec, 'ref');
  const layer = getMap(spec, 'layerSelector');
  const verify = getMap(spec, 'verify');
  return {
    object,
    url: str(spec, 'url', lm),
    ref: ref ? { range: rangeOfNode(ref, lm), tag: str(ref, 'tag', lm), semver: str(ref, 'semver', lm), semverFilter: str(ref, 'semverFilter', lm), digest: str(ref, 'digest', lm) } : undefined,
    layerSelector: layer ? { range: rangeOfNode(layer, lm), mediaType: str(layer, 'mediaType', lm), operation: str(layer, 'operation', lm) } : undefined,
    provider: str(spec, 'provider', lm),
    insecure: bool(spec, 'insecure', lm),
    secretRef: nameOf(spec, 'secretRef', lm),
    certSecretRef: nameOf(spec, 'certSecretRef', lm),
    proxySecretRef: nameOf(spec, 'proxySecretRef', lm),
    serviceAccountName: str(spec, 'serviceAccountName', lm),
    interval: str(spec, 'interval', lm),
    timeout: str(spec, 'timeout', lm),
    suspend: bool(spec, 'suspend', lm),
    verify: verify ? { range: rangeOfNode(verify, lm), provider: str(verify, 'provider', lm), secretRef: nameOf(verify, 'secretRef', lm) } : undefined,
  };
}

export function buildHelmReleaseModel(object: DocumentObject, root: YAMLMap, lm: LineMap): Relative<HelmReleaseModel> {
  const spec = getMap(root, 'spec');
  const chart = getMap(spec, 'chart');
  const chartSpec = getMap(chart, 'spec');
  const values = getNode(spec, 'values');
  return {
    object,
    chartRef: refModel(getMap(spec, 'chartRef'), lm),
    chart: chart ? { range: rangeOfNode(chart, lm), chart: str(chartSpec, 'chart', lm), version: str(chartSpec, 'version', lm), sourceRef: refModel(getMap(chartSpec, 'sourceRef'), lm) } : undefined,
    values: values && asMap(values) ? rangeOfNode(values, lm) : undefined,
    interval: str(spec, 'interval', lm),
    releaseName: str(spec, 'releaseName', lm),
    targetNamespace: str(spec, 'targetNamespace', lm),
  };
}

/** Attaches the full object (with its document index) to a relative model. */
export function withObject<T extends { object: DocumentObject }>(model: T, object: FluxObject): Omit<T, 'object'> & { object: FluxObject } {
  return { ...model, object };
}
