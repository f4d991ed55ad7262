// Small manifests shared by the language-server tests (each one line-exact: tests assert ranges in them).
export const OCI_WITH_BRANCH = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 5m
  url: oci://ghcr.io/stefanprodan/manifests/podinfo
  ref:
    branch: main
`;

export const OCI_V1BETA2 = `apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 5m
  url: oci://ghcr.io/stefanprodan/manifests/podinfo
  ref:
    semver: ">=6.0.0 <7.0.0"
`;

/** A HelmRelease whose chartRef names the OCIRepository flux-system/podinfo. */
export const HELMRELEASE_CHARTREF = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 10m
  chartRef:
    kind: OCIRepository
    name: podinfo
`;

export const HELMRELEASE_V1 = HELMRELEASE_CHARTREF.replace('helm.toolkit.fluxcd.io/v2', 'helm.toolkit.fluxcd.io/v1');

export const HELMRELEASE_SOURCEREF_OCI = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 10m
  chart:
    spec:
      chart: podinfo
      sourceRef:
        kind: OCIRepository
        name: podinfo
  values:
    replicaCount: 2
`;

export const OCI_WITH_SECRET_REF = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: private-app
  namespace: apps
spec:
  interval: 5m
  url: oci://registry.example.com/team/app
  ref:
    tag: 1.2.3
  secretRef:
    name: regcred
`;

export const SECRET_REGCRED = `apiVersion: v1
kind: Secret
metadata:
  name: regcred
  namespace: apps
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '{"auths":{}}'
`;

export const MALFORMED_YAML = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata: {name: [unclosed
spec:
\t- : :
  url: "oci://
---
- &a [*a, *a
`;
