// Completion for Flux documents: field names of the mapping at the cursor (from the CRD schema), enum
// and boolean values after `key: `, apiVersion/kind values, and starter snippets. Plain data out.
import type { Position, Range } from '../text-range';
import { imageMarkerCompletions } from '../workspace/image-marker-completion';
import type { WorkspaceIndex } from '../workspace/workspace-index';
import { completionContext } from './completion-context';
import { fieldDoc, KIND_DOCS } from './field-docs';
import { FLUX_KINDS, fluxKindInfo } from './flux-api';
import { editorSchemaFor } from './hover';
import type { SchemaNode } from './schema-node';
import { schemaAtPath } from './schema-validator';

export interface CompletionItem {
  label: string;
  kind: 'field' | 'value' | 'snippet';
  detail?: string;
  documentation?: string;
  insertText?: string;
  isSnippet?: boolean;
  /** The text the item replaces (default: the word at the cursor). */
  range?: Range;
}

const SNIPPETS: CompletionItem[] = [
  {
    label: 'Flux OCIRepository',
    kind: 'snippet',
    detail: 'source.toolkit.fluxcd.io/v1 OCIRepository',
    isSnippet: true,
    insertText:
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: ${1:name}\n  namespace: ${2:flux-system}\nspec:\n  interval: ${3:10m}\n  url: oci://${4:ghcr.io/org/repo}\n  ref:\n    semver: "${5:>=1.0.0}"\n',
  },
  {
    label: 'Flux HelmRelease (chartRef to OCIRepository)',
    kind: 'snippet',
    detail: 'helm.toolkit.fluxcd.io/v2 HelmRelease',
    isSnippet: true,
    insertText:
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: ${1:name}\n  namespace: ${2:default}\nspec:\n  interval: ${3:10m}\n  chartRef:\n    kind: OCIRepository\n    name: ${4:name}\n  values: {}\n',
  },
];

function typeDetail(schema: SchemaNode): string {
  if (schema.type === 'array') return 'list';
  if (schema.type === 'object') return 'mapping';
  return schema.intOrString ? 'integer or string' : (schema.type ?? 'value');
}

/** Reads apiVersion and kind from raw document text (the document may not parse while typing). */
function identityFromText(lines: readonly string[]): { apiVersion?: string; kind?: string } {
  const out: { apiVersion?: string; kind?: string } = {};
  for (const line of lines) {
    const m = /^(apiVersion|kind):\s*["']?([^"'\s#]+)/.exec(line);
    if (m) out[m[1] as 'apiVersion' | 'kind'] = m[2];
  }
  return out;
}

function fieldItems(kind: string, schema: SchemaNode, specPath: string[], siblings: Set<string>): CompletionItem[] {
  const props = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  return Object.entries(props)
    .filter(([name]) => !siblings.has(name))
    .map(([name, sub]) => {
      const path = [...specPath, name].join('.').replace(/\.\[\]/g, '[]');
      const scalar = sub.type !== 'object' && sub.type !== 'array';
      return {
        label: name,
        kind: 'field' as const,
        detail: `${typeDetail(sub)}${required.has(name) ? ' (required)' : ''}`,
        documentation: fieldDoc(kind, path),
        insertText: scalar ? `${name}: ` : `${name}:`,
      };
    });
}

function valueItems(schema: SchemaNode): CompletionItem[] {
  if (schema.enum) return schema.enum.map((v) => ({ label: String(v), kind: 'value' as const, detail: schema.default === v ? 'default' : undefined }));
  if (schema.type === 'boolean') return ['true', 'false'].map((v) => ({ label: v, kind: 'value' as const }));
  return [];
}

export function completionsAt(index: WorkspaceIndex, path: string, position: Position): CompletionItem[] {
  const doc = index.documentAt(path, position);
  const text = doc ? doc.result.text : (index.textOf(path) ?? '');
  const startLine = doc?.startLine ?? 0;
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const markerItems = imageMarkerCompletions(index, lines[position.line - startLine] ?? '', position);
  if (markerItems) return markerItems;
  const ctx = completionContext(lines, position.line - startLine, position.character);
  if (!ctx) return [];
  const identity = identityFromText(lines);
  const kind = identity.kind;
  if (ctx.type === 'value') {
    if (ctx.path.length === 1 && ctx.key === 'apiVersion') {
      const kinds = kind ? FLUX_KINDS.filter((k) => k.kind === kind) : FLUX_KINDS;
      return [...new Set(kinds.map((k) => `${k.group}/${k.current}`))].map((v) => ({ label: v, kind: 'value' as const }));
    }
    if (ctx.path.length === 1 && ctx.key === 'kind') {
      return FLUX_KINDS.map((k) => ({ label: k.kind, kind: 'value' as const, documentation: KIND_DOCS[k.kind] }));
    }
    if (ctx.path[0] !== 'spec' || !kind || !identity.apiVersion) return [];
    const schema = editorSchemaFor(identity.apiVersion, kind);
    const field = schema ? schemaAtPath(schema, ctx.path.slice(1)) : undefined;
    return field ? valueItems(field) : [];
  }
  if (ctx.path.length === 0) {
    const top = ['apiVersion', 'kind', 'metadata', 'spec']
      .filter((k) => !ctx.siblings.has(k))
      .map((k) => ({ label: k, kind: 'field' as const, insertText: k === 'metadata' || k === 'spec' ? `${k}:` : `${k}: ` }));
    return identity.apiVersion || identity.kind ? top : [...SNIPPETS, ...top];
  }
  if (ctx.path.length === 1 && ctx.path[0] === 'metadata') {
    return ['name', 'namespace', 'labels', 'annotations']
      .filter((k) => !ctx.siblings.has(k))
      .map((k) => ({ label: k, kind: 'field' as const, insertText: k === 'labels' || k === 'annotations' ? `${k}:` : `${k}: ` }));
  }
  if (ctx.path[0] !== 'spec' || !kind || !fluxKindInfo(kind) || !identity.apiVersion) return [];
  const schema = editorSchemaFor(identity.apiVersion, kind);
  const node = schema ? schemaAtPath(schema, ctx.path.slice(1)) : undefined;
  if (!node || node.preserveUnknown) return [];
  const target = node.type === 'array' && node.items ? node.items : node;
  return fieldItems(kind, target, ctx.path.slice(1), ctx.siblings);
}
