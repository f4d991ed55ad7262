// The live image-automation features the LiveService composes: one cached resolution per ImagePolicy, and from it the
// marker and policy hovers, inlay hints after markers, and diagnostics. Trust/offline gating as the other live features.
import type { FluxDiagnostic } from '../diagnostic';
import type { ImageMarker } from '../manifests/image-markers';
import { locateAt } from '../manifests/ast-locate';
import { rangeOfNode } from '../manifests/yaml-ast';
import type { RegistryClient } from '../oci/registry-client';
import type { Position, Range } from '../text-range';
import { automationScopes, automationsCovering, imageObjects, markersInFile, policyOfMarker } from '../workspace/image-automation-scope';
import { shiftRange } from '../workspace/range-shift';
import type { WorkspaceIndex } from '../workspace/workspace-index';
import { mapBounded } from './bounded';
import { inside, overlapsLines } from './document-models';
import { describePolicy, readImagePolicySpec, resolveImagePolicy, type ImagePolicyResolution } from './image-policy-resolution';
import { markerDiagnostic, markerInlayHint, policyDiagnostic, renderMarkerHover, renderPolicyHover } from './image-policy-render';
import type { LiveInlayHint } from './live-inlay-hints';
import { networkBlockedReason, type LiveOptions } from './live-options';
import { ResolutionCache } from './resolution-cache';

/** One ImagePolicy of the workspace with the tag it selects now (for the OCI Sources view). */
export interface ImagePolicySummary {
  namespace: string;
  name: string;
  path: string;
  range: Range;
  /** How the policy chooses, e.g. `semver 6.x`. */
  policy: string;
  tag?: string;
  problem?: string;
  /** Markers in the workspace naming it. */
  markers: number;
}

interface Call {
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

/** Spec fields of an ImagePolicy under `spec` that place the hover on the policy itself. */
const POLICY_HOVER_FIELDS = new Set(['policy', 'filterTags', 'imageRepositoryRef']);

export class ImageAutomationLive {
  private readonly cache: ResolutionCache<ImagePolicyResolution>;
  private refreshNext = false;

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly client: RegistryClient,
    private readonly options: () => LiveOptions,
  ) {
    this.cache = new ResolutionCache(
      () => this.options().resolutionTtlMs,
      () => this.options().now?.() ?? Date.now(),
    );
  }

  clear(refresh = false): void {
    this.cache.clear();
    if (refresh) this.refreshNext = true;
  }

  /** The cache key: the policy's and its ImageRepository's document texts (any edit to either resolves again). */
  private keyOf(namespace: string, name: string): string | undefined {
    const policy = this.index.findObject('ImagePolicy', namespace, name);
    if (!policy) return undefined;
    const text = (p: string, documentIndex: number): string => this.index.documents(p).find((d) => d.documentIndex === documentIndex)?.result.text ?? '';
    const spec = readImagePolicySpec(this.index, policy.path, policy.object);
    const repo = spec ? this.index.findObject('ImageRepository', spec.repositoryRef.namespace, spec.repositoryRef.name) : undefined;
    return JSON.stringify([namespace, name, text(policy.path, policy.object.documentIndex), repo ? text(repo.path, repo.object.documentIndex) : '']);
  }

  /** The live resolution of the ImagePolicy namespace/name (undefined when it is not in the workspace or no network is allowed). */
  async resolve(namespace: string, name: string, call: Call = {}): Promise<ImagePolicyResolution | undefined> {
    if (networkBlockedReason(this.options())) return undefined;
    const policy = this.index.findObject('ImagePolicy', namespace, name);
    const spec = policy && readImagePolicySpec(this.index, policy.path, policy.object);
    const key = policy && this.keyOf(namespace, name);
    if (!spec || !key) return undefined;
    const refresh = this.refreshNext;
    this.refreshNext = false;
    return this.cache.run(key, () =>
      resolveImagePolicy({ index: this.index, options: this.options(), client: this.client, spec, signal: call.signal, refresh, onProgress: call.onProgress ?? this.options().onProgress }),
    );
  }

  private markerAt(path: string, position: Position): ImageMarker | undefined {
    return markersInFile(this.index, path).find((m) => m.valueRange.start.line === position.line && (inside(m.valueRange, position) || position.character >= m.valueRange.end.character));
  }

  /** Hover on a marker (its value or its comment) or on an ImagePolicy's name, policy, filterTags or repository ref. */
  async hoverAt(path: string, position: Position, call: Call = {}): Promise<{ markdown: string; range: Range } | undefined> {
    if (networkBlockedReason(this.options())) return undefined;
    const marker = this.markerAt(path, position);
    if (marker) {
      const resolution = await this.resolve(marker.namespace, marker.name, call);
      if (!resolution) return undefined;
      const automations = automationsCovering(automationScopes(this.index), path, marker.namespace);
      const range = inside(marker.valueRange, position) ? marker.valueRange : marker.markerRange;
      return { markdown: renderMarkerHover(marker, resolution, automations), range };
    }
    const doc = this.index.documentAt(path, position);
    const object = doc?.object;
    const parsed = doc?.result.parsed;
    if (!doc || !object || !parsed || object.kind !== 'ImagePolicy' || !inside(object.range, position)) return undefined;
    const loc = locateAt(parsed.doc.contents, parsed.lineMap.offsetAt({ line: position.line - doc.startLine, character: position.character }));
    const onName = loc?.path.join('.') === 'metadata.name';
    const onPolicy = loc?.path[0] === 'spec' && POLICY_HOVER_FIELDS.has(loc.path[1] ?? '');
    if (!loc || (!onName && !onPolicy)) return undefined;
    const resolution = await this.resolve(object.namespace, object.name, call);
    if (!resolution) return undefined;
    const markers = this.index.referencesTo('ImagePolicy', object.namespace, object.name).length;
    return { markdown: renderPolicyHover(resolution, markers), range: shiftRange(rangeOfNode(loc.node, parsed.lineMap), doc.startLine) };
  }

  /** Every ImagePolicy of the workspace with the tag it selects (resolved only when the network is allowed). */
  async listPolicies(call: Call = {}): Promise<ImagePolicySummary[]> {
    const blocked = networkBlockedReason(this.options());
    const policies = imageObjects(this.index, 'ImagePolicy');
    return mapBounded(
      policies,
      this.options().concurrency,
      async ({ path, object }) => {
        const spec = readImagePolicySpec(this.index, path, object);
        const summary: ImagePolicySummary = {
          namespace: object.namespace,
          name: object.name,
          path,
          range: object.nameRange ?? object.range,
          policy: spec ? describePolicy(spec).replace(/`/g, '') : 'no policy',
          markers: this.index.referencesTo('ImagePolicy', object.namespace, object.name).length,
        };
        if (blocked) return { ...summary, problem: blocked };
        const resolution = await this.resolve(object.namespace, object.name, call);
        if (resolution?.latest) summary.tag = resolution.latest.tag;
        else if (resolution?.problem) summary.problem = resolution.problem;
        return summary;
      },
      call.signal,
    );
  }

  /** `→ value` after each marker in `range` whose value automation would change. */
  async inlayHints(path: string, range: Range, call: Call = {}): Promise<LiveInlayHint[]> {
    if (networkBlockedReason(this.options())) return [];
    const hints: LiveInlayHint[] = [];
    for (const marker of markersInFile(this.index, path)) {
      if (!overlapsLines(marker.valueRange, range) || !policyOfMarker(this.index, marker)) continue;
      const resolution = await this.resolve(marker.namespace, marker.name, call);
      const hint = resolution && markerInlayHint(marker, resolution);
      if (hint) hints.push(hint);
    }
    return hints;
  }

  /** Live diagnostics of markers (value differs from what automation writes) and of ImagePolicies that select nothing. */
  async diagnostics(paths: readonly string[] | undefined, call: Call = {}): Promise<Map<string, FluxDiagnostic[]>> {
    const out = new Map<string, FluxDiagnostic[]>();
    if (networkBlockedReason(this.options())) return out;
    const files = paths ?? this.index.files();
    const push = (path: string, d: FluxDiagnostic | undefined): void => {
      if (!d) return;
      const list = out.get(path);
      if (list) list.push(d);
      else out.set(path, [d]);
    };
    const wanted = new Set(files);
    const policies = imageObjects(this.index, 'ImagePolicy');
    const resolutions = await mapBounded(policies, this.options().concurrency, (p) => this.resolve(p.object.namespace, p.object.name, call), call.signal);
    policies.forEach((p, i) => {
      const resolution = resolutions[i];
      if (resolution && wanted.has(p.path)) push(p.path, policyDiagnostic(resolution));
    });
    const scopes = automationScopes(this.index);
    for (const path of files) {
      for (const marker of markersInFile(this.index, path)) {
        if (!policyOfMarker(this.index, marker)) continue;
        const resolution = await this.resolve(marker.namespace, marker.name, call);
        if (resolution) push(path, markerDiagnostic(marker, resolution, automationsCovering(scopes, path, marker.namespace).length > 0));
      }
    }
    return out;
  }
}
