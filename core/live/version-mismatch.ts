// Decides whether a HelmRelease's pinned chart version (`chart.spec.version`) admits the chart version an
// OCIRepository currently resolves to. Pure: versions in, verdict out; no registry, no ranges of text.
import { parseFluxTagVersion } from '../versions/flux-version';
import { helmTagToVersionText } from '../versions/helm-tags';
import { parseConstraint } from '../versions/masterminds-constraint';
import type { LiveResolution } from './live-resolution';

/** The chart version an OCIRepository resolution delivers: Chart.yaml's version, else the tag read as a Helm version. */
export function resolvedChartVersion(resolution: LiveResolution): string | undefined {
  if (resolution.artifact?.chart) return resolution.artifact.chart.version;
  return resolution.tag ? helmTagToVersionText(resolution.tag) : undefined;
}

/** True when `pinned` (an exact version or a range) does not admit `actual`. */
export function versionDiffers(pinned: string, actual: string): boolean {
  const wanted = pinned.trim();
  if (wanted === '' || wanted === '*') return false;
  const version = parseFluxTagVersion(actual) ?? parseFluxTagVersion(`${actual}`.replace(/^v/, ''));
  const constraint = parseConstraint(wanted);
  if (!version || !constraint.ok) return wanted.replace(/^v/, '') !== actual.replace(/^v/, '');
  return !constraint.constraint.check(version);
}

/** True when a Helm chart's Chart.yaml version is not what its tag says (after the `_` → `+` mapping). */
export function chartVersionDiffersFromTag(tag: string, chartVersion: string): boolean {
  const fromTag = helmTagToVersionText(tag);
  if (fromTag === chartVersion) return false;
  const a = parseFluxTagVersion(fromTag);
  const b = parseFluxTagVersion(chartVersion);
  if (!a || !b) return fromTag.replace(/^v/, '') !== chartVersion.replace(/^v/, '');
  return a.major !== b.major || a.minor !== b.minor || a.patch !== b.patch || a.prerelease !== b.prerelease || a.build !== b.build;
}
