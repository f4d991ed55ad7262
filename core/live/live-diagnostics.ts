// Turns live resolutions into diagnostic records (codes `live-…`) with their quick fixes, for OCIRepositories and
// the HelmReleases that consume them. Pure: resolutions and models in, FluxDiagnostics out; no registry calls.
import type { Fix, FluxDiagnostic } from '../diagnostic';
import type { HelmReleaseModel, Located, OCIRepositoryModel } from '../manifests/object-types';
import type { Range } from '../text-range';
import { parseListedTag } from '../versions/helm-tags';
import { pinDigestFix, removeFieldFix, updateTagFix, widenedRange, widenRangeFix } from './live-fixes';
import type { LiveOptions } from './live-options';
import type { LiveResolution } from './live-resolution';
import { chartVersionDiffersFromTag, resolvedChartVersion, versionDiffers } from './version-mismatch';
import { hostProblemMessage } from './unreachable-hosts';

export const LIVE_CODES = {
  registryUnavailable: 'live-registry-unavailable',
  hostUnreachable: 'live-registry-host-unreachable',
  tagNotFound: 'live-tag-not-found',
  semverNoMatch: 'live-semver-no-match',
  digestNotFound: 'live-digest-not-found',
  newerOutsideRange: 'live-newer-version',
  layerMediaTypeMissing: 'live-layer-media-type-missing',
  chartRefNotHelmChart: 'live-chart-ref-not-helm-chart',
  chartVersionNoMatch: 'live-chart-version-no-match',
  chartVersionMismatch: 'live-chart-version-mismatch',
  chartVersionDiffersFromTag: 'live-chart-version-differs-from-tag',
  refFieldIgnored: 'live-ref-field-ignored',
} as const;

const diag = (severity: FluxDiagnostic['severity'], code: string, message: string, range: Range, fixes?: Fix[]): FluxDiagnostic => ({
  severity,
  code,
  message,
  range,
  ...(fixes && fixes.length ? { fixes } : {}),
});

const compact = <T>(items: Array<T | undefined>): T[] => items.filter((x): x is T => x !== undefined);

function where(resolution: LiveResolution): string {
  return `${resolution.repository.registry}/${resolution.repository.repository}`;
}

function newestList(resolution: LiveResolution, count = 5): string {
  const tags = resolution.tags.slice(0, count);
  return tags.length ? `; the newest tags are ${tags.join(', ')}` : '; the repository has no tags';
}

/** The one information diagnostic for a whole host that cannot be reached, on the first source that uses it. */
export function hostProblemDiagnostic(resolution: LiveResolution, range: Range, offline: boolean): FluxDiagnostic | undefined {
  if (resolution.state !== 'failed' || !resolution.problem) return undefined;
  return diag('information', LIVE_CODES.hostUnreachable, hostProblemMessage(resolution.repository.registry, resolution.problem, offline), range);
}

/** The one information diagnostic for a repository the registry did not answer for (network, auth, rate limit). */
export function registryProblemDiagnostic(resolution: LiveResolution, range: Range): FluxDiagnostic | undefined {
  if (resolution.state !== 'failed' || !resolution.problem || resolution.problem.code === 'cancelled') return undefined;
  return diag('information', LIVE_CODES.registryUnavailable, `Live registry data for ${where(resolution)} is unavailable: ${resolution.problem.message}`, range);
}

function widenFix(text: string, semver: Located<string>, resolution: LiveResolution, newest: string): Fix | undefined {
  const newestVersion = parseListedTag(newest, resolution.helmChart);
  if (!newestVersion) return undefined;
  const current = resolution.tag ? parseListedTag(resolution.tag, resolution.helmChart) : undefined;
  return widenRangeFix(text, semver, widenedRange(current, newestVersion), newest);
}

/** Live diagnostics of one OCIRepository (registry trouble excluded: the caller reports that once per repository). */
export function ociRepositoryDiagnostics(text: string, model: OCIRepositoryModel, resolution: LiveResolution, options: LiveOptions): FluxDiagnostic[] {
  const out: FluxDiagnostic[] = [];
  const ref = model.ref;
  const problem = resolution.refProblem;
  const newest = resolution.newestTag;
  if (problem?.code === 'tag-not-found') {
    const range = ref?.tag?.range ?? model.url?.range;
    if (range) {
      const fixes = compact([ref?.tag && newest ? updateTagFix(text, ref.tag, newest) : undefined]);
      out.push(diag('error', LIVE_CODES.tagNotFound, `Tag "${resolution.tag ?? 'latest'}" does not exist in ${where(resolution)}${newestList(resolution)}.`, range, fixes));
    }
  } else if (problem?.code === 'no-match' && ref?.semver) {
    out.push(
      diag(
        'error',
        LIVE_CODES.semverNoMatch,
        `No tag of ${where(resolution)} matches ${ref.semver.value}: ${problem.message}.`,
        ref.semver.range,
        compact([newest ? widenFix(text, ref.semver, resolution, newest) : undefined]),
      ),
    );
  } else if (problem?.code === 'digest-not-found' && ref?.digest) {
    out.push(diag('error', LIVE_CODES.digestNotFound, `Digest ${ref.digest.value} does not exist in ${where(resolution)}.`, ref.digest.range));
  }
  if (options.newerVersionHints && resolution.newerOutside && !problem) {
    if (resolution.ref.kind === 'semver' && ref?.semver) {
      out.push(
        diag(
          'hint',
          LIVE_CODES.newerOutsideRange,
          `${resolution.newerOutside} is newer than ${resolution.tag ?? 'the match'} but outside the range ${ref.semver.value}.`,
          ref.semver.range,
          compact([widenFix(text, ref.semver, resolution, resolution.newerOutside)]),
        ),
      );
    } else if (resolution.ref.kind === 'tag' && ref?.tag) {
      out.push(
        diag('hint', LIVE_CODES.newerOutsideRange, `A newer version exists: ${resolution.newerOutside} (this pins ${ref.tag.value}).`, ref.tag.range, [
          updateTagFix(text, ref.tag, resolution.newerOutside),
        ]),
      );
    }
  }
  const artifact = resolution.artifact;
  const mediaType = model.layerSelector?.mediaType;
  if (artifact && mediaType && !artifact.layerMediaTypes.includes(mediaType.value)) {
    out.push(
      diag(
        'error',
        LIVE_CODES.layerMediaTypeMissing,
        `No layer of ${resolution.tag ?? artifact.digest} has media type "${mediaType.value}"; its layers are ${[...new Set(artifact.layerMediaTypes)].join(', ') || 'none'}.`,
        mediaType.range,
      ),
    );
  }
  if (artifact?.chart && resolution.tag && chartVersionDiffersFromTag(resolution.tag, artifact.chart.version)) {
    const range = ref?.semver?.range ?? ref?.tag?.range ?? model.url?.range;
    if (range)
      out.push(diag('warning', LIVE_CODES.chartVersionDiffersFromTag, `Tag ${resolution.tag} holds chart ${artifact.chart.name} whose Chart.yaml says version ${artifact.chart.version}.`, range));
  }
  out.push(...ignoredRefFields(text, model, resolution));
  return out;
}

/** `ref` fields Flux ignores (precedence digest > semver > tag), each with a removal fix. */
function ignoredRefFields(text: string, model: OCIRepositoryModel, resolution: LiveResolution): FluxDiagnostic[] {
  const ref = model.ref;
  if (!ref) return [];
  const order = (['digest', 'semver', 'tag'] as const).filter((k) => ref[k] !== undefined);
  if (order.length < 2) return [];
  const [winner, ...ignored] = order;
  const uses = resolution.tag && winner === 'semver' ? ` (it resolves to ${resolution.tag})` : '';
  return ignored.map((field) => {
    const located = ref[field]!;
    const fix = removeFieldFix(text, located, `spec.ref.${field}`);
    return diag('hint', LIVE_CODES.refFieldIgnored, `Flux ignores spec.ref.${field} because spec.ref.${winner} is set${uses}.`, located.keyRange ?? located.range, compact([fix]));
  });
}

/** A quick "pin" action for an OCIRepository whose artifact is known. */
export function pinActions(text: string, model: OCIRepositoryModel, resolution: LiveResolution): Fix[] {
  if (!resolution.artifact || model.ref?.digest?.value === resolution.artifact.digest) return [];
  return compact([pinDigestFix(text, model, resolution.artifact.digest)]);
}

/** A HelmRelease whose chartRef OCIRepository holds something other than a Helm chart. */
export function chartRefNotHelmChart(release: HelmReleaseModel, sourceName: string, resolution: LiveResolution): FluxDiagnostic | undefined {
  const artifact = resolution.artifact;
  const range = release.chartRef?.name?.range;
  if (!artifact || !range || artifact.kind === 'helm-chart') return undefined;
  return diag(
    'error',
    LIVE_CODES.chartRefNotHelmChart,
    `OCIRepository ${sourceName} resolves to ${resolution.tag ?? artifact.digest}, which is not a Helm chart (it is a ${artifact.kind.replace('-', ' ')}); helm-controller cannot install it.`,
    range,
  );
}

/** The HelmRelease end and the OCIRepository end of a chart version mismatch. */
export function chartVersionMismatch(
  release: HelmReleaseModel,
  releaseName: string,
  repository: OCIRepositoryModel,
  sourceName: string,
  resolution: LiveResolution,
): { release?: FluxDiagnostic; repository?: FluxDiagnostic } {
  const pinned = release.chart?.version;
  const actual = resolvedChartVersion(resolution);
  if (!pinned || !actual || resolution.state !== 'resolved' || !versionDiffers(pinned.value, actual)) return {};
  const message = `HelmRelease ${releaseName} pins chart version ${pinned.value}, but OCIRepository ${sourceName} currently resolves to chart version ${actual}.`;
  const repoRange = repository.ref?.digest?.range ?? repository.ref?.semver?.range ?? repository.ref?.tag?.range ?? repository.url?.range;
  return {
    release: diag('warning', LIVE_CODES.chartVersionMismatch, message, pinned.range),
    ...(repoRange ? { repository: diag('warning', LIVE_CODES.chartVersionMismatch, message, repoRange) } : {}),
  };
}

/** A HelmRelease whose `chart.spec.version` no tag of its OCI HelmRepository chart satisfies. */
export function chartVersionNoMatch(text: string, release: HelmReleaseModel, resolution: LiveResolution): FluxDiagnostic | undefined {
  const version = release.chart?.version;
  if (resolution.refProblem?.code !== 'no-match') return undefined;
  const range = version?.range ?? release.chart?.chart?.range;
  if (!range) return undefined;
  const newest = resolution.newestTag;
  const fixes = compact([version && newest ? widenFix(text, version, resolution, newest) : undefined]);
  return diag('error', LIVE_CODES.chartVersionNoMatch, `No version of chart ${where(resolution)} satisfies ${version?.value ?? '*'}${newestList(resolution)}.`, range, fixes);
}
