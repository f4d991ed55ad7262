// Shared set-up of the registry-backed language-server tests: a real registry, a workspace folder of manifests and a
// trusted server over stdio with its own storage folder, all torn down (and stdout checked for stray bytes) after.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileUri, LspClient } from '../support/lsp-client';
import { startRegistry, type Registry } from '../support/registry';
import { HELMRELEASE_CHARTREF } from './fixtures';

export const HELM_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';

/**
 * An OCIRepository for `oci://<host>/charts/podinfo` with a Helm layer selector; `ref` is one line under `ref:`,
 * and `timeout` / `provider`, when given, are written as spec.timeout / spec.provider.
 */
export function podinfoRepository(host: string, name: string, ref: string, timeout?: string, provider?: string): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 5m
${timeout === undefined ? '' : `  timeout: ${timeout}\n`}${provider === undefined ? '' : `  provider: ${provider}\n`}  url: oci://${host}/charts/podinfo
  ref:
    ${ref}
  layerSelector:
    mediaType: ${HELM_LAYER}
    operation: copy
`;
}

/** The cloud sign-in tests' source: `podinfoRepository` with `semver: ">=6.0.0"` and spec.provider set. */
export function providerRepository(name: string, host: string, provider: string): string {
  return podinfoRepository(host, name, 'semver: ">=6.0.0"', undefined, provider);
}

/** Where `providerRepository`'s semver range sits (line 10, inside the quoted range). */
export const PROVIDER_SEMVER_POSITION = { line: 10, character: 14 };

/** The markdown of the server's hover at `position` in the workspace file `relative` ('' when it has none). */
export async function hoverText(server: LiveServer, relative: string, position: { line: number; character: number }, timeoutMs?: number): Promise<string> {
  const answer = await server.client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: server.uris[relative]! }, position }, timeoutMs);
  return answer?.contents.value ?? '';
}

/** A HelmRelease whose chartRef names the OCIRepository flux-system/podinfo. */
export const PODINFO_RELEASE = HELMRELEASE_CHARTREF;

export interface LiveServer {
  registry: Registry;
  client: LspClient;
  workspace: string;
  storage: string;
  /** file: URIs of the written manifests, by their relative path. */
  uris: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts a registry, lets `seed` push to it and name the workspace files (relative path → text), writes them, starts a
 * trusted server on that folder (after `configure` set its answers to workspace/configuration) and waits for its initial scan.
 */
export async function startLiveServer(prefix: string, seed: (registry: Registry) => Promise<Record<string, string>>, configure?: (client: LspClient) => void): Promise<LiveServer> {
  const registry = await startRegistry();
  const workspace = mkdtempSync(join(tmpdir(), `flux-oci-${prefix}-ws-`));
  const storage = mkdtempSync(join(tmpdir(), `flux-oci-${prefix}-storage-`));
  let client: LspClient | undefined;
  const stop = async (): Promise<void> => {
    await client?.stop();
    await registry.stop();
    for (const dir of [workspace, storage]) rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(client?.strayOutput ?? [], [], 'the server wrote something other than the protocol to stdout');
  };
  try {
    const files = await seed(registry);
    const uris: Record<string, string> = {};
    for (const [relative, text] of Object.entries(files)) {
      const path = join(workspace, relative);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      uris[relative] = fileUri(path);
    }
    client = await LspClient.start();
    configure?.(client);
    await client.initialize({ rootPath: workspace, initializationOptions: { workspaceTrusted: true, storagePath: storage } });
    await client.waitForNotification('fluxOci/workspaceScanned');
    return { registry, client, workspace, storage, uris, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
