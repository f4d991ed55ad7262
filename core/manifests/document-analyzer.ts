// Analyses ONE YAML document on its own: syntax, object identity, apiVersion, CRD structure and the Flux
// rules. Results use ranges relative to the document's first line so they can be cached by text.
import type { Node, YAMLMap } from 'yaml';
import type { FluxDiagnostic } from '../diagnostic';
import type { Range } from '../text-range';
import { checkApiVersion } from './api-version-rules';
import { fluxKindInfo, isHandledFluxGroup, splitApiVersion } from './flux-api';
import { checkHelmChart, checkHelmRelease } from './helm-release-rules';
import { checkImagePolicy, checkImageRepository } from './image-policy-rules';
import { checkOciRepository } from './oci-repository-rules';
import { extractReferences } from './object-references';
import type { FluxObject, ObjectReference } from './object-types';
import { createRuleContext, isClaimed, type RuleContext } from './rule-context';
import { checkAgainstSchema } from './schema-validator';
import { checkSecret } from './secret-rules';
import { MAX_DOCUMENT_CHARS, parseChunk, type ParsedDocument } from './yaml-documents';
import { asMap, findPair, getMap, getNode, getPath, scalarString } from './yaml-ast';

/** The object of a document, before it learns its document index. */
export type DocumentObject = Omit<FluxObject, 'documentIndex'>;

export interface DocumentResult {
  text: string;
  /** Absent when the document was too large to parse. */
  parsed?: ParsedDocument;
  /** False for documents holding only comments/blank lines (they get no document index). */
  hasContent: boolean;
  diagnostics: FluxDiagnostic[];
  object?: DocumentObject;
  references: ObjectReference[];
}

const MAX_SYNTAX_ERRORS = 20;

/**
 * Fields a complete object of the kind always has. A document with none of them is a Kustomize patch
 * (a partial object): a complete object that merely forgot one of them still gets its error.
 */
const COMPLETE_OBJECT_FIELDS: Record<string, ReadonlyArray<readonly string[]>> = {
  OCIRepository: [['interval'], ['url']],
  HelmRepository: [['interval'], ['url']],
  HelmChart: [['interval'], ['sourceRef']],
  HelmRelease: [['interval'], ['chartRef'], ['chart', 'spec', 'sourceRef']],
  ImageRepository: [['interval'], ['image']],
  ImagePolicy: [['imageRepositoryRef'], ['policy']],
  ImageUpdateAutomation: [['interval'], ['sourceRef']],
};

function looksLikePatch(kind: string, spec: YAMLMap | undefined): boolean {
  const fields = COMPLETE_OBJECT_FIELDS[kind];
  return fields !== undefined && !fields.some((path) => getPath(spec, ...path) !== undefined);
}

function syntaxDiagnostics(parsed: ParsedDocument): FluxDiagnostic[] {
  const contentLength = parsed.text.trimEnd().length;
  return parsed.doc.errors.slice(0, MAX_SYNTAX_ERRORS).map((e) => {
    let [start, end] = e.pos;
    if (start >= contentLength) {
      // Errors found at end of input (an unclosed quote or bracket): point at the last character instead.
      start = Math.max(0, contentLength - 1);
      end = contentLength;
    }
    return {
      severity: 'error',
      code: 'yaml-syntax',
      message: e.message.split('\n')[0],
      range: parsed.lineMap.rangeOf(start, Math.max(end, start + 1)),
    };
  });
}

function wholeRange(parsed: ParsedDocument): Range {
  return parsed.lineMap.rangeOf(0, parsed.text.length);
}

function runFluxRules(ctx: RuleContext, sink: FluxDiagnostic[], claimed: Set<string>): void {
  const info = fluxKindInfo(ctx.kind);
  if (!info) return;
  const schema = checkApiVersion(ctx, info);
  if (!schema) return;
  const complete = (COMPLETE_OBJECT_FIELDS[ctx.kind] ?? []).map((p) => `spec.${p.join('.')}`);
  if (ctx.isPatch) {
    const kindNode = getNode(ctx.root, 'kind');
    if (kindNode) ctx.report('patch-partial-object', `This ${ctx.kind} has none of ${complete.join(', ')}, so it is treated as a Kustomize patch and missing required fields are not reported.`, ctx.range(kindNode));
  }
  if (ctx.kind === 'OCIRepository') checkOciRepository(ctx);
  if (ctx.kind === 'HelmRelease') checkHelmRelease(ctx);
  if (ctx.kind === 'HelmChart') checkHelmChart(ctx);
  if (ctx.kind === 'ImagePolicy') checkImagePolicy(ctx);
  if (ctx.kind === 'ImageRepository') checkImageRepository(ctx);
  const specPair = findPair(ctx.root, 'spec');
  const ownerRange = specPair ? ctx.range(specPair.key as Node) : ctx.range(getNode(ctx.root, 'kind') ?? ctx.root);
  const structural = checkAgainstSchema(specPair ? (specPair.value as Node | null) : null, schema, 'spec', ownerRange, { lineMap: ctx.lineMap, skipRequired: ctx.isPatch });
  if (!specPair && !ctx.isPatch) {
    ctx.report('field-required', `A ${ctx.kind} needs a spec.`, ownerRange);
  }
  for (const d of structural) {
    if (!isClaimed(d.path, claimed)) sink.push(d.diagnostic);
  }
}

export function analyzeDocument(text: string): DocumentResult {
  if (text.length > MAX_DOCUMENT_CHARS) {
    return {
      text,
      hasContent: true,
      references: [],
      diagnostics: [{ severity: 'information', code: 'document-too-large', message: `This YAML document has ${text.length} characters, more than the ${MAX_DOCUMENT_CHARS} that are validated; it was skipped.`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }],
    };
  }
  const parsed = parseChunk(text);
  const { doc } = parsed;
  const result: DocumentResult = { text, parsed, hasContent: doc.contents !== null || doc.errors.length > 0, diagnostics: [], references: [] };
  if (doc.errors.length > 0) {
    // A Helm/Go template is not YAML until rendered: say nothing rather than flag template syntax.
    if (text.includes('{{')) return result;
    result.diagnostics.push(...syntaxDiagnostics(parsed));
  }
  const root = asMap(doc.contents);
  if (!root) return result;
  const apiVersion = scalarString(getNode(root, 'apiVersion'));
  const kind = scalarString(getNode(root, 'kind'));
  if (apiVersion === undefined || kind === undefined) return result;
  const metadata = getMap(root, 'metadata');
  const nameNode = getNode(metadata, 'name');
  const namespace = scalarString(getNode(metadata, 'namespace'));
  result.object = {
    kind,
    apiVersion,
    name: scalarString(nameNode) ?? '',
    namespace: namespace ?? 'default',
    namespaceExplicit: namespace !== undefined,
    range: wholeRange(parsed),
    nameRange: nameNode?.range ? parsed.lineMap.rangeOf(nameNode.range[0], nameNode.range[1]) : undefined,
  };
  const spec = getMap(root, 'spec');
  result.references = extractReferences(kind, result.object.namespace, spec, parsed.lineMap);
  if (doc.errors.length > 0) return result;
  const { group } = splitApiVersion(apiVersion);
  const isSecret = kind === 'Secret' && apiVersion === 'v1';
  if (!isHandledFluxGroup(group) && !isSecret) return result;
  const isPatch = looksLikePatch(kind, spec);
  const claimed = new Set<string>();
  const ctx = createRuleContext({ text, lineMap: parsed.lineMap, root, spec, apiVersion, kind, isPatch }, result.diagnostics, claimed);
  if (isSecret) checkSecret(ctx);
  else runFluxRules(ctx, result.diagnostics, claimed);
  return result;
}
