// Templated YAML outside Helm charts: `{{ … }}` values are text, syntax errors are always reported in
// documents holding them, and placeholders are masked only for the schema and rule checks they would confuse.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { FluxDiagnostic } from '../../../core/diagnostic';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';

function analyze(text: string): { diagnostics: FluxDiagnostic[]; objects: string[] } {
  const index = new WorkspaceIndex();
  index.setFile('release.yaml', text);
  const result = index.analyze('release.yaml');
  return { diagnostics: result.diagnostics, objects: result.objects.map((o) => `${o.kind}/${o.name}`) };
}
const where = (d: FluxDiagnostic): string => `${d.code}@${d.range.start.line}:${d.range.start.character}`;

const RELEASE = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
spec:
  interval: 10m
  chartRef:
    kind: OCIRepository
    name: web
  values:
    fullnameOverride: "{{ .Release.Name }}-web"
    ingress:
      host: app.example.com
`;
const SOURCE = '---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: web\nspec:\n  interval: 5m\n  url: oci://ghcr.io/org/web\n';

test('a clean templated document is checked like any other and stays in the index', () => {
  const { diagnostics, objects } = analyze(RELEASE + SOURCE);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(objects, ['HelmRelease/web', 'OCIRepository/web']);
});

test('every kind of syntax error is reported in a document that holds {{', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['unclosed quote', RELEASE.replace('app.example.com', '"app.example.com'), /quote/i],
    ['duplicate key', RELEASE.replace('    ingress:', '    fullnameOverride: other\n    ingress:'), /unique/i],
    ['bad indentation', RELEASE.replace('app.example.com', 'app.example.com\n     path: /'), /same column/i],
    ['tab', RELEASE.replace('      host:', '\thost:'), /tab/i],
  ];
  for (const [name, text, message] of cases) {
    const { diagnostics, objects } = analyze(text + SOURCE);
    const syntax = diagnostics.filter((d) => d.code === 'yaml-syntax');
    assert.ok(syntax.length > 0, `${name}: ${JSON.stringify(diagnostics)}`);
    assert.ok(
      syntax.every((d) => d.severity === 'error' && d.range.start.line >= 9 && d.range.start.line <= 13),
      `${name}: ${syntax.map(where)}`,
    );
    assert.ok(
      syntax.some((d) => message.test(d.message)),
      `${name}: ${syntax.map((d) => d.message)}`,
    );
    // The object does not vanish: it stays in the index, and the next document is still checked.
    assert.deepEqual(objects, ['HelmRelease/web', 'OCIRepository/web'], name);
  }
});

test('{{ }} placeholders are masked for type, pattern and format checks, and are never looked up', () => {
  const text = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: "{{ .Release.Name }}"
  namespace: {{ .Release.Namespace }}
spec:
  interval: "{{ .Values.interval }}"
  timeout: {{ .Values.timeout }}
  url: oci://{{ .Values.registry }}/app
  insecure: {{ .Values.insecure }}
  ref:
    semver: "{{ .Values.range }}"
  secretRef:
    name: "{{ .Values.pullSecret }}"
`;
  assert.deepEqual(analyze(text).diagnostics, []);
});

test('masking does not hide real mistakes next to a placeholder', () => {
  const text = RELEASE.replace('  interval: 10m', '  interval: "{{ .Values.interval }}"\n  timeout: 10 minutes\n  suspendd: true');
  const ds = analyze(text + SOURCE).diagnostics;
  assert.deepEqual(ds.map(where).sort(), ['duration-invalid@6:11', 'field-unknown@7:2']);
});
