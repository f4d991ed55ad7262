// Analyses ONE YAML document on its own: syntax, object identity, apiVersion, CRD structure and the Flux
// rules (also for each item of a `kind: List`). Ranges are relative to the document so results cache by text.
import type { Node, YAMLMap } from 'yaml';
import type { FluxDiagnostic } from '../diagnostic';
import type { Range } from '../text-range';
import { checkApiVersion } from './api-version-rules';
import { fluxKindInfo, isHandledFluxGroup, splitApiVersion } from './flux-api';
import { checkHelmChart, checkHelmRelease } from './helm-release-rules';
import { checkImagePolicy, checkImageRepository } from './image-policy-rules';
import { checkMetadataNames } from './metadata-rules';
import { MAX_NESTING_DEPTH } from './nesting-depth';
import { checkOciRepository } from './oci-repository-rules';
import { extractReferences } from './object-references';
import type { FluxObject, ObjectReference } from './object-types';
import { createRuleContext, isClaimed, type RuleContext } from './rule-context';
import { checkAgainstSchema } from './schema-validator';
import { checkSecret } from './secret-rules';
import { parsedFor } from './recent-parses';
import { isDocumentStart, MAX_DOCUMENT_CHARS, parseChunk, type ParsedDocument } from './yaml-documents';
import { asMap, findPair, getMap, getNode, getPath, isSeq, scalarString } from './yaml-ast';

/** The object of a document, before it learns its document index. */
export type DocumentObject = Omit<FluxObject, 'documentIndex'>;

export interface DocumentResult {
  text: string;
  /** Absent when the document was too large to parse. Parsed again on demand (only recent trees are kept). */
  readonly parsed?: ParsedDocument;
  /** False for documents holding only comments/blank lines (they get no document index). */
  hasContent: boolean;
  diagnostics: FluxDiagnostic[];
  object?: DocumentObject;
  /** The objects inside a `kind: List` (document ranges), found by other files like documents of their own. */
  listItems?: DocumentObject[];
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
    if (kindNode)
      ctx.report(
        'patch-partial-object',
        `This ${ctx.kind} has none of ${complete.join(', ')}, so it is treated as a Kustomize patch and missing required fields are not reported.`,
        ctx.range(kindNode),
      );
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

/** The information note for a document that was not (fully) checked, on its first line. */
function tooComplexNote(parsed: ParsedDocument): FluxDiagnostic {
  const text = parsed.text;
  // On the first content line (after a `---` marker line).
  const start = isDocumentStart(text, 0) && text.indexOf('\n') >= 0 ? text.indexOf('\n') + 1 : 0;
  const lineEnd = text.indexOf('\n', start);
  const range = parsed.lineMap.rangeOf(start, lineEnd < 0 ? text.length : lineEnd);
  const message =
    parsed.tooComplex === 'nesting'
      ? `This YAML document is nested more than ${MAX_NESTING_DEPTH} levels deep, too deeply to check; it was skipped.`
      : 'The merge keys (<<) of this YAML document expand it too far to check; it was not validated.';
  return { severity: 'information', code: 'document-too-complex', message, range };
}

/** The Flux/Secret checks of one object mapping (a document's root or an item of a `kind: List`). */
function checkObject(text: string, parsed: ParsedDocument, root: YAMLMap, apiVersion: string, kind: string, sink: FluxDiagnostic[]): void {
  const { group } = splitApiVersion(apiVersion);
  const isSecret = kind === 'Secret' && apiVersion === 'v1';
  if (!isHandledFluxGroup(group) && !isSecret) return;
  const spec = getMap(root, 'spec');
  const isPatch = looksLikePatch(kind, spec);
  const claimed = new Set<string>();
  const ctx = createRuleContext({ text, lineMap: parsed.lineMap, root, spec, apiVersion, kind, isPatch }, sink, claimed);
  checkMetadataNames(ctx);
  if (isSecret) checkSecret(ctx);
  else runFluxRules(ctx, sink, claimed);
}

/**
 * The items of a `kind: List` (kubectl and kustomize apply each one): checked like documents of their own.
 * Their references are kept for cross-file lookups, except those to another item of the same List; the items
 * themselves are listed (`listItems`) so that other files find them.
 */
function checkListItems(text: string, parsed: ParsedDocument, root: YAMLMap, result: DocumentResult): void {
  const items = getNode(root, 'items');
  if (!isSeq(items)) return;
  const defined = new Set<string>();
  const references: ObjectReference[] = [];
  for (const item of items.items) {
    const map = asMap(item);
    const apiVersion = scalarString(getNode(map, 'apiVersion'));
    const kind = scalarString(getNode(map, 'kind'));
    if (!map || apiVersion === undefined || kind === undefined) continue;
    const written = scalarString(getPath(map, 'metadata', 'namespace'));
    const namespace = written ?? 'default';
    const nameNode = getPath(map, 'metadata', 'name');
    const name = scalarString(nameNode) ?? '';
    defined.add(`${kind}/${namespace}/${name}`);
    const range = map.range ? parsed.lineMap.rangeOf(map.range[0], map.range[1]) : wholeRange(parsed);
    const nameRange = nameNode?.range ? parsed.lineMap.rangeOf(nameNode.range[0], nameNode.range[1]) : undefined;
    (result.listItems ??= []).push({ kind, apiVersion, name, namespace, namespaceExplicit: written !== undefined, range, ...(nameRange ? { nameRange } : {}) });
    references.push(...extractReferences(kind, namespace, getMap(map, 'spec'), parsed.lineMap));
    checkObject(text, parsed, map, apiVersion, kind, result.diagnostics);
  }
  for (const ref of references) if (!defined.has(`${ref.kind}/${ref.namespace}/${ref.name}`)) result.references.push(ref);
}

/** A document's analysis; its syntax tree is not held (see recent-parses.ts) but rebuilt when asked for. */
class AnalyzedDocument implements DocumentResult {
  hasContent = false;
  diagnostics: FluxDiagnostic[] = [];
  object?: DocumentObject;
  references: ObjectReference[] = [];

  constructor(readonly text: string) {}

  get parsed(): ParsedDocument {
    return parsedFor(this, this.text);
  }
}

export function analyzeDocument(text: string): DocumentResult {
  if (text.length > MAX_DOCUMENT_CHARS) {
    return {
      text,
      hasContent: true,
      references: [],
      diagnostics: [
        {
          severity: 'information',
          code: 'document-too-large',
          message: `This YAML document has ${text.length} characters, more than the ${MAX_DOCUMENT_CHARS} that are validated; it was skipped.`,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        },
      ],
    };
  }
  const parsed = parseChunk(text);
  const { doc } = parsed;
  // `parsed` is used here and then dropped: it dies young (cheap to collect) and is parsed again if asked for.
  const result = new AnalyzedDocument(text);
  result.hasContent = doc.contents !== null || doc.errors.length > 0;
  if (parsed.tooComplex) {
    result.hasContent = true;
    result.diagnostics.push(tooComplexNote(parsed));
    if (parsed.tooComplex === 'nesting') return result;
  }
  // Syntax errors are always reported, also in documents holding `{{ template }}` expressions: outside a
  // Helm chart's templates/ (whose files are never analysed) such a document is plain YAML to Flux.
  if (doc.errors.length > 0) result.diagnostics.push(...syntaxDiagnostics(parsed));
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
  result.references = extractReferences(kind, result.object.namespace, getMap(root, 'spec'), parsed.lineMap);
  if (doc.errors.length > 0 || parsed.tooComplex) return result;
  if (kind === 'List' && apiVersion === 'v1') checkListItems(text, parsed, root, result);
  else checkObject(text, parsed, root, apiVersion, kind, result.diagnostics);
  return result;
}
