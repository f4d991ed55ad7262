// The language server over real stdio: initialize, diagnostics of opened documents (codes, severities, ranges),
// settings, robustness against malformed and huge input, and a stdout that carries nothing but protocol.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient, type PublishedDiagnostics } from '../support/lsp-client';
import { HELMRELEASE_V1, MALFORMED_YAML, OCI_WITH_BRANCH } from './fixtures';

const ERROR = 1;
const WARNING = 2;

describe('language server over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    const code = await client.stop();
    assert.equal(code, 0, `server should exit cleanly after shutdown/exit; stderr: ${client.stderr}`);
    assert.deepEqual(client.strayOutput, [], 'server wrote non-protocol bytes to stdout');
  });

  it('answers initialize with the features it implements', async () => {
    const result = await client.initialize();
    const capabilities = result.capabilities as Record<string, unknown>;
    assert.equal(capabilities.hoverProvider, true);
    assert.equal(capabilities.documentSymbolProvider, true);
    assert.deepEqual((capabilities.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds, ['quickfix', 'refactor.rewrite']);
    assert.equal(capabilities.inlayHintProvider, true);
    assert.equal(capabilities.definitionProvider, true);
    assert.equal(capabilities.referencesProvider, true);
    assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2 });
    assert.ok(capabilities.completionProvider);
  });

  it('publishes diagnostics for an opened document, with the document version', async () => {
    const uri = 'untitled:clean-or-not-1';
    client.openDocument(uri, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n', 7);
    const published = await client.diagnosticsFor(uri);
    assert.equal(published.version, 7);
    assert.deepEqual(published.diagnostics, [], 'a plain ConfigMap has nothing to report');
  });

  it('warns on ref.branch of an OCIRepository, on the branch key', async () => {
    const uri = 'file:///virtual/oci-branch.yaml';
    client.openDocument(uri, OCI_WITH_BRANCH);
    const { diagnostics } = await client.diagnosticsFor(uri);
    const onBranch = diagnostics.filter((d) => d.range.start.line === 9);
    assert.equal(onBranch.length, 1, `expected one diagnostic on line 10, got ${JSON.stringify(diagnostics)}`);
    assert.ok(onBranch[0].severity === WARNING || onBranch[0].severity === ERROR, `severity ${onBranch[0].severity}`);
    assert.equal(onBranch[0].source, 'flux-oci');
    assert.deepEqual(onBranch[0].range, { start: { line: 9, character: 4 }, end: { line: 9, character: 10 } });
    assert.match(onBranch[0].message, /tag|semver|digest/i);
    assert.ok(typeof onBranch[0].code === 'string' && onBranch[0].code.length > 0);
  });

  it('reports helm.toolkit.fluxcd.io/v1 as an error on the apiVersion line', async () => {
    const uri = 'file:///virtual/helm-v1.yaml';
    client.openDocument(uri, HELMRELEASE_V1);
    const { diagnostics } = await client.diagnosticsFor(uri);
    const errors = diagnostics.filter((d) => d.severity === ERROR && d.range.start.line === 0);
    assert.equal(errors.length, 1, JSON.stringify(diagnostics));
    assert.match(errors[0].message, /v2/);
  });

  it('re-publishes after an incremental edit fixes the problem', async () => {
    const uri = 'file:///virtual/edit-me.yaml';
    client.openDocument(uri, OCI_WITH_BRANCH, 1);
    const first = await client.diagnosticsFor(uri, 1);
    assert.ok(
      first.diagnostics.some((d) => d.range.start.line === 9),
      'the branch warning comes first',
    );
    // replace "branch: main" by "tag: latest" with an incremental change
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 9, character: 4 }, end: { line: 9, character: 16 } }, text: 'tag: latest' }],
    });
    const second = await client.diagnosticsFor(uri, 2);
    assert.equal(second.diagnostics.filter((d) => d.range.start.line === 9).length, 0, JSON.stringify(second.diagnostics));
  });

  it('debounces rapid edits into one analysis of the last version', async () => {
    const uri = 'file:///virtual/typing.yaml';
    client.openDocument(uri, 'a: 1\n', 1);
    await client.diagnosticsFor(uri, 1);
    for (let version = 2; version <= 20; version++) {
      client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: `a: ${version}\n` }] });
    }
    const last = await client.diagnosticsFor(uri, 20);
    assert.equal(last.version, 20);
    const intermediate = client.allNotifications.filter(
      (m) =>
        m.method === 'textDocument/publishDiagnostics' &&
        (m.params as PublishedDiagnostics).uri === uri &&
        ((m.params as PublishedDiagnostics).version ?? 0) > 1 &&
        (m.params as PublishedDiagnostics).version !== 20,
    );
    assert.deepEqual(intermediate, [], 'intermediate versions should not be analyzed while typing');
  });

  it('survives malformed YAML and still answers requests afterwards', async () => {
    const uri = 'file:///virtual/malformed.yaml';
    client.openDocument(uri, MALFORMED_YAML);
    await client.diagnosticsFor(uri);
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 12 } });
    assert.ok(hover === null || typeof hover === 'object');
    const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(Array.isArray(symbols));
    const completion = await client.request<unknown>('textDocument/completion', { textDocument: { uri }, position: { line: 4, character: 3 } });
    assert.ok(completion === null || Array.isArray(completion) || typeof completion === 'object');
    const status = await client.request<{ files: number }>('fluxOci/indexStatus', null);
    assert.equal(typeof status.files, 'number');
  });

  it('reports malformed YAML as yaml-syntax diagnostics', async () => {
    const uri = 'file:///virtual/malformed-2.yaml';
    client.openDocument(uri, MALFORMED_YAML);
    const { diagnostics } = await client.diagnosticsFor(uri);
    assert.ok(
      diagnostics.some((d) => d.code === 'yaml-syntax' && d.severity === ERROR),
      JSON.stringify(diagnostics),
    );
  });

  it('answers for a huge document (about 4 MB) and still finds the problem at its end', async () => {
    const uri = 'file:///virtual/huge.yaml';
    const valueLines = Array.from({ length: 100_000 }, (_, i) => `    key${i}: "value number ${i} with some padding text"`);
    const head = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${valueLines.join('\n').replace(/^ {4}/gm, '  ')}\n---\n`;
    const headLines = head.split('\n').length - 1;
    client.openDocument(uri, head + OCI_WITH_BRANCH);
    const { diagnostics } = await client.diagnosticsFor(uri);
    assert.ok(
      diagnostics.some((d) => d.range.start.line === headLines + 9 && (d.severity ?? 9) <= WARNING),
      `expected the branch warning at line ${headLines + 10}`,
    );
    const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(Array.isArray(symbols));
  });

  it('refuses to analyze a document over 10 MB with one information note, and keeps answering', async () => {
    const uri = 'file:///virtual/too-big.yaml';
    const text = `# ${'x'.repeat(100)}\n`.repeat(110_000);
    client.openDocument(uri, text);
    const { diagnostics } = await client.diagnosticsFor(uri);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].code, 'file-too-large');
    assert.equal(diagnostics[0].severity, 3);
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
    assert.equal(hover, null);
  });

  it('clears diagnostics when fluxOci.validation.enable is turned off, and restores them when on', async () => {
    const uri = 'file:///virtual/settings.yaml';
    client.openDocument(uri, OCI_WITH_BRANCH.replace('podinfo', 'settings-test'));
    const before = await client.diagnosticsFor(uri);
    assert.ok(before.diagnostics.length > 0, 'needs a diagnostic to clear');
    client.configuration = { validation: { enable: false } };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const off = await client.diagnosticsFor(uri);
    assert.deepEqual(off.diagnostics, []);
    client.configuration = {};
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const on = await client.diagnosticsFor(uri);
    assert.deepEqual(on.diagnostics, before.diagnostics);
  });

  it('clears the diagnostics of an untitled document when it closes', async () => {
    const uri = 'untitled:closing';
    client.openDocument(uri, `# ${'x'.repeat(100)}\n`.repeat(110_000));
    const opened = await client.diagnosticsFor(uri);
    assert.equal(opened.diagnostics.length, 1);
    client.notify('textDocument/didClose', { textDocument: { uri } });
    const closed = await client.diagnosticsFor(uri);
    assert.deepEqual(closed.diagnostics, []);
  });
});
