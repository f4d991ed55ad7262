// Hover documentation for the image-automation kinds (ImageRepository, ImagePolicy, ImageUpdateAutomation),
// written for this extension in the style of field-docs.ts. Prose only; field-docs.ts merges it in.

export const IMAGE_KIND_DOCS: Record<string, string> = {
  ImageRepository: 'Flux image-reflector object that scans a container image repository (`spec.image`) for its tags at `spec.interval`, dropping tags that match `spec.exclusionList`.',
  ImagePolicy:
    'Flux image-reflector object that picks the latest tag of an ImageRepository by a policy (`semver`, `alphabetical` or `numerical`), after filtering tags with `filterTags`. Markers `# {"$imagepolicy": "<namespace>:<name>"}` in Git are set to its result by ImageUpdateAutomation.',
  ImageUpdateAutomation:
    'Flux image-automation object that checks out a Git repository (`spec.sourceRef`), rewrites every `$imagepolicy` marker under `spec.update.path` to the tag its ImagePolicy selects, then commits and pushes.',
};

const R = 'ImageRepository:spec.';
const P = 'ImagePolicy:spec.';
const U = 'ImageUpdateAutomation:spec.';

export const IMAGE_FIELD_DOCS: Record<string, string> = {
  [`${R}image`]: 'The image repository to scan, without tag or digest, e.g. `ghcr.io/stefanprodan/podinfo` (Docker Hub names like `nginx` mean `docker.io/library/nginx`).',
  [`${R}interval`]: "How often Flux lists the repository's tags (a Go duration such as `5m`). Required.",
  [`${R}exclusionList`]:
    'Go regular expressions; tags matching any of them are dropped before policies see them. Defaults to `^.*\\.sig$` (cosign signature tags); setting a list replaces the default.',
  [`${R}secretRef`]: 'Name of a `kubernetes.io/dockerconfigjson` Secret in the same namespace with credentials for the registry.',
  [`${R}certSecretRef`]: 'Name of a Secret with TLS material (`ca.crt`, `tls.crt`/`tls.key`) for the registry.',
  [`${R}proxySecretRef`]: 'Name of a Secret with the `address` (and optional `username`/`password`) of an HTTP/S proxy to the registry.',
  [`${R}provider`]: 'Where credentials come from: `generic` (default: `secretRef` or anonymous) or the cloud workload identity of `aws`, `azure` or `gcp`.',
  [`${R}insecure`]: 'Allow plain HTTP to the registry. Only for local or test registries.',
  [`${R}serviceAccountName`]: 'A ServiceAccount whose image pull secrets are used for the registry.',
  [`${R}suspend`]: 'Stop scanning until set back to false.',
  [`${R}timeout`]: 'How long one scan may take.',
  [`${P}imageRepositoryRef`]: 'The ImageRepository whose tags this policy chooses from (`name`, optional `namespace`). Required.',
  [`${P}policy`]: 'How the latest tag is chosen: exactly one of `semver`, `alphabetical` or `numerical`. Required.',
  [`${P}policy.semver.range`]: 'A semver range (Masterminds syntax, e.g. `>=1.0.0` or `5.x`); the highest tag inside it wins. Prereleases count only when the range mentions one (e.g. `>=1.0.0-0`).',
  [`${P}policy.alphabetical.order`]: '`asc` (default): the tag that sorts last byte by byte wins; `desc`: the one that sorts first.',
  [`${P}policy.numerical.order`]: '`asc` (default): the largest number wins; `desc`: the smallest. Every tag left after `filterTags` must be a number, or the policy fails.',
  [`${P}filterTags`]: 'Keeps only tags matching `pattern` (a Go regular expression) and, with `extract`, compares the extracted text instead of the tag.',
  [`${P}filterTags.pattern`]: 'Go (RE2) regular expression; only matching tags are considered. Named groups are written `(?P<name>…)`.',
  [`${P}filterTags.extract`]: 'Replacement template applied to the match, e.g. `$ts` or `${version}` or `$1`; the policy compares these values and Flux writes the original tag.',
  [`${P}digestReflectionPolicy`]: '`IfNotPresent` (default), `Always` or `Never`: when Flux looks up the digest of the chosen tag (needed for `:digest` markers).',
  [`${P}interval`]: 'How often to re-check the digest when `digestReflectionPolicy` is `Always`.',
  [`${U}sourceRef`]: 'The GitRepository to check out, change and push (in this namespace unless `namespace` is given).',
  [`${U}git`]: 'Branch to check out and push to, and the commit author and message template.',
  [`${U}update`]: 'What to update: `strategy: Setters` (the only one) rewrites every `$imagepolicy` marker below `path`.',
  [`${U}update.path`]: 'Directory of the Git repository (relative to its root) whose YAML files are scanned for markers; defaults to the root.',
  [`${U}update.strategy`]: '`Setters`: rewrite the fields marked with `# {"$imagepolicy": "<namespace>:<name>[:tag|:name|:digest]"}`.',
  [`${U}policySelector`]: 'Labels selecting which ImagePolicies of this namespace the automation applies; all of them when unset.',
  [`${U}interval`]: 'How often the automation runs. Required.',
  [`${U}suspend`]: 'Stop the automation until set back to false.',
};
