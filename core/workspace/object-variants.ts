// Each way one document is applied (a variant per Flux Kustomization that builds it): the effective object, its
// namespace and name, the variables it used, and the references it makes. Cached per build; no I/O.
import type { DocumentResult } from '../manifests/document-analyzer';
import type { IndexedDocument } from './file-entry';
import { documentJson, stringAtPath } from './document-json';
import type { SubstitutionUse } from './flux-varsub';
import type { JsonObject } from './json-patches';
import type { KustomizationInstance, RepositoryBuild } from './repository-build';

export interface ObjectVariant {
  /** The applying Kustomization's label, e.g. `flux-system/apps`. */
  kustomization: string;
  /** The top Kustomization's label (one per cluster): references resolve among objects of the same cluster. */
  cluster: string;
  instance: KustomizationInstance;
  object: JsonObject;
  kind: string;
  name: string;
  namespace: string;
  /** Every `${…}` substituted in this variant (empty when the Kustomization has no postBuild). */
  uses: SubstitutionUse[];
  substituted: boolean;
  /** substituteFrom sources whose values are unknown here (SOPS-encrypted, not in the repository). */
  unknownSources: string[];
}

/** A reference found in an effective object; `path` is where its name sits in the document (for ranges). */
export interface VariantReference {
  kind: string;
  name: string;
  namespace: string;
  field: string;
  path: string[];
}

const SOURCE_KINDS = new Set(['OCIRepository', 'HelmRepository', 'HelmChart', 'GitRepository', 'Bucket']);
const SECRET_REF_FIELDS: ReadonlyArray<readonly string[]> = [['secretRef'], ['certSecretRef'], ['proxySecretRef'], ['verify', 'secretRef']];

/** The references of an effective object: a source's Secret refs, a HelmRelease's chartRef (same set as the raw check). */
export function referencesOfObject(variant: Pick<ObjectVariant, 'object' | 'kind' | 'namespace'>): VariantReference[] {
  const out: VariantReference[] = [];
  const obj = variant.object;
  if (SOURCE_KINDS.has(variant.kind)) {
    for (const path of SECRET_REF_FIELDS) {
      const name = stringAtPath(obj, 'spec', ...path, 'name');
      if (name) out.push({ kind: 'Secret', name, namespace: variant.namespace, field: `spec.${path.join('.')}`, path: ['spec', ...path, 'name'] });
    }
  }
  if (variant.kind === 'HelmRelease') {
    const kind = stringAtPath(obj, 'spec', 'chartRef', 'kind');
    const name = stringAtPath(obj, 'spec', 'chartRef', 'name');
    if (name && (kind === 'OCIRepository' || kind === 'HelmChart')) {
      out.push({ kind, name, namespace: stringAtPath(obj, 'spec', 'chartRef', 'namespace') ?? variant.namespace, field: 'spec.chartRef', path: ['spec', 'chartRef', 'name'] });
    }
  }
  return out;
}

/** Variants of the documents of one build, computed on demand and kept while the document's analysis is the same. */
export class VariantCache {
  private readonly cache = new WeakMap<DocumentResult, { path: string; variants: ObjectVariant[] }>();

  constructor(readonly build: RepositoryBuild) {}

  variantsOf(path: string, doc: IndexedDocument): ObjectVariant[] {
    const hit = this.cache.get(doc.result);
    if (hit && hit.path === path) return hit.variants;
    const variants = this.compute(path, doc);
    this.cache.set(doc.result, { path, variants });
    return variants;
  }

  private compute(path: string, doc: IndexedDocument): ObjectVariant[] {
    const placements = this.build.placementsOf(path);
    const o = doc.result.object;
    const json = placements.length && o ? documentJson(doc.result) : undefined;
    if (!json || !o) return [];
    const out: ObjectVariant[] = [];
    for (const placement of placements) {
      const effective = this.build.effective(json, placement, doc.result.text.includes('${'));
      const vars = effective.substituted ? this.build.variablesOf(placement.instance) : undefined;
      out.push({
        kustomization: placement.instance.label,
        cluster: placement.instance.top?.label ?? placement.instance.label,
        instance: placement.instance,
        object: effective.value,
        kind: o.kind,
        name: stringAtPath(effective.value, 'metadata', 'name') ?? o.name,
        namespace: stringAtPath(effective.value, 'metadata', 'namespace') ?? 'default',
        uses: effective.uses,
        substituted: effective.substituted,
        unknownSources: vars?.unknownSources ?? [],
      });
    }
    return out.sort((a, b) => (a.kustomization < b.kustomization ? -1 : a.kustomization > b.kustomization ? 1 : 0));
  }
}
