// A source or release model as a Flux Kustomization applies it: field values from the variant's effective object
// (overlays' patches, postBuild variables) and its effective namespace, with which `${VAR}` became what and from where.
import type { HelmReleaseModel, Located, OCIRepositoryModel } from '../manifests/object-types';
import { stringAtPath } from '../workspace/document-json';
import { hasVariable, substituteVariables } from '../workspace/flux-varsub';
import type { WorkspaceIndex } from '../workspace/workspace-index';

/** One `${VAR}` of a field and its value in a variant. */
export interface VariableValueNote {
  /** Dotted field, e.g. `spec.ref.tag`. */
  field: string;
  expression: string;
  name: string;
  value?: string;
  /** `postBuild.substitute`, `ConfigMap cluster-vars`, `default`… */
  source?: string;
}

export interface EffectiveModel<T> {
  model: T;
  /** Labels of the Kustomizations giving this same effective model (empty outside every Kustomization). */
  kustomizations: string[];
  /** The clusters (top Kustomizations) those Kustomizations belong to. */
  clusters: string[];
  variables: VariableValueNote[];
}

type Field<T> = { path: string[]; get(m: T): Located<string> | undefined; set(m: T, v: Located<string>): void };

const OCI_FIELDS: Array<Field<OCIRepositoryModel>> = [
  { path: ['spec', 'url'], get: (m) => m.url, set: (m, v) => (m.url = v) },
  { path: ['spec', 'ref', 'tag'], get: (m) => m.ref?.tag, set: (m, v) => (m.ref = { ...m.ref!, tag: v }) },
  { path: ['spec', 'ref', 'semver'], get: (m) => m.ref?.semver, set: (m, v) => (m.ref = { ...m.ref!, semver: v }) },
  { path: ['spec', 'ref', 'semverFilter'], get: (m) => m.ref?.semverFilter, set: (m, v) => (m.ref = { ...m.ref!, semverFilter: v }) },
  { path: ['spec', 'ref', 'digest'], get: (m) => m.ref?.digest, set: (m, v) => (m.ref = { ...m.ref!, digest: v }) },
  { path: ['spec', 'secretRef', 'name'], get: (m) => m.secretRef, set: (m, v) => (m.secretRef = v) },
];

const HELM_FIELDS: Array<Field<HelmReleaseModel>> = [
  { path: ['spec', 'chart', 'spec', 'chart'], get: (m) => m.chart?.chart, set: (m, v) => (m.chart = { ...m.chart!, chart: v }) },
  { path: ['spec', 'chart', 'spec', 'version'], get: (m) => m.chart?.version, set: (m, v) => (m.chart = { ...m.chart!, version: v }) },
  { path: ['spec', 'chart', 'spec', 'sourceRef', 'name'], get: (m) => m.chart?.sourceRef?.name, set: (m, v) => (m.chart = { ...m.chart!, sourceRef: { ...m.chart!.sourceRef!, name: v } }) },
  {
    path: ['spec', 'chart', 'spec', 'sourceRef', 'namespace'],
    get: (m) => m.chart?.sourceRef?.namespace,
    set: (m, v) => (m.chart = { ...m.chart!, sourceRef: { ...m.chart!.sourceRef!, namespace: v } }),
  },
  { path: ['spec', 'chartRef', 'name'], get: (m) => m.chartRef?.name, set: (m, v) => (m.chartRef = { ...m.chartRef!, name: v }) },
  { path: ['spec', 'chartRef', 'namespace'], get: (m) => m.chartRef?.namespace, set: (m, v) => (m.chartRef = { ...m.chartRef!, namespace: v }) },
];

function effectiveModels<T extends { object: OCIRepositoryModel['object'] }>(index: WorkspaceIndex, model: T, fields: Array<Field<T>>): Array<EffectiveModel<T>> {
  const path = index.pathOfObject(model.object);
  const variants = path ? index.variantsOf(path, model.object.documentIndex) : [];
  if (!variants.length) return [{ model, kustomizations: [], clusters: [], variables: [] }];
  const build = index.repositoryBuild();
  const byIdentity = new Map<string, EffectiveModel<T>>();
  for (const variant of variants) {
    const copy: T = { ...model, object: { ...model.object, namespace: variant.namespace, name: variant.name } };
    const variables: VariableValueNote[] = [];
    const values: string[] = [variant.namespace, variant.name];
    for (const field of fields) {
      const written = field.get(model);
      const effective = stringAtPath(variant.object, ...field.path);
      values.push(effective ?? '');
      if (!written) continue;
      if (effective !== undefined && effective !== written.value) field.set(copy, { ...written, value: effective });
      if (hasVariable(written.value) && variant.substituted) {
        const vars = build.variablesOf(variant.instance).values;
        for (const use of substituteVariables(written.value, (name) => vars.get(name)).uses) {
          variables.push({ field: field.path.join('.'), expression: use.expression, name: use.name, ...(use.value !== undefined ? { value: use.value, source: use.from } : {}) });
        }
      }
    }
    const identity = JSON.stringify(values);
    const same = byIdentity.get(identity);
    if (same) {
      same.kustomizations.push(variant.kustomization);
      same.clusters.push(variant.cluster);
    } else byIdentity.set(identity, { model: copy, kustomizations: [variant.kustomization], clusters: [variant.cluster], variables });
  }
  return [...byIdentity.values()];
}

/** Each distinct effective OCIRepository model (one per group of Kustomizations that agree), as written when none applies it. */
export function effectiveOciModels(index: WorkspaceIndex, model: OCIRepositoryModel): Array<EffectiveModel<OCIRepositoryModel>> {
  return effectiveModels(index, model, OCI_FIELDS);
}

export function effectiveHelmModels(index: WorkspaceIndex, model: HelmReleaseModel): Array<EffectiveModel<HelmReleaseModel>> {
  return effectiveModels(index, model, HELM_FIELDS);
}

/** `tag ${APP_VERSION} = 1.2.4 (from flux-system/apps)` lines for a hover, one per variable (markdown). */
export function describeVariables(effective: EffectiveModel<unknown>): string[] {
  const from = effective.kustomizations.join(', ');
  return effective.variables.map((v) => {
    const field = v.field.split('.').pop();
    const value = v.value === undefined ? 'has no known value' : `= \`${v.value}\``;
    const source = v.source && v.source !== 'postBuild.substitute' ? `, ${v.source}` : '';
    return `${field} \`${v.expression}\` ${value} (from ${from}${source})`;
  });
}
