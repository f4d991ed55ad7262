// The data the engine extracts from documents: Kubernetes object identity, Flux object models with the
// source ranges of their fields, and references between objects. Types only.
import type { Range } from '../text-range';

/** A Kubernetes object found in a YAML document (Flux or not, e.g. Secret). */
export interface FluxObject {
  kind: string;
  apiVersion: string;
  name: string;
  /** metadata.namespace, or "default" when absent (see namespaceExplicit). */
  namespace: string;
  namespaceExplicit: boolean;
  /** Index of the YAML document in its file (0-based). */
  documentIndex: number;
  /** Range of the whole document. */
  range: Range;
  /** Range of the metadata.name value, when present. */
  nameRange?: Range;
}

export interface Located<T> {
  value: T;
  /** Range of the value node. */
  range: Range;
  /** Range of the key node. */
  keyRange?: Range;
}

export interface ObjectRefModel {
  range: Range;
  kind?: Located<string>;
  name?: Located<string>;
  namespace?: Located<string>;
}

export interface OCIRepositoryModel {
  object: FluxObject;
  url?: Located<string>;
  ref?: {
    range: Range;
    tag?: Located<string>;
    semver?: Located<string>;
    semverFilter?: Located<string>;
    digest?: Located<string>;
  };
  layerSelector?: { range: Range; mediaType?: Located<string>; operation?: Located<string> };
  provider?: Located<string>;
  insecure?: Located<boolean>;
  secretRef?: Located<string>;
  certSecretRef?: Located<string>;
  proxySecretRef?: Located<string>;
  serviceAccountName?: Located<string>;
  interval?: Located<string>;
  timeout?: Located<string>;
  suspend?: Located<boolean>;
  verify?: { range: Range; provider?: Located<string>; secretRef?: Located<string> };
}

export interface HelmReleaseModel {
  object: FluxObject;
  chartRef?: ObjectRefModel;
  chart?: {
    range: Range;
    chart?: Located<string>;
    version?: Located<string>;
    sourceRef?: ObjectRefModel;
  };
  /** Range of spec.values (the mapping node), when present. */
  values?: Range;
  interval?: Located<string>;
  releaseName?: Located<string>;
  targetNamespace?: Located<string>;
}

/** A reference from one object to another by kind/namespace/name (secretRef, chartRef, ...). */
export interface ObjectReference {
  /** Kind of the referenced object: Secret, OCIRepository, HelmChart, ... */
  kind: string;
  name: string;
  namespace: string;
  /** Dotted path of the referencing field, e.g. spec.secretRef or spec.chartRef. */
  field: string;
  /** Range of the name value. */
  range: Range;
}
