// Keeps the syntax trees of the few documents used most recently; any other document's tree is parsed
// again when asked for. Owns no analysis: a cache of `parseChunk` results keyed by their owner object.
import { parseChunk, type ParsedDocument } from './yaml-documents';

/**
 * Why: a tree costs ~20 times its text in memory (4.5 KB for a 200-byte manifest), so keeping every
 * document's tree made a 48,000-document file hold ~220 MB and spend its time in the garbage collector.
 * Editor features ask for the trees of a few documents at a time; parsing one again costs ~30 µs.
 */
const MAX_RECENT = 64;
const recent = new Map<object, ParsedDocument>();

/** Records `parsed` as the tree of `owner` (the most recent one). */
function rememberParse(owner: object, parsed: ParsedDocument): void {
  recent.delete(owner);
  recent.set(owner, parsed);
  if (recent.size > MAX_RECENT) recent.delete(recent.keys().next().value as object);
}

/** The tree of `owner`'s text: the remembered one, else a fresh parse (then remembered). */
export function parsedFor(owner: object, text: string): ParsedDocument {
  const known = recent.get(owner);
  const parsed = known ?? parseChunk(text);
  rememberParse(owner, parsed);
  return parsed;
}
