// Builds and pushes the chart versions the upgrade-safety tests compare: real chart .tgz files (Chart.yaml with
// kubeVersion, dependencies and deprecated; values.yaml; values.schema.json; crds/; templates/) in a real registry.
import { MediaTypes, pushBlob, pushManifest, type PushTarget } from './registry-push';
import { tgz } from './tar';

export interface UpgradeChartSpec {
  name: string;
  version: string;
  appVersion?: string;
  kubeVersion?: string;
  deprecated?: boolean;
  dependencies?: Array<{ name: string; version: string }>;
  values: string;
  schema?: object;
  /** Other files, relative to the chart folder (`templates/x.yaml`, `crds/y.yaml`). */
  files?: Record<string, string>;
}

/** Pushes the chart the way `helm push` stores it; returns the manifest digest and tag. */
export async function pushUpgradeChart(target: PushTarget, repo: string, spec: UpgradeChartSpec): Promise<{ digest: string; tag: string }> {
  const lines = [`apiVersion: v2`, `name: ${spec.name}`, `version: ${spec.version}`, 'type: application'];
  if (spec.appVersion) lines.push(`appVersion: "${spec.appVersion}"`);
  if (spec.kubeVersion) lines.push(`kubeVersion: "${spec.kubeVersion}"`);
  if (spec.deprecated) lines.push('deprecated: true');
  if (spec.dependencies?.length) {
    lines.push('dependencies:');
    for (const d of spec.dependencies) lines.push(`  - name: ${d.name}`, `    version: ${d.version}`, `    repository: oci://registry.example/charts`);
  }
  const entries = [
    { name: `${spec.name}/Chart.yaml`, content: `${lines.join('\n')}\n` },
    { name: `${spec.name}/values.yaml`, content: spec.values },
    ...(spec.schema ? [{ name: `${spec.name}/values.schema.json`, content: JSON.stringify(spec.schema, null, 2) }] : []),
    ...Object.entries(spec.files ?? {}).map(([path, content]) => ({ name: `${spec.name}/${path}`, content })),
  ];
  const config = await pushBlob(target, repo, JSON.stringify({ name: spec.name, version: spec.version, appVersion: spec.appVersion, apiVersion: 'v2' }), MediaTypes.helmConfig);
  const layer = await pushBlob(target, repo, tgz(entries), MediaTypes.helmChart);
  const tag = spec.version.replace(/\+/g, '_');
  const pushed = await pushManifest(target, repo, { schemaVersion: 2, mediaType: MediaTypes.ociManifest, config, layers: [layer] }, tag, MediaTypes.ociManifest);
  return { digest: pushed.digest, tag };
}

const VALUES_1 = `# How many pods run.
replicaCount: 1
ui:
  # Colour of the web UI.
  color: blue
  title: Shop
image:
  repository: ghcr.io/acme/shop
  tag: "1.0.0"
sidecar:
  image: ghcr.io/acme/proxy:0.9.0
service:
  port: 80
  type: ClusterIP
`;

const VALUES_2 = `# How many pods run.
replicaCount: 1
theme:
  # Colour of the web UI.
  color: blue
ui:
  title: Shop
image:
  repository: ghcr.io/acme/shop
  tag: "2.0.0"
sidecar:
  image: ghcr.io/acme/proxy:1.0.0
service:
  port: 8080
  type: ClusterIP
`;

/** values.schema.json of 2.0.0: at most 5 replicas, and ui may only hold title. */
export const SCHEMA_2 = {
  type: 'object',
  properties: {
    replicaCount: { type: 'integer', minimum: 1, maximum: 5 },
    ui: { type: 'object', properties: { title: { type: 'string' } } },
  },
};

const TEMPLATES = { 'templates/deployment.yaml': 'kind: Deployment\n', 'templates/service.yaml': 'kind: Service\n', 'templates/NOTES.txt': 'Thanks\n' };
const WIDGET_CRD_V1 = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.acme.io\nspec:\n  versions: [{name: v1}]\n';

/**
 * Pushes `shop` 1.0.0, 1.1.0 (same values as 1.0.0) and 2.0.0, which renames ui.color to theme.color, adds a schema
 * capping replicaCount at 5, raises kubeVersion, bumps redis and adds postgresql, changes one CRD and adds another,
 * drops the Service template and adds an Ingress, moves both image tags and changes the service.port default.
 */
export async function pushShopCharts(target: PushTarget, repo: string): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  const old = { name: 'shop', kubeVersion: '>=1.25.0-0', dependencies: [{ name: 'redis', version: '17.0.0' }], values: VALUES_1, files: { ...TEMPLATES, 'crds/widgets.yaml': WIDGET_CRD_V1 } };
  digests['1.0.0'] = (await pushUpgradeChart(target, repo, { ...old, version: '1.0.0', appVersion: '1.0.0' })).digest;
  digests['1.1.0'] = (await pushUpgradeChart(target, repo, { ...old, version: '1.1.0', appVersion: '1.1.0' })).digest;
  digests['2.0.0'] = (
    await pushUpgradeChart(target, repo, {
      name: 'shop',
      version: '2.0.0',
      appVersion: '2.0.0',
      kubeVersion: '>=1.28.0-0',
      deprecated: true,
      dependencies: [
        { name: 'redis', version: '18.1.0' },
        { name: 'postgresql', version: '15.0.0' },
      ],
      values: VALUES_2,
      schema: SCHEMA_2,
      files: {
        'templates/deployment.yaml': 'kind: Deployment\n',
        'templates/ingress.yaml': 'kind: Ingress\n',
        'templates/NOTES.txt': 'Thanks\n',
        'crds/widgets.yaml': WIDGET_CRD_V1.replace('[{name: v1}]', '[{name: v1}, {name: v2}]'),
        'crds/gadgets.yaml': WIDGET_CRD_V1.replace(/widgets/g, 'gadgets'),
      },
    })
  ).digest;
  return digests;
}

/** Release values that 2.0.0 breaks twice: ui.color was renamed, and 7 replicas exceed the new schema's maximum. */
export const SHOP_RELEASE_VALUES = `replicaCount: 7
ui:
  color: red
image:
  pullPolicy: Always
`;

/** An OCIRepository `flux-system/shop` for `oci://<host>/charts/shop` with the Helm layer selector and a semver range. */
export function shopSource(host: string, range: string): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: shop
  namespace: flux-system
spec:
  interval: 5m
  url: oci://${host}/charts/shop
  ref:
    semver: "${range}"
  layerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy
`;
}

/** A HelmRelease `flux-system/shop` whose chartRef names the OCIRepository shop, with SHOP_RELEASE_VALUES. */
export const SHOP_RELEASE = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: shop
  namespace: flux-system
spec:
  interval: 10m
  chartRef:
    kind: OCIRepository
    name: shop
  values:
${SHOP_RELEASE_VALUES.replace(/^/gm, '    ').trimEnd()}
`;
