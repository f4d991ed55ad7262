// Hover documentation for Flux fields, written for this extension (not copied from the CRDs): what the
// field is for and what Flux does with it. Keyed by "Kind:path" with `[]` for list items. Prose only.
import { IMAGE_FIELD_DOCS, IMAGE_KIND_DOCS } from './image-field-docs';

export const KIND_DOCS: Record<string, string> = {
  OCIRepository:
    'Flux source that pulls an artifact (a Helm chart, Kubernetes manifests or any OCI artifact) from an OCI registry at `spec.url`, picks a version by `spec.ref`, and makes it available to HelmReleases (via `chartRef`) and Kustomizations.',
  HelmRelease:
    'Flux object that installs and upgrades a Helm chart. The chart comes from `spec.chartRef` (an OCIRepository or HelmChart) or from `spec.chart` (a chart template pulled from a HelmRepository, GitRepository or Bucket).',
  HelmRepository: 'Flux source for a Helm chart repository (an HTTP index.yaml repository, or `type: oci` for an OCI registry used with `spec.chart`).',
  HelmChart: "Flux source holding one chart taken from a HelmRepository, GitRepository or Bucket; usually created by a HelmRelease's `spec.chart`.",
  GitRepository: 'Flux source that clones a Git repository at a branch, tag, semver range or commit.',
  Bucket: 'Flux source that downloads files from an S3-compatible bucket.',
  ...IMAGE_KIND_DOCS,
  Secret: 'Kubernetes Secret. Flux sources read registry credentials from `kubernetes.io/dockerconfigjson` Secrets, and TLS material from `certSecretRef` Secrets.',
};

const O = 'OCIRepository:spec.';
const H = 'HelmRelease:spec.';

export const FIELD_DOCS: Record<string, string> = {
  [`${O}interval`]: 'How often Flux checks the registry for a new artifact (a Go duration such as `5m` or `1h30m`). Required.',
  [`${O}url`]: 'The repository to pull from, as `oci://host[:port]/path`. No tag or digest here: those go in `spec.ref`. Required.',
  [`${O}ref`]: 'Which artifact version to pull. Flux looks at `digest` first, then `semver`, then `tag`; with none set it pulls the `latest` tag.',
  [`${O}ref.tag`]: 'Pull this exact tag. Ignored when `semver` or `digest` is set.',
  [`${O}ref.semver`]:
    'A semver range (Masterminds syntax, e.g. `>=1.2.0 <2.0.0`, `~1.4`, `^2`). Flux lists every tag, keeps those that parse as versions and match, and pulls the highest. Wins over `tag`.',
  [`${O}ref.semverFilter`]: 'A Go regular expression applied to the tag list before `semver` picks a version (e.g. `.*-rc.*` to consider only release candidates). Only used together with `semver`.',
  [`${O}ref.digest`]: 'Pull this exact manifest digest (`sha256:<64 hex>`). Wins over `semver` and `tag`; the most reproducible choice.',
  [`${O}layerSelector`]: 'Which layer of the artifact Flux takes, and whether it unpacks it.',
  [`${O}layerSelector.mediaType`]: 'Media type of the layer to take; the first layer when unset. For Helm charts use `application/vnd.cncf.helm.chart.content.v1.tar+gzip`.',
  [`${O}layerSelector.operation`]: '`extract` (default) unpacks the tarball layer; `copy` keeps the layer as is (what HelmRelease chartRef needs for charts).',
  [`${O}provider`]:
    "Where credentials come from: `generic` (default: `secretRef` or anonymous) or the cloud provider's workload identity for `aws` (ECR), `azure` (ACR) or `gcp` (Artifact/Container Registry).",
  [`${O}secretRef`]: 'Name of a `kubernetes.io/dockerconfigjson` Secret in the same namespace holding registry credentials.',
  [`${O}certSecretRef`]: 'Name of a Secret in the same namespace with TLS material (`ca.crt`, and `tls.crt`/`tls.key` for client certificates) for talking to the registry.',
  [`${O}proxySecretRef`]: 'Name of a Secret with `address` (and optionally `username`/`password`) of an HTTP/S proxy to reach the registry through.',
  [`${O}serviceAccountName`]: 'A ServiceAccount whose image pull secrets Flux uses for the registry (or whose identity it uses with a cloud `provider`).',
  [`${O}verify`]: "Verify the artifact's signature before using it; Flux refuses unsigned or wrongly signed artifacts.",
  [`${O}verify.provider`]: '`cosign` (default) or `notation`.',
  [`${O}verify.secretRef`]: 'Secret with the public keys (cosign) or trust policy and certificates (notation). Without it cosign uses keyless verification.',
  [`${O}verify.matchOIDCIdentity`]: 'For cosign keyless signatures: the OIDC issuer and subject regexps the signing identity must match. Without it any identity is accepted.',
  [`${O}verify.trustedRootSecretRef`]: 'Secret with a custom Sigstore trusted root for cosign verification.',
  [`${O}insecure`]: 'Talk to the registry over plain HTTP. Only for local or test registries.',
  [`${O}ignore`]: 'Gitignore-style patterns of files to leave out of the extracted artifact.',
  [`${O}suspend`]: 'Stop reconciling this source until set back to false.',
  [`${O}timeout`]: 'How long one registry operation may take (default `60s`).',
  [`${H}interval`]: 'How often Flux reconciles the release (checks for drift and a new chart or values). Required.',
  [`${H}chartRef`]: 'The chart to install, taken from an existing source: an OCIRepository (chart in an OCI registry), a HelmChart, or an ExternalArtifact. Use this or `chart`, not both.',
  [`${H}chartRef.kind`]: '`OCIRepository`, `HelmChart` or `ExternalArtifact`.',
  [`${H}chartRef.name`]: 'Name of the source object.',
  [`${H}chartRef.namespace`]: "Namespace of the source object; defaults to the HelmRelease's namespace.",
  [`${H}chart`]: 'A template from which Flux creates a HelmChart: chart name and version from a HelmRepository, GitRepository or Bucket. For OCI registries prefer `chartRef` to an OCIRepository.',
  [`${H}chart.spec.chart`]: 'Chart name in a Helm repository, or the path to the chart in a Git repository or bucket.',
  [`${H}chart.spec.version`]: 'Chart version or semver range (default `*`, the latest). Only for HelmRepository sources.',
  [`${H}chart.spec.sourceRef`]: 'The source with the chart: HelmRepository, GitRepository or Bucket. An OCIRepository goes in `spec.chartRef` instead.',
  [`${H}chart.spec.sourceRef.kind`]: '`HelmRepository`, `GitRepository` or `Bucket`.',
  [`${H}chart.spec.interval`]: "How often to check the source for a new chart version; defaults to the HelmRelease's interval.",
  [`${H}chart.spec.valuesFiles`]: 'Values files inside the chart merged over its default values.yaml, in order.',
  [`${H}releaseName`]: 'Helm release name; defaults to `[targetNamespace-]name`.',
  [`${H}targetNamespace`]: "Namespace the chart's resources go to; defaults to the HelmRelease's namespace.",
  [`${H}storageNamespace`]: 'Namespace where Helm keeps the release history.',
  [`${H}dependsOn`]: 'HelmReleases that must be ready before this one is installed or upgraded.',
  [`${H}values`]: 'Helm values, merged over the chart defaults and `valuesFrom`. Anything goes here: the chart decides.',
  [`${H}valuesFrom`]: 'ConfigMaps or Secrets whose keys hold values, merged in order before `values`.',
  [`${H}install`]: 'How the first install runs: remediation on failure, CRD policy, namespace creation, timeouts.',
  [`${H}upgrade`]: 'How upgrades run: remediation (retries, rollback or uninstall), CRD policy, cleanup on failure.',
  [`${H}rollback`]: 'Options used when an upgrade is remediated by rolling back.',
  [`${H}uninstall`]: 'Options used when the release is uninstalled.',
  [`${H}test`]: "Run the chart's Helm tests after install/upgrade.",
  [`${H}driftDetection`]: "Compare the cluster with the release's manifests and report (`warn`) or correct (`enabled`) drift.",
  [`${H}postRenderers`]: 'Kustomize patches applied to the rendered manifests before they are applied.',
  [`${H}kubeConfig`]: 'Install into a remote cluster with the kubeconfig from a Secret or ConfigMap.',
  [`${H}serviceAccountName`]: 'ServiceAccount to impersonate when applying the release (multi-tenancy).',
  [`${H}suspend`]: 'Stop reconciling this release until set back to false.',
  [`${H}timeout`]: 'Time allowed for each Helm action (install, upgrade, test...); default 5m.',
  [`${H}maxHistory`]: 'Number of release revisions Helm keeps (default 5; 0 means no limit).',
  ...IMAGE_FIELD_DOCS,
};

/** Documentation for a field path below spec (e.g. `ref.semver`; list items as `[]`). */
export function fieldDoc(kind: string, specPath: string): string | undefined {
  return FIELD_DOCS[`${kind}:spec.${specPath}`];
}
