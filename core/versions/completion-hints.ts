// Owns small version facts the editor shows while typing `spec.ref.semver`: prerelease flags and range snippets.
// Must not resolve tags (see resolve-tag.ts).
import type { FluxVersion } from './flux-version';
import { parseListedTag } from './helm-tags';

/** Whether Flux would parse this tag as a prerelease version (false for non-version tags). */
export function isPrerelease(tag: string, helmChart = false): boolean {
  const version = parseListedTag(tag, helmChart);
  return version !== undefined && version.prerelease !== '';
}

/** Ranges that follow `latest`: same major (explicit bounds), same minor (`~X.Y`) and same major (`^X`). */
export function rangeSnippets(latest: FluxVersion): string[] {
  const { major, minor } = latest;
  return [`>=${major}.${minor}.0 <${major + 1n}.0.0`, `~${major}.${minor}`, `^${major}`];
}
