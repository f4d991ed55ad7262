// CONTRACT STUB (to be replaced by the manifests/workspace implementation, keeping this API):
// the cross-file index of every YAML file's Flux objects, Secrets and references.
import type { FluxDiagnostic } from '../diagnostic';
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
}

export interface FileAnalysis {
  path: string;
  diagnostics: FluxDiagnostic[];
  objects: FluxObject[];
}

export class WorkspaceIndex {
  /** Adds or replaces a file; returns every path whose diagnostics may have changed (this one included). */
  setFile(path: string, text: string): string[] {
    void text;
    return [path];
  }
  /** Removes a file; returns the paths whose diagnostics may have changed. */
  removeFile(path: string): string[] {
    return [path];
  }
  hasFile(path: string): boolean {
    void path;
    return false;
  }
  files(): string[] {
    return [];
  }
  /** Offline diagnostics (syntax, schema, Flux rules, cross-file references) and objects of one file. */
  analyze(path: string): FileAnalysis {
    return { path, diagnostics: [], objects: [] };
  }
  findObject(kind: string, namespace: string, name: string): { path: string; object: FluxObject } | undefined {
    void kind; void namespace; void name;
    return undefined;
  }
  ociRepositories(): Array<{ path: string; model: OCIRepositoryModel }> {
    return [];
  }
  helmReleases(): Array<{ path: string; model: HelmReleaseModel }> {
    return [];
  }
}
