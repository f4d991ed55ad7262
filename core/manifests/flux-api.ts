// The Flux API table: which kinds this engine knows, which apiVersions are current or removed, and
// which generated schema validates each. Facts only; the rules that use them live elsewhere.
import generatedSchemas from './generated/flux-schemas.json';
import type { SchemaNode } from './schema-node';

/** Structural facts of each Flux spec, generated from the CRDs by scripts/generate-flux-schema.mjs (data, no prose). */
const FLUX_SPEC_SCHEMAS = generatedSchemas as Readonly<Record<string, SchemaNode>>;

export type VersionStatus = 'current' | 'removed';

export interface KnownVersion {
  version: string;
  status: VersionStatus;
  /** For removed versions: the Flux release that stopped serving it. */
  removedIn?: string;
}

export interface FluxKindInfo {
  kind: string;
  group: string;
  current: string;
  versions: KnownVersion[];
  /** True when this engine checks the spec's fields (has a schema for at least the current version). */
  fieldsChecked: boolean;
}

const SOURCE = 'source.toolkit.fluxcd.io';
const HELM = 'helm.toolkit.fluxcd.io';
const IMAGE = 'image.toolkit.fluxcd.io';

/** An image-automation kind: v1 is current; the CRDs of current Flux serve neither beta any more. */
function image(kind: string): FluxKindInfo {
  return {
    kind,
    group: IMAGE,
    current: 'v1',
    fieldsChecked: true,
    versions: [
      { version: 'v1', status: 'current' },
      { version: 'v1beta2', status: 'removed' },
      { version: 'v1beta1', status: 'removed' },
    ],
  };
}

function source(kind: string, fieldsChecked: boolean, extraRemoved: KnownVersion[] = []): FluxKindInfo {
  return {
    kind,
    group: SOURCE,
    current: 'v1',
    fieldsChecked,
    versions: [{ version: 'v1', status: 'current' }, { version: 'v1beta2', status: 'removed', removedIn: 'Flux 2.8' }, ...extraRemoved],
  };
}

const V1BETA1: KnownVersion = { version: 'v1beta1', status: 'removed', removedIn: 'Flux 2.7' };

export const FLUX_KINDS: readonly FluxKindInfo[] = [
  source('OCIRepository', true),
  source('HelmRepository', true, [V1BETA1]),
  source('HelmChart', true, [V1BETA1]),
  source('GitRepository', false, [V1BETA1]),
  source('Bucket', false, [V1BETA1]),
  {
    kind: 'HelmRelease',
    group: HELM,
    current: 'v2',
    fieldsChecked: true,
    versions: [
      { version: 'v2', status: 'current' },
      { version: 'v2beta2', status: 'removed', removedIn: 'Flux 2.8' },
      { version: 'v2beta1', status: 'removed', removedIn: 'Flux 2.7' },
    ],
  },
  image('ImageRepository'),
  image('ImagePolicy'),
  image('ImageUpdateAutomation'),
];

/** The Flux kind a document's `kind` names, whatever its apiVersion says. */
export function fluxKindInfo(kind: string): FluxKindInfo | undefined {
  return FLUX_KINDS.find((k) => k.kind === kind);
}

/** Splits `group/version`; a core-group apiVersion like `v1` has group "". */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  if (slash < 0) return { group: '', version: apiVersion };
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The spec schema of kind at apiVersion, when one was generated from Flux's CRDs. */
export function specSchemaFor(apiVersion: string, kind: string): SchemaNode | undefined {
  return FLUX_SPEC_SCHEMAS[`${apiVersion}/${kind}`];
}

/** True when the document belongs to a Flux group this engine handles (so it deserves diagnostics). */
export function isHandledFluxGroup(group: string): boolean {
  return group === SOURCE || group === HELM || group === IMAGE;
}

export function listVersions(info: FluxKindInfo): string {
  const current = `${info.group}/${info.current}`;
  const removed = info.versions.filter((v) => v.status === 'removed').map((v) => `${info.group}/${v.version}`);
  return removed.length ? `${current} (removed: ${removed.join(', ')})` : current;
}
