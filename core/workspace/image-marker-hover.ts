// The offline hover on a `$imagepolicy` marker's setter text: what the setter writes, which ImagePolicy it names (and
// where), and which ImageUpdateAutomation will rewrite it. The live hover adds the tag; no registry here.
import type { Position, Range } from '../text-range';
import { automationScopes, automationsCovering, markersInFile, policyOfMarker } from './image-automation-scope';
import type { WorkspaceIndex } from './workspace-index';

const WRITES: Record<string, string> = {
  image: 'the whole image reference `name:tag` (with `@digest` when the policy reflects digests)',
  tag: 'the tag only',
  name: "the image name only (the ImageRepository's `spec.image`)",
  digest: 'the digest only (empty unless the policy sets `digestReflectionPolicy`)',
};

function inside(range: Range, p: Position): boolean {
  return p.line === range.start.line && p.character >= range.start.character && p.character <= range.end.character;
}

export function imageMarkerHover(index: WorkspaceIndex, path: string, position: Position): { markdown: string; range: Range } | undefined {
  const marker = markersInFile(index, path).find((m) => inside(m.markerRange, position));
  if (!marker) return undefined;
  const policy = policyOfMarker(index, marker);
  const automations = policy ? automationsCovering(automationScopes(index), path, marker.namespace) : [];
  const lines = [`**\`$imagepolicy\` setter** \`${marker.setter}\``, '', `Image automation writes ${WRITES[marker.part]} of ImagePolicy \`${marker.namespace}/${marker.name}\` here.`];
  if (!policy) lines.push('', `⚠ No ImagePolicy \`${marker.name}\` in namespace \`${marker.namespace}\` is in this workspace.`);
  else
    lines.push(
      '',
      `Defined in \`${policy.path.split('/').slice(-2).join('/')}\`. ${automations.length ? `Rewritten by ImageUpdateAutomation ${automations.map((a) => `\`${a.object.namespace}/${a.object.name}\` (update.path \`${a.updatePath || '.'}\`)`).join(', ')}.` : 'No ImageUpdateAutomation in this workspace covers this file.'}`,
    );
  return { markdown: lines.join('\n'), range: marker.markerRange };
}
