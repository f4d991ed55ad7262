// The custom part of the client/server protocol: initialization options and the few requests and
// notifications beyond LSP, typed once here and imported by both sides. Plain types only: no runtime imports.

/** Sent by the client in `initialize.initializationOptions`. */
export interface FluxOciInitializationOptions {
  /** `vscode.workspace.isTrusted`: when false the server must never contact a registry or read Secrets for credentials. */
  workspaceTrusted: boolean;
  /** Name and version of the client, for the server's log. */
  clientName?: string;
  /** The extension's global storage folder: registry and artifact caches live under it. */
  storagePath?: string;
}

/** Request `fluxOci/indexStatus`: what the server currently knows, for the output channel and tests. */
export const IndexStatusRequest = 'fluxOci/indexStatus' as const;
export interface IndexStatusResult {
  /** Number of YAML files in the workspace index (disk files plus open buffers). */
  files: number;
  /** Number of Kubernetes objects found in them. */
  objects: number;
  /** True once the initial workspace scan has finished. */
  workspaceScanned: boolean;
  workspaceTrusted: boolean;
}

/** Notification `fluxOci/workspaceTrustChanged` (client → server): the user granted trust to the workspace. */
export const WorkspaceTrustChangedNotification = 'fluxOci/workspaceTrustChanged' as const;
export interface WorkspaceTrustChangedParams {
  workspaceTrusted: boolean;
}

/** Notification `fluxOci/workspaceScanned` (server → client): the initial scan of workspace folders finished. */
export const WorkspaceScannedNotification = 'fluxOci/workspaceScanned' as const;
export interface WorkspaceScannedParams {
  files: number;
  skipped: number;
}

/** Parses initialization options defensively: unknown input means "untrusted". */
export function readInitializationOptions(value: unknown): FluxOciInitializationOptions {
  if (typeof value !== 'object' || value === null) return { workspaceTrusted: false };
  const record = value as Record<string, unknown>;
  return {
    workspaceTrusted: record.workspaceTrusted === true,
    clientName: typeof record.clientName === 'string' ? record.clientName : undefined,
    storagePath: typeof record.storagePath === 'string' && record.storagePath !== '' ? record.storagePath : undefined,
  };
}

// ───────────── Pull and inspect (issue 5) ─────────────

export interface ProtocolPosition {
  line: number;
  character: number;
}

export interface ProtocolRange {
  start: ProtocolPosition;
  end: ProtocolPosition;
}

/** Request `fluxOci/listTags`: the tags of a repository, newest version first. */
export const ListTagsRequest = 'fluxOci/listTags' as const;
export interface ListTagsParams {
  /** `oci://host/repo` (a tag or digest on it is ignored). */
  reference: string;
  /** When given, the tag the OCIRepository under this position resolves to comes back as `resolvedTag`. */
  uri?: string;
  position?: ProtocolPosition;
  /** Ask the registry again instead of using cached tags. */
  refresh?: boolean;
  workDoneToken?: string | number;
}
export interface ListTagsResult {
  /** `oci://host/repo` */
  reference: string;
  tags: string[];
  resolvedTag?: string;
  /** 'live', 'memory' (cached) or 'disk-stale' (registry unreachable, older copy). */
  source: string;
  fetchedAt: number;
}

export interface ArtifactFileEntry {
  path: string;
  size: number;
}

/** Request `fluxOci/pullArtifact`: pulls into the server's cache; progress via `workDoneToken`, cancellable. */
export const PullArtifactRequest = 'fluxOci/pullArtifact' as const;
export interface PullArtifactParams {
  /** `oci://host/repo:tag`, `oci://host/repo@sha256:…` (or without `oci://`). */
  reference: string;
  /** OCIRepository `spec.layerSelector.mediaType`. */
  layerMediaType?: string;
  /** Allow plain HTTP (OCIRepository `insecure: true`). */
  insecure?: boolean;
  /** Download and extract a container image's layer (otherwise only listed). */
  extractImageLayers?: boolean;
  /** Look for signatures (the OCIRepository sets `spec.verify`). */
  checkSignatures?: boolean;
  /** Seconds one blob download may take (the OCIRepository's `spec.timeout`); a positive number, default 10 minutes. */
  timeoutSeconds?: number;
  workDoneToken?: string | number;
}
export interface PullArtifactResult {
  /** Handle for readArtifactFile/compareArtifacts: `<registry>/<repository>@<digest>`. */
  id: string;
  reference: string;
  registry: string;
  repository: string;
  digest: string;
  /** 'helm-chart' | 'flux-artifact' | 'container-image' | 'other' */
  kind: string;
  extracted: boolean;
  files: ArtifactFileEntry[];
  /** The inspect summary rendered by the core's markdown renderer. */
  summaryMarkdown: string;
  chart?: { name: string; version: string; appVersion?: string };
  layerWarning?: string;
}

/** Request `fluxOci/readArtifactFile`: one file of a pulled artifact (the client never reads the cache itself). */
export const ReadArtifactFileRequest = 'fluxOci/readArtifactFile' as const;
export interface ReadArtifactFileParams {
  id: string;
  path: string;
}
export interface ReadArtifactFileResult {
  path: string;
  size: number;
  /** 'utf8' for text, 'base64' for binary content. */
  encoding: 'utf8' | 'base64';
  content: string;
}

/** Request `fluxOci/compareArtifacts`: file-level differences between two pulled artifacts. */
export const CompareArtifactsRequest = 'fluxOci/compareArtifacts' as const;
export interface CompareArtifactsParams {
  leftId: string;
  rightId: string;
}
export interface ArtifactFileChange {
  path: string;
  status: 'added' | 'removed' | 'changed';
  sizeBefore?: number;
  sizeAfter?: number;
}
export interface CompareArtifactsResult {
  added: ArtifactFileChange[];
  removed: ArtifactFileChange[];
  changed: ArtifactFileChange[];
  unchanged: number;
  /** A markdown page listing the differences with sizes. */
  markdown: string;
}

/** What the editor knows about one OCI source in the workspace. */
export interface WorkspaceSource {
  kind: 'OCIRepository' | 'HelmRepository';
  name: string;
  namespace: string;
  /** The manifest holding the object, and the object's range in it. */
  uri: string;
  range: ProtocolRange;
  /** `oci://host/repo` */
  reference?: string;
  ref: { tag?: string; semver?: string; semverFilter?: string; digest?: string };
  layerMediaType?: string;
  insecure?: boolean;
  verify?: boolean;
  /** The OCIRepository's `spec.timeout` in seconds, when it sets a valid Go duration. */
  timeoutSeconds?: number;
  /** The tag Flux would pull, when the registry (or its cache) was asked. */
  resolvedTag?: string;
  /** Why the source has no reference or resolution (substitution variable, registry error, untrusted…). */
  problem?: string;
}

/** Request `fluxOci/artifactAtPosition`: the OCI source of the object under a position (a HelmRelease follows chartRef). */
export const ArtifactAtPositionRequest = 'fluxOci/artifactAtPosition' as const;
export interface ArtifactAtPositionParams {
  uri: string;
  position: ProtocolPosition;
}
export type ArtifactAtPositionResult = WorkspaceSource | null;

/** Request `fluxOci/workspaceSources`: every OCIRepository in the workspace (for the tree view). */
export const WorkspaceSourcesRequest = 'fluxOci/workspaceSources' as const;
export interface WorkspaceSourcesParams {
  /** Also resolve each ref to a tag (asks the registry or its cache). */
  resolve?: boolean;
}
export type WorkspaceSourcesResult = WorkspaceSource[];

/** Request `fluxOci/imagePolicies`: every ImagePolicy in the workspace and the tag it selects now (for the tree view). */
export const ImagePoliciesRequest = 'fluxOci/imagePolicies' as const;
export interface ImagePolicyEntry {
  namespace: string;
  name: string;
  /** The manifest holding the policy, and its name's range in it. */
  uri: string;
  range: ProtocolRange;
  /** How the policy chooses, e.g. `semver 6.x`. */
  policy: string;
  /** The tag image-reflector-controller would select now. */
  tag?: string;
  /** Why there is no tag (no match, registry error, untrusted…). */
  problem?: string;
  /** `$imagepolicy` markers in the workspace naming it. */
  markers: number;
}
export type ImagePoliciesResult = ImagePolicyEntry[];

/** Notification `fluxOci/workspaceChanged` (server → client): the set of indexed objects may have changed. */
export const WorkspaceChangedNotification = 'fluxOci/workspaceChanged' as const;

/** Notification `fluxOci/registryActivity` (server → client): registry calls in flight and the last outcome. */
export const RegistryActivityNotification = 'fluxOci/registryActivity' as const;
export interface RegistryActivityParams {
  /** Registry calls in flight. */
  busy: number;
  /** What the newest call is doing, e.g. "Listing tags of ghcr.io/org/app". */
  label?: string;
  /** The last finished call's failure (one sentence), absent when it succeeded. */
  lastError?: string;
  /** How registries are reached: proxy address (no credentials), NO_PROXY, CA bundle. */
  network?: string;
}

/** Notification `fluxOci/setCredentials` (client → server): credentials the user stored, replacing earlier ones. Never logged. */
export const SetCredentialsNotification = 'fluxOci/setCredentials' as const;
export interface SetCredentialsParams {
  credentials: Array<{ host: string; username: string; password: string }>;
}

/** Request `fluxOci/refresh` (client → server): drop in-memory caches and re-resolve. */
export const RefreshRequest = 'fluxOci/refresh' as const;

/** Request `fluxOci/resolveDigest`: the manifest digest a tag names now (for "copy reference with digest"). */
export const ResolveDigestRequest = 'fluxOci/resolveDigest' as const;
export interface ResolveDigestParams {
  /** `oci://host/repo:tag` */
  reference: string;
  insecure?: boolean;
}
export interface ResolveDigestResult {
  /** `oci://host/repo:tag@sha256:…` */
  reference: string;
  digest: string;
}

// ───────────── Upgrade safety (issue 13) ─────────────

/** Request `fluxOci/upgradeReport`: what moving the chart under a position to another version does to its release. */
export const UpgradeReportRequest = 'fluxOci/upgradeReport' as const;
export interface UpgradeReportParams {
  uri: string;
  /** On an OCIRepository, a HelmRelease's chart/chartRef, or anywhere in either object. */
  position: ProtocolPosition;
  /** The version to upgrade to; default: the newest version outside the range (else the one the range moved to). */
  to?: string;
  /** For an object its Flux Kustomizations apply differently: the Kustomization (namespace/name) whose variant to report. */
  kustomization?: string;
  workDoneToken?: string | number;
}
export interface UpgradeReportResult {
  /** The report as a Markdown page. */
  markdown: string;
  /** `oci://host/repo` */
  source: string;
  chart: string;
  from: string;
  to: string;
  /** `oci://host/repo:<from>` and `…:<to>`, for pulling both sides (Compare with Another Version). */
  fromReference: string;
  toReference: string;
  /** Pull options of the source, so the client's pulls match the server's. */
  insecure?: boolean;
  layerMediaType?: string;
  /** Number of breaking findings. */
  breaking: number;
  findings: Array<{ level: 'breaking' | 'notable' | 'info'; topic: string; subject: string; message: string }>;
}

/** The command a "Preview Upgrade to X…" code lens (and hover link) runs; its argument. */
export const PreviewUpgradeCommand = 'fluxOci.previewUpgrade' as const;
export interface PreviewUpgradeArgument {
  uri: string;
  position: ProtocolPosition;
  to?: string;
  /** See UpgradeReportParams.kustomization. */
  kustomization?: string;
}
