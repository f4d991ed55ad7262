// An unknown apiVersion is reported AND the document is checked against the kind's current version, so
// every mistake shows at once; the quick fix to the current apiVersion stays.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { FluxDiagnostic } from '../../../core/diagnostic';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';
import { applyEdits } from './apply-edits';

function diagnose(text: string): FluxDiagnostic[] {
  const index = new WorkspaceIndex();
  index.setFile('t.yaml', text);
  return index.analyze('t.yaml').diagnostics;
}

const RELEASE_V1 = `apiVersion: helm.toolkit.fluxcd.io/v1
kind: HelmRelease
metadata:
  name: podinfo
spec:
  interval: 10m
  chart:
    spec:
      chart: podinfo
      version: ">= 5.1 <"
      sourceRef:
        kind: OCIRepository
        name: podinfo
  intervall: 5m
`;

test('helm.toolkit.fluxcd.io/v1: the apiVersion error and every error of the current version, at once', () => {
  const ds = diagnose(RELEASE_V1);
  assert.deepEqual(ds.map((d) => d.code).sort(), ['api-version-unknown', 'field-unknown', 'helm-chart-version-invalid', 'helmrelease-chart-source-oci']);
  const apiVersion = ds.find((d) => d.code === 'api-version-unknown')!;
  assert.equal(apiVersion.fixes?.[0].title, 'Change apiVersion to helm.toolkit.fluxcd.io/v2');
  // After the quick fix, the remaining errors are the same ones.
  const fixed = applyEdits(RELEASE_V1, apiVersion.fixes![0].edits);
  assert.deepEqual(
    diagnose(fixed)
      .map((d) => d.code)
      .sort(),
    ['field-unknown', 'helm-chart-version-invalid', 'helmrelease-chart-source-oci'],
  );
});

test('a kind in the wrong Flux group is also checked as the current version of its kind', () => {
  const text = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: OCIRepository\nmetadata:\n  name: a\nspec:\n  url: oci://ghcr.io/a/b\n';
  const ds = diagnose(text);
  assert.deepEqual(ds.map((d) => d.code).sort(), ['api-version-unknown', 'field-required']);
  assert.equal(ds.find((d) => d.code === 'api-version-unknown')!.fixes?.[0].edits[0].newText, 'source.toolkit.fluxcd.io/v1');
});
