// Finds the OCI sources of the workspace index as protocol records: every OCIRepository, and the source of the
// object under a cursor (a HelmRelease follows chartRef or an OCI HelmRepository). Reads the index only: no network.
import type { Position } from '../../core/text-range';
import { goDurationMs } from '../../core/live/go-duration';
import { helmRepositoryFacts } from '../../core/live/source-targets';
import type { OCIRepositoryModel, WorkspaceIndex } from '../../core/workspace/workspace-index';
import type { HelmReleaseModel } from '../../core/manifests/object-types';
import { HELM_CHART_CONTENT_MEDIA_TYPE } from '../../core/versions/helm-tags';
import type { WorkspaceSource } from '../../shared/protocol';
import type { UriRegistry } from './uri-paths';

function substitution(value: string | undefined): boolean {
  return value !== undefined && value.includes('${');
}

/** An OCIRepository model as a protocol record (problem set when the url cannot be used as is). */
export function sourceFromOciRepository(model: OCIRepositoryModel, uri: string): WorkspaceSource {
  const url = model.url?.value?.trim().replace(/\/+$/, '');
  const ref: WorkspaceSource['ref'] = {};
  for (const key of ['tag', 'semver', 'semverFilter', 'digest'] as const) {
    const value = model.ref?.[key]?.value;
    if (value !== undefined) ref[key] = value;
  }
  const source: WorkspaceSource = {
    kind: 'OCIRepository',
    name: model.object.name,
    namespace: model.object.namespace,
    uri,
    range: model.object.range,
    ref,
    ...(model.layerSelector?.mediaType?.value ? { layerMediaType: model.layerSelector.mediaType.value } : {}),
    ...(model.insecure?.value === true ? { insecure: true } : {}),
    ...(model.verify ? { verify: true } : {}),
  };
  const timeoutMs = goDurationMs(model.timeout?.value?.trim());
  if (timeoutMs !== undefined) source.timeoutSeconds = timeoutMs / 1000;
  if (!url) source.problem = 'The OCIRepository has no spec.url.';
  else if (!url.startsWith('oci://')) source.problem = `spec.url "${url}" does not start with oci://.`;
  else if (substitution(url) || Object.values(ref).some(substitution)) source.problem = 'The source uses a substitution variable; its value is only known in the cluster.';
  else source.reference = url;
  return source;
}

export function workspaceSources(index: WorkspaceIndex, uris: UriRegistry): WorkspaceSource[] {
  return index
    .ociRepositories()
    .map(({ path, model }) => sourceFromOciRepository(model, uris.uriOf(path)))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name) || a.uri.localeCompare(b.uri));
}

function ociRepositoryNamed(index: WorkspaceIndex, uris: UriRegistry, namespace: string, name: string): WorkspaceSource | undefined {
  const hit = index.ociRepositories().find((m) => m.model.object.namespace === namespace && m.model.object.name === name);
  return hit ? sourceFromOciRepository(hit.model, uris.uriOf(hit.path)) : undefined;
}

function sourceOfHelmRelease(index: WorkspaceIndex, uris: UriRegistry, release: HelmReleaseModel): WorkspaceSource | undefined {
  const namespace = release.object.namespace;
  const chartRef = release.chartRef;
  if (chartRef?.name?.value && (chartRef.kind?.value ?? 'OCIRepository') === 'OCIRepository') {
    return ociRepositoryNamed(index, uris, chartRef.namespace?.value ?? namespace, chartRef.name.value);
  }
  const sourceRef = release.chart?.sourceRef;
  const chart = release.chart?.chart?.value;
  if (!sourceRef?.name?.value || !chart) return undefined;
  const refNamespace = sourceRef.namespace?.value ?? namespace;
  if (sourceRef.kind?.value === 'OCIRepository') return ociRepositoryNamed(index, uris, refNamespace, sourceRef.name.value);
  if (sourceRef.kind?.value !== 'HelmRepository') return undefined;
  const repo = helmRepositoryFacts(index, refNamespace, sourceRef.name.value);
  if (!repo || repo.type !== 'oci' || !repo.url) return undefined;
  const hit = index.findObject('HelmRepository', refNamespace, sourceRef.name.value);
  const version = release.chart?.version?.value;
  const source: WorkspaceSource = {
    kind: 'HelmRepository',
    name: sourceRef.name.value,
    namespace: refNamespace,
    uri: hit ? uris.uriOf(hit.path) : '',
    range: hit?.object.range ?? release.object.range,
    ref: { semver: version && version.trim() !== '' ? version : '*' },
    layerMediaType: HELM_CHART_CONTENT_MEDIA_TYPE,
    ...(repo.insecure ? { insecure: true } : {}),
  };
  const url = `${repo.url.trim().replace(/\/+$/, '')}/${chart}`;
  if (substitution(url) || substitution(version)) source.problem = 'The chart source uses a substitution variable; its value is only known in the cluster.';
  else source.reference = url;
  return source;
}

/** The OCI source of the object under `position`: the OCIRepository itself, or what a HelmRelease's chart comes from. */
export function sourceAtPosition(index: WorkspaceIndex, uris: UriRegistry, path: string, position: Position): WorkspaceSource | undefined {
  const models = index.modelAt(path, position);
  if (models?.oci) return sourceFromOciRepository(models.oci, uris.uriOf(path));
  if (models?.helm) return sourceOfHelmRelease(index, uris, models.helm);
  return undefined;
}

/** True when tags of this source should be read the Helm way (`_` stands for `+`). */
export function isHelmChartSource(source: WorkspaceSource): boolean {
  return source.kind === 'HelmRepository' || source.layerMediaType === HELM_CHART_CONTENT_MEDIA_TYPE;
}
