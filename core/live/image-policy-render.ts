// Turns ImagePolicy resolutions into what the editor shows: marker and policy hovers (markdown), inlay hints after
// marker values, and live diagnostics with the quick fix that writes the value now. Pure: no registry, no LSP types.
import type { Fix, FluxDiagnostic } from '../diagnostic';
import type { ImageMarker } from '../manifests/image-markers';
import type { Position } from '../text-range';
import type { AutomationScope } from '../workspace/image-automation-scope';
import { describePolicy, markerValue, type ImagePolicyResolution } from './image-policy-resolution';
import type { LiveInlayHint } from './live-inlay-hints';

export const IMAGE_LIVE_CODES = {
  pending: 'live-image-automation-pending',
  noMatch: 'live-image-policy-no-match',
  unavailable: 'live-registry-unavailable',
} as const;

const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

function policyName(resolution: ImagePolicyResolution): string {
  return `${resolution.spec.object.namespace}/${resolution.spec.object.name}`;
}

/** What automation writes at the marker, or undefined when the policy selects nothing. */
export function nextValue(marker: ImageMarker, resolution: ImagePolicyResolution): string | undefined {
  return resolution.latest ? markerValue(marker.part, resolution.latest) : undefined;
}

/** Where a hint after the marker's value goes: after the closing quote when there is one. */
function afterValue(marker: ImageMarker): Position {
  const end = marker.valueRange.end;
  return marker.quoted ? { line: end.line, character: end.character + 1 } : end;
}

/** The resolution's body shared by the marker and the policy hover. */
function resolutionLines(resolution: ImagePolicyResolution): string[] {
  const lines: string[] = [];
  const repo = resolution.repository;
  lines.push(`- Policy: ${describePolicy(resolution.spec)}`);
  if (repo) lines.push(`- ImageRepository ${code(`${repo.object.namespace}/${repo.object.name}`)}: ${code(repo.image)}`);
  if (resolution.state === 'resolved' && resolution.latest) {
    lines.push(`- Latest: ${code(`${resolution.latest.name}:${resolution.latest.tag}${resolution.latest.digest ? `@${resolution.latest.digest}` : ''}`)}`);
  } else if (resolution.problem) lines.push(`- ⚠ ${resolution.problem}`);
  const selection = resolution.selection;
  if (selection?.ranked.length) {
    const extracted = resolution.spec.filterTags?.extract !== undefined;
    lines.push(`- Newest candidates: ${selection.ranked.map((c) => (extracted ? `${code(c.tag)} (${code(c.compared)})` : code(c.tag))).join(', ')}`);
  }
  if (selection?.ambiguousWith?.length) lines.push(`- Ties with ${selection.ambiguousWith.map(code).join(', ')}: Flux's pick among them follows Go's map order and may change between runs.`);
  if (resolution.state !== 'unavailable' && resolution.state !== 'failed') {
    const filtered = selection?.filteredOut ? `, ${selection.filteredOut} dropped by filterTags.pattern` : '';
    lines.push(
      `- ${resolution.storedCount} tag${resolution.storedCount === 1 ? '' : 's'} stored${resolution.excluded.length ? ` (${resolution.excluded.length} excluded by exclusionList)` : ''}${filtered}`,
    );
  }
  if (resolution.spec.digestReflection === 'Never') lines.push('- digestReflectionPolicy is Never: `:digest` markers receive an empty string');
  for (const caveat of repo?.caveats ?? []) lines.push(`- Note: ${caveat}`);
  return lines;
}

export function renderMarkerHover(marker: ImageMarker, resolution: ImagePolicyResolution, automations: readonly AutomationScope[]): string {
  const next = nextValue(marker, resolution);
  const lines = [`**Image automation** — ${code(marker.setter)} (ImagePolicy ${code(policyName(resolution))})`, ''];
  if (next !== undefined) {
    lines.push(next === marker.value ? `Up to date: Flux would write ${code(next)}, the current value.` : `Flux will write ${code(next)} here (now ${code(marker.value)}).`);
  } else lines.push(`Flux writes nothing here now: ${resolution.problem ?? 'the policy selects no tag'}.`);
  lines.push('');
  lines.push(...resolutionLines(resolution));
  lines.push(
    automations.length
      ? `- Updated by ImageUpdateAutomation ${automations.map((a) => `${code(`${a.object.namespace}/${a.object.name}`)}${a.sourceRef ? ` (${a.sourceRef.kind} ${code(a.sourceRef.name)})` : ''}`).join(', ')}`
      : '- No ImageUpdateAutomation in this workspace covers this file, so nothing will update this marker.',
  );
  return lines.join('\n');
}

export function renderPolicyHover(resolution: ImagePolicyResolution, markerCount: number): string {
  const lines = [`**ImagePolicy ${code(policyName(resolution))}**`, ''];
  if (resolution.latest)
    lines.push(
      `Selects tag ${code(resolution.latest.tag)}${resolution.selection?.compared !== resolution.latest.tag && resolution.selection?.compared ? ` (compared as ${code(resolution.selection.compared)})` : ''}.`,
      '',
    );
  lines.push(...resolutionLines(resolution));
  lines.push(`- ${markerCount} marker${markerCount === 1 ? '' : 's'} in this workspace name this policy`);
  return lines.join('\n');
}

export function markerInlayHint(marker: ImageMarker, resolution: ImagePolicyResolution): LiveInlayHint | undefined {
  const next = nextValue(marker, resolution);
  const where = `ImagePolicy ${policyName(resolution)}: ${describePolicy(resolution.spec).replace(/`/g, '')}`;
  if (next === undefined) return resolution.state === 'unresolved' ? { position: afterValue(marker), label: ' → no tag selected', tooltip: `${where}. ${resolution.problem ?? ''}`.trim() } : undefined;
  if (next === marker.value) return undefined;
  return { position: afterValue(marker), label: ` → ${next}`, tooltip: `Image automation will write ${next} (${where})` };
}

export function markerDiagnostic(marker: ImageMarker, resolution: ImagePolicyResolution, covered: boolean): FluxDiagnostic | undefined {
  const next = nextValue(marker, resolution);
  if (next === undefined || next === marker.value) return undefined;
  const fix: Fix = { title: `Write ${next || 'the empty value'} now (what image automation will write)`, isPreferred: true, edits: [{ range: marker.valueRange, newText: next }] };
  const who = covered ? 'Image automation will write' : 'ImagePolicy selects (but no ImageUpdateAutomation here covers this file)';
  return {
    severity: 'hint',
    code: IMAGE_LIVE_CODES.pending,
    message: `${who} ${JSON.stringify(next)} here, replacing ${JSON.stringify(marker.value)} (ImagePolicy ${policyName(resolution)}, ${describePolicy(resolution.spec).replace(/`/g, '')}).`,
    range: marker.valueRange,
    fixes: [fix],
  };
}

/** The warning on an ImagePolicy that selects nothing, or the note that its registry cannot be read. */
export function policyDiagnostic(resolution: ImagePolicyResolution): FluxDiagnostic | undefined {
  const range = resolution.spec.object.nameRange ?? resolution.spec.object.range;
  if (resolution.state === 'unresolved') {
    return {
      severity: 'warning',
      code: IMAGE_LIVE_CODES.noMatch,
      message: `ImagePolicy ${policyName(resolution)} selects no tag (${resolution.problem ?? 'no match'}), so its markers are not updated.`,
      range,
    };
  }
  if (resolution.state === 'failed' && resolution.repository) {
    const repo = resolution.repository.repository;
    return {
      severity: 'information',
      code: IMAGE_LIVE_CODES.unavailable,
      message: `The tags of ${repo.registry}/${repo.repository} could not be listed: ${resolution.problem ?? 'unknown error'}`,
      range,
    };
  }
  return undefined;
}
