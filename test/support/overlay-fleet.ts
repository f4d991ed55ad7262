// A small fleet whose two clusters apply one HelmRelease differently: staging's overlay pins chart 1.0.0 while the
// source resolves 1.2.0 (a mismatch), production's reads another chart repository (no mismatch). Test helper.
import type { Registry } from './registry';
import { pushChart } from '../core/live/live-fixtures';

const HELM_LAYER = '  layerSelector:\n    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip\n    operation: copy\n';

const cluster = (name: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps-${name}
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/${name}
  prune: true
  targetNamespace: demo-${name}
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

/** The fleet's files by path relative to the repository root; charts come from `host` (see pushOverlayFleetCharts). */
export function overlayFleetFiles(host: string): Record<string, string> {
  return {
    'clusters/staging/apps.yaml': cluster('staging'),
    'clusters/production/apps.yaml': cluster('production'),
    'apps/base/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - source.yaml\n  - release.yaml\n',
    'apps/base/source.yaml': `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: demo\nspec:\n  interval: 5m\n  url: oci://${host}/charts/demo\n${HELM_LAYER}  ref:\n    semver: "1.x"\n`,
    'apps/base/release.yaml':
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: demo\nspec:\n  interval: 5m\n  chart:\n    spec:\n      chart: demo\n      version: "1.2.0"\n      sourceRef:\n        kind: OCIRepository\n        name: demo\n  values:\n    replicaCount: 2\n',
    'apps/staging/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../base
patches:
  - target:
      kind: HelmRelease
      name: demo
    patch: |
      - op: replace
        path: /spec/chart/spec/version
        value: "1.0.0"
`,
    'apps/production/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../base
patches:
  - target:
      kind: OCIRepository
      name: demo
    patch: |
      - op: replace
        path: /spec/url
        value: oci://${host}/charts/demo-prod
`,
  };
}

/** charts/demo holds 1.0.0 and 1.2.0; charts/demo-prod holds 1.2.0 and 2.0.0, whose values also have `ingress`. */
export async function pushOverlayFleetCharts(registry: Registry): Promise<void> {
  for (const version of ['1.0.0', '1.2.0']) await pushChart(registry, 'charts/demo', { name: 'demo', version, appVersion: version, values: 'replicaCount: 1\n' });
  for (const version of ['1.2.0', '2.0.0']) await pushChart(registry, 'charts/demo-prod', { name: 'demo', version, appVersion: version, values: 'replicaCount: 1\ningress:\n  enabled: false\n' });
}
