// Hover for Flux documents: what a field is (type, default, allowed values, our own description) and
// what the apiVersion/kind lines mean. Returns plain markdown and a range; the server adapts it to LSP.
import type { Range, Position } from '../text-range';
import { imageMarkerHover } from '../workspace/image-marker-hover';
import type { WorkspaceIndex } from '../workspace/workspace-index';
import { shiftRange, unshiftPosition } from '../workspace/range-shift';
import { locateAt } from './ast-locate';
import { fieldDoc, KIND_DOCS } from './field-docs';
import { fluxKindInfo, specSchemaFor, splitApiVersion } from './flux-api';
import type { SchemaNode } from './schema-node';
import { schemaAtPath } from './schema-validator';
import { rangeOfNode } from './yaml-ast';

export interface HoverResult {
  markdown: string;
  range: Range;
}

function typeLabel(schema: SchemaNode): string {
  if (schema.intOrString) return 'integer or string';
  if (schema.type === 'array') return `list of ${schema.items ? typeLabel(schema.items) : 'values'}`;
  if (schema.type === 'object') return schema.preserveUnknown ? 'free-form mapping' : 'mapping';
  return schema.type ?? 'value';
}

/** The schema used for hover/completion of a Flux kind: its own version's, else the current one. */
export function editorSchemaFor(apiVersion: string, kind: string): SchemaNode | undefined {
  const info = fluxKindInfo(kind);
  if (!info) return undefined;
  return specSchemaFor(apiVersion, kind) ?? specSchemaFor(`${info.group}/${info.current}`, kind);
}

function apiVersionHover(apiVersion: string, kind: string): string {
  const info = fluxKindInfo(kind);
  const { group, version } = splitApiVersion(apiVersion);
  if (!info || group !== info.group) return `\`${apiVersion}\``;
  const v = info.versions.find((x) => x.version === version);
  if (!v) return `\`${apiVersion}\` is not a ${kind} version. Current: \`${info.group}/${info.current}\`.`;
  if (v.status === 'current') return `\`${apiVersion}\` is the current ${kind} API.`;
  return `\`${apiVersion}\` was removed in ${v.removedIn ?? 'a recent Flux release'}; current Flux only serves \`${info.group}/${info.current}\`.`;
}

export function hoverAt(index: WorkspaceIndex, path: string, position: Position): HoverResult | undefined {
  const marker = imageMarkerHover(index, path, position);
  if (marker) return marker;
  const doc = index.documentAt(path, position);
  const parsed = doc?.result.parsed;
  const object = doc?.result.object;
  if (!doc || !parsed || !object) return undefined;
  const offset = parsed.lineMap.offsetAt(unshiftPosition(position, doc.startLine));
  const loc = locateAt(parsed.doc.contents, offset);
  if (!loc) return undefined;
  const range = shiftRange(rangeOfNode(loc.node, parsed.lineMap), doc.startLine);
  const [top, ...rest] = loc.path;
  const kindInfo = fluxKindInfo(object.kind);
  if (loc.path.length === 1 && top === 'apiVersion') return { markdown: apiVersionHover(object.apiVersion, object.kind), range };
  if (loc.path.length === 1 && top === 'kind') {
    const doc = KIND_DOCS[object.kind];
    return doc ? { markdown: `**${object.kind}**\n\n${doc}`, range } : undefined;
  }
  if (top !== 'spec' || !kindInfo) return undefined;
  const schema = editorSchemaFor(object.apiVersion, object.kind);
  const fieldSchema = schema ? schemaAtPath(schema, rest) : undefined;
  const dotted = rest.join('.').replace(/\.\[\]/g, '[]');
  const own = fieldDoc(object.kind, dotted);
  if (!fieldSchema && !own) return undefined;
  const lines = [`**spec.${dotted}**${fieldSchema ? ` — \`${typeLabel(fieldSchema)}\`` : ''}`];
  if (own) lines.push('', own);
  if (fieldSchema?.enum) lines.push('', `Allowed: ${fieldSchema.enum.map((v) => `\`${String(v)}\``).join(', ')}`);
  if (fieldSchema?.default !== undefined) lines.push('', `Default: \`${JSON.stringify(fieldSchema.default)}\``);
  if (fieldSchema?.pattern) lines.push('', `Pattern: \`${fieldSchema.pattern}\``);
  const parentSchema = schema ? schemaAtPath(schema, rest.slice(0, -1)) : undefined;
  if (loc.on === 'key' && parentSchema?.required?.includes(rest[rest.length - 1])) lines.push('', 'Required.');
  return { markdown: lines.join('\n'), range };
}
