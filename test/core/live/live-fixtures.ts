// Test helpers for the live engine: a Helm chart push with our own values.yaml / schema, manifest text builders, edits.
import { LineMap } from '../../../core/text-range';
import { MediaTypes, pushBlob, pushManifest, type PushTarget } from '../../support/registry-push';
import { tgz } from '../../support/tar';

export { applyEdits } from '../manifests/apply-edits';

export interface ChartPush {
  name: string;
  version: string;
  tag?: string;
  appVersion?: string;
  values?: string;
  schema?: object;
}

/** Pushes a chart the way `helm push` stores it, with the given values.yaml and values.schema.json. */
export async function pushChart(target: PushTarget, repo: string, spec: ChartPush): Promise<{ digest: string; tag: string }> {
  const chartYaml = `apiVersion: v2\nname: ${spec.name}\nversion: ${spec.version}\n${spec.appVersion ? `appVersion: "${spec.appVersion}"\n` : ''}type: application\n`;
  const entries = [
    { name: `${spec.name}/Chart.yaml`, content: chartYaml },
    { name: `${spec.name}/values.yaml`, content: spec.values ?? 'replicaCount: 1\n' },
    ...(spec.schema ? [{ name: `${spec.name}/values.schema.json`, content: JSON.stringify(spec.schema) }] : []),
    { name: `${spec.name}/templates/cm.yaml`, content: 'kind: ConfigMap\n' },
  ];
  const config = await pushBlob(target, repo, JSON.stringify({ name: spec.name, version: spec.version, appVersion: spec.appVersion, apiVersion: 'v2' }), MediaTypes.helmConfig);
  const layer = await pushBlob(target, repo, tgz(entries), MediaTypes.helmChart);
  const tag = spec.tag ?? spec.version.replace(/\+/g, '_');
  const pushed = await pushManifest(target, repo, { schemaVersion: 2, config, layers: [layer] }, tag, MediaTypes.ociManifest);
  return { digest: pushed.digest, tag };
}

export function ociRepository(name: string, url: string, ref: string, extra = ''): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 5m\n  url: ${url}\n${ref}${extra}`;
}

/** The position of the first occurrence of `needle` (plus `delta` characters). */
export function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`"${needle}" not in text`);
  return new LineMap(text).positionAt(offset + delta);
}
