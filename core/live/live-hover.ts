// Renders the live hover for an OCI source as markdown: resolved tag and digest, when it was created, chart facts,
// newest matching tags, newer tags outside the range, where the answer came from, and a Pull-and-inspect link. Text only.
import { describeKind } from '../artifacts/artifact-kind';
import type { LiveResolution } from './live-resolution';

export const PULL_AND_INSPECT_COMMAND = 'fluxOci.pullAndInspect';

/** `[Pull and inspect](command:fluxOci.pullAndInspect?<args>)` for an `oci://host/repo@sha256:…` reference. */
export function pullAndInspectLink(reference: string): string {
  return `[Pull and inspect](command:${PULL_AND_INSPECT_COMMAND}?${encodeURIComponent(JSON.stringify([{ reference }]))})`;
}

export function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return hex ? `${algorithm}:${hex.slice(0, 12)}` : digest;
}

function minutesAgo(at: number, now: number): string {
  const minutes = Math.max(0, Math.round((now - at) / 60_000));
  if (minutes === 0) return 'less than a minute ago';
  return minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`;
}

/** Where the answer came from: live, cached N minutes ago, or offline/stale from the disk cache. */
export function sourceLabel(resolution: LiveResolution, now: number): string {
  if (resolution.fetchedAt === undefined) return 'registry not reached';
  if (resolution.ref.kind === 'digest') return resolution.state === 'resolved' ? 'the registry (a digest names the same content forever)' : 'the registry';
  if (resolution.tagSource === 'disk-stale')
    return `offline/stale: tag list cached ${minutesAgo(resolution.fetchedAt, now)} (${new Date(resolution.fetchedAt).toISOString()}); the registry could not be reached`;
  if (now - resolution.fetchedAt < 60_000 && resolution.tagSource === 'live') return 'live from the registry';
  return `cached ${minutesAgo(resolution.fetchedAt, now)}`;
}

const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

export function renderDisabledHover(url: string | undefined, reason: string): string {
  return [`**Live registry data**${url ? ` for ${code(url)}` : ''}`, '', reason].join('\n');
}

export function renderSourceHover(resolution: LiveResolution, now: number): string {
  const lines: string[] = [`**${code(resolution.url)}**`, ''];
  if (resolution.state === 'failed') {
    lines.push(`Registry not available: ${resolution.problem?.message ?? 'unknown error'}`);
    return lines.join('\n');
  }
  const { ref, artifact } = resolution;
  if (resolution.refProblem) lines.push(`⚠ ${resolution.refProblem.message}`, '');
  if (ref.kind === 'digest') lines.push(`Pinned to digest ${code(ref.digest ?? '')}`);
  else if (resolution.tag) lines.push(`Flux pulls tag ${code(resolution.tag)}${resolution.range !== undefined ? ` (newest match of ${code(resolution.range)})` : ''}`);
  if (ref.ambiguousWith?.length) lines.push(`Equal versions listed: ${ref.ambiguousWith.map(code).join(', ')}; Flux's pick among them follows the registry's listing order.`);
  if (artifact) {
    lines.push(`- Digest: ${code(artifact.digest)}`);
    if (artifact.created) lines.push(`- Created: ${artifact.created}`);
    lines.push(`- Kind: ${describeKind(artifact.kind)}`);
    if (artifact.chart)
      lines.push(`- Chart: ${code(artifact.chart.name)} version ${code(artifact.chart.version)}${artifact.chart.appVersion ? `, appVersion ${code(artifact.chart.appVersion)}` : ''}`);
  }
  if (resolution.matching.length) lines.push(`- Newest matching tags: ${resolution.matching.map(code).join(', ')}`);
  if (resolution.newerOutside) lines.push(`- Newer version outside ${ref.kind === 'semver' ? 'the range' : 'the pinned tag'}: ${code(resolution.newerOutside)}`);
  else if (resolution.newestTag && ref.kind !== 'semver' && resolution.newestTag !== resolution.tag) lines.push(`- Newest version tag: ${code(resolution.newestTag)}`);
  if (ref.kind !== 'digest') lines.push(`- ${resolution.tags.length} tag${resolution.tags.length === 1 ? '' : 's'} in the repository`);
  lines.push('', `_Source: ${sourceLabel(resolution, now)}_`);
  if (artifact) lines.push('', pullAndInspectLink(`${resolution.url}@${artifact.digest}`));
  return lines.join('\n');
}
