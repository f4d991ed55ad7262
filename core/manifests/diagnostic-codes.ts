// Every diagnostic code the offline engine emits, with its default severity and a one-line description.
// The single source for the README table and SARIF rules; holds no checking logic.
import type { Severity } from '../diagnostic';

export interface DiagnosticCodeInfo {
  severity: Severity;
  description: string;
}

export const DIAGNOSTIC_CODES = {
  'yaml-syntax': { severity: 'error', description: 'The YAML cannot be parsed (bad indentation, unclosed quote, duplicate key, ...).' },
  'document-too-complex': { severity: 'information', description: 'A YAML document nests too deeply (or its merge keys expand too far) to be checked; it is skipped.' },
  'document-too-large': { severity: 'information', description: 'A YAML document is too large to validate; it is skipped.' },
  'api-version-removed': { severity: 'warning', description: 'The apiVersion was removed from Flux; a quick fix moves it to the current version when the fields allow.' },
  'api-version-unknown': { severity: 'error', description: 'The apiVersion does not exist for this Flux kind; the message lists the versions that do.' },
  'field-unknown': { severity: 'warning', description: 'A field the Flux CRD does not define (with a "did you mean" when a known field is close).' },
  'field-required': { severity: 'error', description: 'A field the Flux CRD requires is missing.' },
  'field-type': { severity: 'error', description: 'A value has the wrong type (e.g. a string where the CRD wants a boolean).' },
  'field-enum': { severity: 'error', description: 'A value is not one of the values the CRD allows.' },
  'field-pattern': { severity: 'error', description: "A string does not match the CRD's pattern." },
  'field-bounds': { severity: 'error', description: "A value breaks the CRD's length, size or numeric bounds." },
  'duration-invalid': { severity: 'error', description: 'A duration is not in Go form such as 30s, 5m or 1h30m.' },
  'metadata-name-invalid': { severity: 'error', description: 'metadata.name is not a DNS-1123 subdomain or metadata.namespace is not a DNS-1123 label, so the API server refuses the object.' },
  'patch-partial-object': { severity: 'information', description: 'The document looks like a Kustomize patch, so missing required fields are not reported.' },
  'oci-url-invalid': { severity: 'error', description: 'spec.url is not oci://host[:port]/repository.' },
  'oci-url-tag-or-digest': { severity: 'error', description: 'spec.url carries a tag or digest; those belong in spec.ref.tag / spec.ref.digest.' },
  'oci-ref-git-field': {
    severity: 'warning',
    description:
      "spec.ref has a Git field (branch, commit, name); OCIRepository refs are tag, semver or digest, and Kubernetes prunes the field (Flux pulls 'latest' when no tag/semver/digest is left).",
  },
  'oci-ref-precedence': { severity: 'information', description: 'More than one of tag/semver/digest is set; says which one Flux uses (digest > semver > tag).' },
  'oci-ref-semver-invalid': { severity: 'error', description: 'spec.ref.semver is not a valid semver range as Flux (Masterminds) parses it.' },
  'oci-ref-semver-filter-invalid': { severity: 'error', description: 'spec.ref.semverFilter is not a valid Go (RE2) regular expression.' },
  'oci-ref-semver-filter-ignored': { severity: 'warning', description: 'spec.ref.semverFilter without spec.ref.semver is ignored by Flux.' },
  'oci-ref-digest-invalid': { severity: 'error', description: 'spec.ref.digest is not algorithm:hex (sha256 with 64 hex digits, sha512 with 128).' },
  'verify-oidc-identity-not-cosign': { severity: 'error', description: 'verify.matchOIDCIdentity only applies to the cosign provider.' },
  'helmrelease-chart-source-conflict': { severity: 'error', description: 'A HelmRelease sets both spec.chart and spec.chartRef; exactly one is allowed.' },
  'helmrelease-chart-missing': { severity: 'error', description: 'A HelmRelease sets neither spec.chart nor spec.chartRef.' },
  'helmrelease-chart-source-oci': { severity: 'error', description: 'chart.spec.sourceRef cannot be an OCIRepository; use spec.chartRef (quick fix).' },
  'helm-chart-version-invalid': { severity: 'error', description: "A HelmRelease's chart.spec.version or a HelmChart's spec.version is not a semver range as Helm (Masterminds) parses it." },
  'helmrelease-kubeconfig-one-of': { severity: 'error', description: 'spec.kubeConfig needs exactly one of configMapRef or secretRef.' },
  'helmchart-verify-source': { severity: 'error', description: 'HelmChart spec.verify is only supported when sourceRef.kind is HelmRepository.' },
  'secret-dockerconfigjson-invalid': { severity: 'error', description: 'A kubernetes.io/dockerconfigjson Secret whose .dockerconfigjson is not base64 JSON with "auths".' },
  'secret-ref-not-found': { severity: 'information', description: 'No Secret (plain, SOPS-encrypted or SealedSecret) of that name in that namespace is in the workspace.' },
  'chart-ref-not-found': { severity: 'information', description: 'The OCIRepository/HelmChart named by chartRef is not in the workspace.' },
  'substitution-unresolved': {
    severity: 'information',
    description: 'A `${VAR}` that no postBuild value (substitute, substituteFrom ConfigMap/Secret, default) of the Flux Kustomization applying the object resolves.',
  },
  'image-policy-pattern-invalid': { severity: 'error', description: 'ImagePolicy spec.filterTags.pattern is not a valid Go (RE2) regular expression.' },
  'image-policy-extract-group-unknown': {
    severity: 'error',
    description: 'ImagePolicy spec.filterTags.extract names a group ($name, ${name}, $1) the pattern does not have; it expands to an empty string.',
  },
  'image-policy-extract-constant': { severity: 'warning', description: 'ImagePolicy spec.filterTags.extract names no group, so every tag extracts to the same text.' },
  'image-policy-semver-invalid': { severity: 'error', description: 'ImagePolicy spec.policy.semver.range is not a valid Masterminds semver range.' },
  'image-policy-choice': { severity: 'error', description: 'ImagePolicy spec.policy sets none of semver, alphabetical, numerical (error), or several (warning naming the one Flux uses).' },
  'image-policy-interval-rule': { severity: 'error', description: "ImagePolicy spec.interval without digestReflectionPolicy 'Always', or 'Always' without an interval (the CRD's validation rules)." },
  'image-repository-image-invalid': { severity: 'error', description: 'ImageRepository spec.image has a URL scheme, a tag or a digest; it must name a repository (quick fix removes it).' },
  'image-repository-exclusion-invalid': { severity: 'error', description: 'An ImageRepository spec.exclusionList entry is not a valid Go (RE2) regular expression.' },
  'image-marker-malformed': { severity: 'error', description: 'A `# {"$imagepolicy": ...}` setter marker is not `<namespace>:<name>` with an optional `:tag`, `:name` or `:digest`.' },
  'image-policy-not-found': { severity: 'error', description: 'A `$imagepolicy` marker names an ImagePolicy that is not in the workspace.' },
  'image-marker-not-automated': {
    severity: 'information',
    description: 'No ImageUpdateAutomation in the workspace (same namespace as the policy, update.path covering the file) will rewrite this marker.',
  },
} as const satisfies Record<string, DiagnosticCodeInfo>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
