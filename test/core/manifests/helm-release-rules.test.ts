// Chart versions (HelmRelease chart.spec.version, HelmChart spec.version) are checked offline as the
// Masterminds semver ranges Helm parses them as.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { FluxDiagnostic } from '../../../core/diagnostic';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';

function diagnose(text: string): FluxDiagnostic[] {
  const index = new WorkspaceIndex();
  index.setFile('t.yaml', text);
  return index.analyze('t.yaml').diagnostics.filter((d) => d.severity !== 'information');
}
const release = (version: string): string =>
  `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: a\nspec:\n  interval: 5m\n  chart:\n    spec:\n      chart: a\n      version: ${version}\n      sourceRef:\n        kind: HelmRepository\n        name: r\n`;
const chart = (version: string): string =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmChart\nmetadata:\n  name: a\nspec:\n  interval: 5m\n  chart: a\n  version: ${version}\n  sourceRef:\n    kind: HelmRepository\n    name: r\n`;

test('valid versions and ranges pass, as do placeholders and the empty (latest) version', () => {
  for (const v of ['1.2.3', 'v1.2.3', '"6.x"', '"*"', '">=5.1 <6"', '"~1.2"', '"^2"', '">=4.0.0-0"', '""', '${CHART_VERSION}', '"{{ .Values.version }}"']) {
    assert.deepEqual(diagnose(release(v)), [], v);
    assert.deepEqual(diagnose(chart(v)), [], v);
  }
});

test('an invalid range is one error on the value, for HelmRelease and HelmChart', () => {
  for (const v of ['">= 5.1 <"', 'latest', '"1.2.3 ||| 2"']) {
    const [d, ...rest] = diagnose(release(v));
    assert.equal(rest.length, 0, v);
    assert.equal(d.code, 'helm-chart-version-invalid', v);
    assert.equal(d.severity, 'error');
    assert.deepEqual(d.range.start, { line: 9, character: 15 }, v);
    assert.match(d.message, /spec\.chart\.spec\.version/);
    const [c] = diagnose(chart(v));
    assert.equal(c.code, 'helm-chart-version-invalid', v);
    assert.match(c.message, /^spec\.version/);
  }
});
