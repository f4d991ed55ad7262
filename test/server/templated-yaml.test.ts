// The language server on templated YAML: files under a Helm chart's templates/ are skipped (on disk and as
// open buffers), elsewhere `{{ }}` values are text and syntax errors in templated documents are published.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileUri, LspClient } from '../support/lsp-client';

const ERROR = 1;

const TEMPLATED_RELEASE = `apiVersion: helm.toolkit.fluxcd.io/v2
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
    url: "https://{{ .Values.host }}
`;

const LATER_TEMPLATE = '{{- if .Values.enabled }}\napiVersion: v1\nkind: ConfigMap\n{{- end }}\n';

describe('language server: templated YAML', () => {
  let client: LspClient;
  let root: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'flux-oci-templated-'));
    cpSync(join(__dirname, '../fixtures/helm-chart'), join(root, 'charts'), { recursive: true });
    mkdirSync(join(root, 'apps'), { recursive: true });
    writeFileSync(join(root, 'apps', 'broken.yaml'), TEMPLATED_RELEASE);
    writeFileSync(join(root, 'apps', 'fine.yaml'), TEMPLATED_RELEASE.replace('{{ .Values.host }}\n', '{{ .Values.host }}"\n'));
    // Not a chart yet: its templates/ folder is ordinary, until a Chart.yaml appears next to it.
    mkdirSync(join(root, 'later', 'templates'), { recursive: true });
    writeFileSync(join(root, 'later', 'templates', 'config.yaml'), LATER_TEMPLATE);
    client = await LspClient.start();
    await client.initialize({ rootPath: root });
  });
  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
    assert.deepEqual(client.strayOutput, []);
  });

  it('indexes the workspace without the chart templates', async () => {
    const scanned = await client.waitForNotification<{ files: number; skipped: number }>('fluxOci/workspaceScanned');
    // apps/broken.yaml, apps/fine.yaml, later/templates/config.yaml, the two Chart.yaml files and values.yaml;
    // not the two chart templates.
    assert.equal(scanned.files, 6);
  });

  it('publishes the syntax error of a templated document on disk, and nothing for a clean one', async () => {
    const broken = await client.diagnosticsFor(fileUri(join(root, 'apps', 'broken.yaml')));
    const syntax = broken.diagnostics.filter((d) => d.code === 'yaml-syntax');
    assert.ok(syntax.length > 0, JSON.stringify(broken.diagnostics));
    assert.ok(
      syntax.every((d) => d.severity === ERROR && d.range.start.line === 11),
      JSON.stringify(syntax),
    );
    assert.match(syntax[0].message, /quote/i);
    const fine = fileUri(join(root, 'apps', 'fine.yaml'));
    client.openDocument(fine, TEMPLATED_RELEASE.replace('{{ .Values.host }}\n', '{{ .Values.host }}"\n'), 2);
    const clean = await client.diagnosticsFor(fine, 2);
    assert.deepEqual(
      clean.diagnostics.filter((d) => d.code !== 'chart-ref-not-found'),
      [],
    );
  });

  it('reports a duplicate key typed into an open templated buffer', async () => {
    const uri = fileUri(join(root, 'apps', 'fine.yaml'));
    const text = TEMPLATED_RELEASE.replace('{{ .Values.host }}\n', '{{ .Values.host }}"\n') + '    fullnameOverride: again\n';
    client.notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text }] });
    const { diagnostics } = await client.diagnosticsFor(uri, 3);
    const duplicate = diagnostics.filter((d) => d.code === 'yaml-syntax');
    assert.equal(duplicate.length, 1, JSON.stringify(diagnostics));
    assert.equal(duplicate[0].range.start.line, 12);
    assert.match(duplicate[0].message, /unique/i);
  });

  it('publishes nothing for a chart template opened in the editor, even one that is not YAML yet', async () => {
    const uri = fileUri(join(root, 'charts', 'app', 'templates', 'ocirepository.yaml'));
    client.openDocument(
      uri,
      '{{- if .Values.enabled }}\napiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: {{ include "app.fullname" . }}\nspec:\n  interval: {{ .Values.interval }}\n  url: "{{ .Values.url }}\n{{- end }}\n',
      4,
    );
    const { diagnostics } = await client.diagnosticsFor(uri, 4);
    assert.deepEqual(diagnostics, []);
    // The same text outside a chart is plain YAML to Flux, and broken.
    const outside = fileUri(join(root, 'apps', 'not-a-chart-template.yaml'));
    client.openDocument(outside, '{{- if .Values.enabled }}\napiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\n', 5);
    const published = await client.diagnosticsFor(outside, 5);
    assert.ok(
      published.diagnostics.some((d) => d.code === 'yaml-syntax' && d.severity === ERROR),
      JSON.stringify(published.diagnostics),
    );
  });

  it('drops the diagnostics of a templates/ folder once a Chart.yaml appears next to it (file watcher)', async () => {
    const template = fileUri(join(root, 'later', 'templates', 'config.yaml'));
    const before = await client.diagnosticsFor(template);
    assert.ok(
      before.diagnostics.some((d) => d.code === 'yaml-syntax'),
      JSON.stringify(before.diagnostics),
    );
    writeFileSync(join(root, 'later', 'Chart.yaml'), 'apiVersion: v2\nname: later\nversion: 0.1.0\n');
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(join(root, 'later', 'Chart.yaml')), type: 1 }] });
    const after = await client.diagnosticsFor(template);
    assert.deepEqual(after.diagnostics, []);
  });
});
