// Tells which user-visible features the built extension has (package.json contributions, what the bundled server wires),
// so e2e steps for features still in progress are skipped with a reason instead of failing or being faked.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BuildFeatures {
  /** The server publishes diagnostics (offline validation wired). */
  diagnostics: boolean;
  codeActions: boolean;
  /** Hover backed by the registry client (the server bundle contains the tag-listing client). */
  registryHover: boolean;
  registryCompletion: boolean;
  pullCommand?: { id: string; title: string };
  sourcesView?: { id: string; name: string };
}

interface Contributes {
  commands?: Array<{ command: string; title: string; category?: string }>;
  views?: Record<string, Array<{ id: string; name: string }>>;
}

export function detectBuildFeatures(root: string): BuildFeatures {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes?: Contributes };
  const serverPath = join(root, 'dist', 'server.js');
  const server = existsSync(serverPath) ? readFileSync(serverPath, 'utf8') : '';
  // The registry client lists tags through /v2/<name>/tags/list; only a server that imports core/oci contains that path.
  const hasRegistryClient = server.includes('tags/list');
  const commands = pkg.contributes?.commands ?? [];
  const pull = commands.find((c) => c.command === 'fluxOci.pullAndInspect') ?? commands.find((c) => /pull/i.test(c.command));
  const views = Object.values(pkg.contributes?.views ?? {}).flat();
  const sources = views.find((v) => /oci/i.test(v.name) || /sources/i.test(v.id));
  // The LSP library always contains sendDiagnostics/onHover; a diagnostic code of core/manifests is only bundled
  // when the server really runs the validation engine, and the *Provider names only when the server declares them.
  const validation = server.includes('helmrelease-chart-source-oci');
  return {
    diagnostics: validation,
    codeActions: validation && server.includes('codeActionProvider'),
    registryHover: hasRegistryClient && server.includes('hoverProvider'),
    registryCompletion: hasRegistryClient && server.includes('completionProvider'),
    pullCommand: pull ? { id: pull.command, title: pull.title } : undefined,
    sourcesView: sources ? { id: sources.id, name: sources.name } : undefined,
  };
}
