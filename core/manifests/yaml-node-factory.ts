// Makes `yaml` node objects (Scalar, Pair, YAMLMap, YAMLSeq, Document) for the fast block parser without
// their constructors' per-object Object.defineProperty calls. Creates nodes only; never parses.
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';

/**
 * `yaml` tags every node with a non-enumerable own symbol (and collections with a `schema`) through
 * Object.defineProperty, which costs more than the rest of a node. Here each kind of node gets one real
 * template instance, and new nodes are created with that template as their prototype: they inherit the
 * tag, so `isScalar`/`isMap`/`isPair`/`isSeq`, `instanceof` and every method behave as on `yaml`'s own
 * nodes, and their own enumerable properties are the ones `yaml` sets. Templates are never mutated.
 */
type Options = ParseOptions & DocumentOptions & SchemaOptions;

const SCHEMA_SOURCE = new Document(undefined);
const SCALAR = new Scalar(null);
const PAIR = new Pair(null);
const MAP = new YAMLMap(SCHEMA_SOURCE.schema);
const SEQ = new YAMLSeq(SCHEMA_SOURCE.schema);

export function makeScalar(value: string | number | boolean | null, source: string, type: Scalar.Type, range: [number, number, number]): Scalar {
  const node = Object.create(SCALAR) as Scalar;
  node.value = value;
  node.range = range;
  node.source = source;
  node.type = type;
  return node;
}

export function makePair(key: Scalar, value: Scalar | YAMLMap | YAMLSeq): Pair<Scalar, Scalar | YAMLMap | YAMLSeq> {
  const pair = Object.create(PAIR) as Pair<Scalar, Scalar | YAMLMap | YAMLSeq>;
  pair.key = key;
  pair.value = value;
  return pair;
}

export function makeMap(): YAMLMap<Scalar, Scalar | YAMLMap | YAMLSeq> {
  const map = Object.create(MAP) as YAMLMap<Scalar, Scalar | YAMLMap | YAMLSeq>;
  map.items = [];
  return map;
}

export function makeSeq(): YAMLSeq<Scalar | YAMLMap> {
  const seq = Object.create(SEQ) as YAMLSeq<Scalar | YAMLMap>;
  seq.items = [];
  return seq;
}

const documentTemplates = new Map<Options, { plain: Document; marked: Document }>();

/** A parsed-document shell with the given contents; `marker` says the text opened with `---`. */
export function makeDocument(options: Options, contents: YAMLMap, range: [number, number, number], marker: boolean, comment: string | null): Document.Parsed {
  let templates = documentTemplates.get(options);
  if (!templates) {
    const marked = new Document(undefined, options);
    if (marked.directives) marked.directives.docStart = true;
    templates = { plain: new Document(undefined, options), marked };
    documentTemplates.set(options, templates);
  }
  const template = marker ? templates.marked : templates.plain;
  const doc = Object.create(template) as Document.Parsed;
  // The same own properties, in the same order, as Document's constructor and the composer set.
  doc.commentBefore = null;
  doc.comment = comment;
  doc.errors = [];
  doc.warnings = [];
  doc.options = template.options;
  doc.directives = template.directives!;
  doc.schema = template.schema;
  doc.contents = contents as Document.Parsed['contents'];
  doc.range = range;
  return doc;
}
