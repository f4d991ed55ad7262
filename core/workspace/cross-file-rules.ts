// Cross-file checks: every reference a document makes (secretRef, chartRef, ...) is looked up in the
// workspace index. Reports information only: the target may live outside the workspace or encrypted.
import type { FluxDiagnostic } from '../diagnostic';
import type { ObjectReference } from '../manifests/object-types';

export type ObjectLookup = (kind: string, namespace: string, name: string) => boolean;

export function referenceDiagnostics(refs: readonly ObjectReference[], exists: ObjectLookup): FluxDiagnostic[] {
  const out: FluxDiagnostic[] = [];
  for (const ref of refs) {
    if (ref.kind === 'Secret') {
      if (exists('Secret', ref.namespace, ref.name) || exists('SealedSecret', ref.namespace, ref.name)) continue;
      out.push({
        severity: 'information',
        code: 'secret-ref-not-found',
        message: `No Secret '${ref.name}' in namespace '${ref.namespace}' is in this workspace (${ref.field}); make sure it exists in the cluster (it may be created outside Git, e.g. by External Secrets).`,
        range: ref.range,
      });
    } else if (ref.kind === 'ImagePolicy') {
      if (exists('ImagePolicy', ref.namespace, ref.name)) continue;
      out.push({
        severity: 'error',
        code: 'image-policy-not-found',
        message: `No ImagePolicy '${ref.name}' in namespace '${ref.namespace}' is in this workspace (${ref.field}); image automation only rewrites markers naming an ImagePolicy in its own namespace.`,
        range: ref.range,
      });
    } else if (!exists(ref.kind, ref.namespace, ref.name)) {
      out.push({
        severity: 'information',
        code: 'chart-ref-not-found',
        message: `No ${ref.kind} '${ref.name}' in namespace '${ref.namespace}' is in this workspace (${ref.field}); Flux will wait until one exists.`,
        range: ref.range,
      });
    }
  }
  return out;
}
