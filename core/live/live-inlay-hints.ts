// Inlay hints after each OCIRepository ref (and a HelmRepository chart's version): the tag and short digest Flux
// resolves it to, or that nothing matches. Resolution comes from the caller; no LSP types, no network of its own.
import type { HelmReleaseModel, OCIRepositoryModel } from '../manifests/object-types';
import type { Position, Range } from '../text-range';
import type { WorkspaceIndex } from '../workspace/workspace-index';
import { throwIfAborted } from './bounded';
import { effectiveOciModels, type EffectiveModel } from './effective-models';
import { overlapsLines } from './document-models';
import { shortDigest } from './live-hover';
import type { LiveResolution } from './live-resolution';
import type { ReleaseChart } from './release-chart';

export interface LiveInlayHint {
  position: Position;
  label: string;
  tooltip?: string;
}

/** The hint text for a resolution, or undefined when there is nothing worth showing. */
export function hintFor(resolution: LiveResolution): { label: string; tooltip?: string } | undefined {
  if (resolution.state === 'resolved' && resolution.artifact) {
    const what = resolution.tag ?? resolution.artifact.chart?.version ?? '';
    return {
      label: ` → ${what}${what ? ' ' : ''}@${shortDigest(resolution.artifact.digest)}`,
      tooltip: `Flux resolves this to ${resolution.url}${resolution.tag ? `:${resolution.tag}` : ''}@${resolution.artifact.digest}`,
    };
  }
  if (resolution.state === 'unresolved' && resolution.refProblem) {
    const label =
      resolution.refProblem.code === 'no-match'
        ? ' → no matching tag'
        : resolution.refProblem.code === 'tag-not-found'
          ? ' → tag not found'
          : resolution.refProblem.code === 'digest-not-found'
            ? ' → digest not found'
            : undefined;
    return label ? { label, tooltip: resolution.refProblem.message } : undefined;
  }
  return undefined;
}

export interface InlayHintDeps {
  index: WorkspaceIndex;
  resolveRepository(model: OCIRepositoryModel): Promise<LiveResolution | undefined>;
  /** A release's chart per distinct variant (one entry, the release as written, when nothing differs). */
  releaseCharts(release: HelmReleaseModel): Promise<Array<{ effective: EffectiveModel<HelmReleaseModel>; chart: ReleaseChart | undefined }>>;
}

/**
 * Where postBuild variables (or several Kustomizations) are involved, the hint says which value came from where:
 * ` ${APP_VERSION} = 1.2.4 (from flux-system/apps) → 1.2.4 @sha256:…`.
 */
function withVariables(hint: { label: string; tooltip?: string }, effective: EffectiveModel<unknown>, several: boolean): { label: string; tooltip?: string } {
  const known = effective.variables.filter((v) => v.value !== undefined);
  if (!known.length && !several) return hint;
  const from = effective.kustomizations.join(', ');
  const values = known.map((v) => `${v.expression} = ${v.value}`).join(', ');
  const prefix = values ? ` ${values} (from ${from})` : ` (${from})`;
  return { label: `${prefix}${hint.label}`, ...(hint.tooltip ? { tooltip: `${hint.tooltip}, as applied by ${from}` } : {}) };
}

/** Hints for the refs of `path` that lie on the lines of `range`. */
export async function collectInlayHints(deps: InlayHintDeps, path: string, range: Range, signal: AbortSignal | undefined): Promise<LiveInlayHint[]> {
  const hints: LiveInlayHint[] = [];
  for (const { path: p, model } of deps.index.ociRepositories()) {
    if (p !== path) continue;
    const anchor = model.ref?.digest ?? model.ref?.semver ?? model.ref?.tag ?? model.url;
    if (!anchor || !overlapsLines(anchor.range, range)) continue;
    const effectives = effectiveOciModels(deps.index, model);
    for (const effective of effectives) {
      throwIfAborted(signal);
      const resolution = await deps.resolveRepository(effective.model);
      const hint = resolution && hintFor(resolution);
      if (hint) hints.push({ position: anchor.range.end, ...withVariables(hint, effective, effectives.length > 1) });
    }
  }
  for (const { path: p, model } of deps.index.helmReleases()) {
    const anchor = model.chart?.version;
    if (p !== path || !anchor || !overlapsLines(anchor.range, range)) continue;
    const charts = await deps.releaseCharts(model);
    for (const { effective, chart } of charts) {
      const hint = chart && !chart.repository ? hintFor(chart.resolution) : undefined;
      if (hint) hints.push({ position: anchor.range.end, ...(charts.length > 1 ? withVariables(hint, effective, true) : hint) });
    }
  }
  return hints;
}
