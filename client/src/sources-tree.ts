// The "OCI Sources" explorer view: every OCIRepository in the workspace → the tag its spec.ref resolves to → the
// repository's tags (listed lazily), then "Image policies" → each ImagePolicy and the tag it selects. UI only.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ImagePoliciesRequest,
  ListTagsRequest,
  WorkspaceSourcesRequest,
  type ImagePoliciesResult,
  type ImagePolicyEntry,
  type ListTagsResult,
  type WorkspaceSource,
  type WorkspaceSourcesResult,
} from '../../shared/protocol';
import { messageOf, type SourceArgument } from './server-calls';

export type SourceNode =
  | ({ type: 'source' } & SourceArgument & { source: WorkspaceSource })
  | ({ type: 'tags' } & SourceArgument & { source: WorkspaceSource })
  | ({ type: 'tag' } & SourceArgument & { source: WorkspaceSource; tag: string; resolved: boolean })
  | { type: 'message'; text: string; reference?: undefined }
  | { type: 'policies'; policies: ImagePolicyEntry[]; reference?: undefined }
  | { type: 'policy'; policy: ImagePolicyEntry; reference?: undefined };

export class SourcesTree implements vscode.TreeDataProvider<SourceNode> {
  private readonly changed = new vscode.EventEmitter<SourceNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly client: () => LanguageClient | undefined) {}

  dispose(): void {
    this.changed.dispose();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: SourceNode): vscode.TreeItem {
    switch (node.type) {
      case 'source': {
        const s = node.source;
        const item = new vscode.TreeItem(`${s.namespace}/${s.name}`, s.reference ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        // The ref is what people scan for; the url is in the tooltip.
        const ref = s.ref.digest ? `digest ${s.ref.digest.slice(0, 19)}…` : s.ref.semver ? `semver ${s.ref.semver}` : s.ref.tag ? `tag ${s.ref.tag}` : 'latest';
        item.description = s.reference ? ref : s.problem;
        item.tooltip = new vscode.MarkdownString([`**${s.kind}** \`${s.namespace}/${s.name}\``, s.reference ? `\n\n\`${s.reference}\`` : '', s.problem ? `\n\n⚠ ${s.problem}` : ''].join(''));
        item.iconPath = new vscode.ThemeIcon(s.problem ? 'warning' : 'package');
        item.contextValue = s.reference ? 'fluxOciSource' : 'fluxOciSourceUnusable';
        item.command = { command: 'fluxOci.revealManifest', title: 'Reveal Manifest', arguments: [node] };
        return item;
      }
      case 'tags': {
        const s = node.source;
        const label = s.ref.digest ? `pinned to ${s.ref.digest.slice(0, 19)}…` : s.problem ? 'no resolved tag' : 'tags';
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = s.ref.digest ? undefined : s.problem;
        item.tooltip = s.problem;
        item.iconPath = new vscode.ThemeIcon(s.problem ? 'warning' : 'tag');
        item.contextValue = 'fluxOciTags';
        return item;
      }
      case 'tag': {
        const item = new vscode.TreeItem(node.tag, node.resolved ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.description = node.resolved ? 'selected by spec.ref — expand for all tags' : undefined;
        item.iconPath = new vscode.ThemeIcon(node.resolved ? 'pass-filled' : 'tag');
        item.contextValue = 'fluxOciTag';
        item.tooltip = `${node.source.reference}:${node.tag}`;
        item.accessibilityInformation = { label: node.resolved ? `${node.tag}, selected by spec.ref` : `tag ${node.tag}` };
        return item;
      }
      case 'policies': {
        const item = new vscode.TreeItem('Image policies', vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${node.policies.length}`;
        item.iconPath = new vscode.ThemeIcon('versions');
        return item;
      }
      case 'policy': {
        const p = node.policy;
        const item = new vscode.TreeItem(`${p.namespace}/${p.name}`, vscode.TreeItemCollapsibleState.None);
        item.description = p.tag ? `→ ${p.tag} (${p.policy})` : (p.problem ?? p.policy);
        item.tooltip = new vscode.MarkdownString(
          [
            `**ImagePolicy** \`${p.namespace}/${p.name}\``,
            `\n\n${p.policy}`,
            p.tag ? `\n\nSelects \`${p.tag}\`` : '',
            p.problem ? `\n\n⚠ ${p.problem}` : '',
            `\n\n${p.markers} marker${p.markers === 1 ? '' : 's'} in the workspace`,
          ].join(''),
        );
        item.iconPath = new vscode.ThemeIcon(p.tag ? 'pass-filled' : 'warning');
        item.contextValue = 'fluxOciImagePolicy';
        item.accessibilityInformation = { label: p.tag ? `ImagePolicy ${p.namespace}/${p.name} selects ${p.tag}` : `ImagePolicy ${p.namespace}/${p.name}: ${p.problem ?? p.policy}` };
        item.command = { command: 'fluxOci.revealManifest', title: 'Reveal Manifest', arguments: [node] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
    }
  }

  async getChildren(node?: SourceNode): Promise<SourceNode[]> {
    const client = this.client();
    if (!client) return [{ type: 'message', text: 'The Flux OCI language server is not running.' }];
    try {
      if (!node) {
        const [sources, policies] = await Promise.all([
          client.sendRequest<WorkspaceSourcesResult>(WorkspaceSourcesRequest, { resolve: true }),
          client.sendRequest<ImagePoliciesResult>(ImagePoliciesRequest, {}).catch(() => [] as ImagePoliciesResult),
        ]);
        const nodes: SourceNode[] = sources.map((source) => ({ type: 'source', source, ...(source.reference ? { reference: source.reference } : {}) }));
        if (policies.length) nodes.push({ type: 'policies', policies });
        return nodes;
      }
      if (node.type === 'policies') {
        return node.policies.map((policy) => ({ type: 'policy', policy }));
      }
      if (node.type === 'source') {
        // One child, so many sources fit the view: the resolved tag (or why there is none), holding every tag.
        const { source } = node;
        if (source.resolvedTag) return [{ type: 'tag', source, tag: source.resolvedTag, resolved: true, reference: source.reference }];
        return [{ type: 'tags', source, reference: source.reference }];
      }
      if (node.type === 'tags' || (node.type === 'tag' && node.resolved)) {
        const listing = await client.sendRequest<ListTagsResult>(ListTagsRequest, { reference: node.source.reference, uri: node.source.uri, position: node.source.range.start });
        if (listing.tags.length === 0) return [{ type: 'message', text: 'No tags.' }];
        return listing.tags.map((tag) => ({ type: 'tag', source: node.source, tag, resolved: false, reference: node.source.reference }));
      }
      return [];
    } catch (error) {
      return [{ type: 'message', text: messageOf(error) }];
    }
  }
}
