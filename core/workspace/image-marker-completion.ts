// Completion inside a `# {"$imagepolicy": "…"}` marker: every ImagePolicy of the workspace as `namespace:name`, and the
// `:tag`, `:name`, `:digest` setters of the one being typed. Reads the index only; no registry.
import type { CompletionItem } from '../manifests/completion';
import type { Position } from '../text-range';
import { imageObjects } from './image-automation-scope';
import type { WorkspaceIndex } from './workspace-index';

const IN_MARKER = /#\s*\{\s*"\$imagepolicy"\s*:\s*"([^"]*)$/;

const PART_DOCS: Record<string, string> = {
  '': 'the whole image reference, `name:tag` (with `@digest` when the policy reflects digests)',
  ':tag': 'only the tag',
  ':name': "only the image name (the ImageRepository's `spec.image`)",
  ':digest': 'only the digest (empty unless `digestReflectionPolicy` is `IfNotPresent` or `Always`)',
};

/** Items for the setter string being typed at `position` on `line`, or undefined when the cursor is not in a marker. */
export function imageMarkerCompletions(index: WorkspaceIndex, line: string, position: Position): CompletionItem[] | undefined {
  const typed = IN_MARKER.exec(line.slice(0, position.character));
  if (!typed) return undefined;
  const prefix = typed[1]!;
  const range = { start: { line: position.line, character: position.character - prefix.length }, end: position };
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  for (const { path, object } of imageObjects(index, 'ImagePolicy')) {
    const setter = `${object.namespace}:${object.name}`;
    if (seen.has(setter)) continue;
    seen.add(setter);
    const parts = prefix.startsWith(`${setter}:`) || prefix === setter ? Object.keys(PART_DOCS) : [''];
    for (const part of parts) {
      items.push({
        label: `${setter}${part}`,
        kind: 'value',
        detail: `ImagePolicy ${object.namespace}/${object.name}`,
        documentation: `Sets ${PART_DOCS[part]} (${path.split('/').pop()}).`,
        insertText: `${setter}${part}`,
        range,
      });
    }
  }
  return items;
}
