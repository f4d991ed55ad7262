// The custom part of the client/server protocol: initialization options and the few requests and
// notifications beyond LSP, typed once here and imported by both sides. Plain types only: no runtime imports.

/** Sent by the client in `initialize.initializationOptions`. */
export interface FluxOciInitializationOptions {
  /** `vscode.workspace.isTrusted`: when false the server must never contact a registry or read Secrets for credentials. */
  workspaceTrusted: boolean;
  /** Name and version of the client, for the server's log. */
  clientName?: string;
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
  };
}
