// Hover, completion, quick fixes and document symbols through the real server over stdio.
// The answers come from the core; these tests check they arrive in LSP shape at the right places.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseAllDocuments } from 'yaml';
import { applyTextEdits, LspClient } from '../support/lsp-client';
import { HELMRELEASE_SOURCEREF_OCI, OCI_V1BETA2, OCI_WITH_BRANCH, SECRET_REGCRED } from './fixtures';

interface CodeAction {
  title: string;
  kind: string;
  isPreferred?: boolean;
  diagnostics: Array<{ code: string; range: unknown }>;
  edit: { changes: Record<string, Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }>> };
}

describe('language features over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
    await client.initialize();
  });
  after(async () => {
    await client.stop();
    assert.deepEqual(client.strayOutput, []);
  });

  async function open(uri: string, text: string) {
    client.openDocument(uri, text);
    return (await client.diagnosticsFor(uri)).diagnostics;
  }

  function quickFixes(uri: string, line: number, diagnostics: unknown[] = []) {
    return client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
      context: { diagnostics, only: ['quickfix'] },
    });
  }

  it('hovers Flux fields with markdown and the hovered range', async () => {
    const uri = 'file:///features/hover.yaml';
    await open(uri, OCI_V1BETA2);
    const hover = await client.request<{ contents: { kind: string; value: string }; range?: { start: { line: number } } } | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 9, character: 6 },
    });
    assert.ok(hover, 'expected a hover on the semver key');
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /semver/i);
    if (hover.range) assert.equal(hover.range.start.line, 9);
  });

  it('completes the fields of an OCIRepository ref', async () => {
    const uri = 'file:///features/complete.yaml';
    const text = OCI_WITH_BRANCH.replace('    branch: main\n', '    \n');
    await open(uri, text);
    const items = await client.request<Array<{ label: string; kind: number }>>('textDocument/completion', {
      textDocument: { uri },
      position: { line: 9, character: 4 },
    });
    const labels = items.map((i) => i.label);
    for (const field of ['tag', 'semver', 'digest']) assert.ok(labels.includes(field), `missing ${field} in ${labels.join(', ')}`);
    assert.ok(!labels.includes('branch'), 'branch is not an OCIRepository ref field');
  });

  it('offers a preferred quick fix that moves OCIRepository v1beta2 to v1', async () => {
    const uri = 'file:///features/v1beta2.yaml';
    const diagnostics = await open(uri, OCI_V1BETA2);
    const onApiVersion = diagnostics.filter((d) => d.range.start.line === 0);
    assert.equal(onApiVersion.length, 1, JSON.stringify(diagnostics));
    const actions = await quickFixes(uri, 0, onApiVersion);
    assert.ok(actions.length >= 1, 'expected a quick fix');
    const fix = actions[0];
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    assert.equal(fix.diagnostics[0].code, onApiVersion[0].code);
    const fixed = applyTextEdits(OCI_V1BETA2, fix.edit.changes[uri]);
    assert.equal(fixed.split('\n')[0], 'apiVersion: source.toolkit.fluxcd.io/v1');
    assert.equal(fixed.split('\n').slice(1).join('\n'), OCI_V1BETA2.split('\n').slice(1).join('\n'), 'only the apiVersion changes');
  });

  it('rewrites chart.spec.sourceRef kind OCIRepository to spec.chartRef with a quick fix', async () => {
    const uri = 'file:///features/sourceref.yaml';
    const diagnostics = await open(uri, HELMRELEASE_SOURCEREF_OCI);
    const onKind = diagnostics.filter((d) => d.range.start.line === 11);
    assert.ok(onKind.length >= 1, JSON.stringify(diagnostics));
    assert.equal(onKind[0].severity, 1);
    const actions = await quickFixes(uri, 11);
    const fix = actions.find((a) => /chartRef/.test(a.title)) ?? actions[0];
    assert.ok(fix, 'expected a quick fix on the kind line');
    const fixed = applyTextEdits(HELMRELEASE_SOURCEREF_OCI, fix.edit.changes[uri]);
    const object = parse(fixed) as { spec: Record<string, unknown> };
    assert.equal(object.spec.chart, undefined, `chart must be gone:\n${fixed}`);
    const chartRef = object.spec.chartRef as Record<string, unknown>;
    assert.equal(chartRef.kind, 'OCIRepository');
    assert.equal(chartRef.name, 'podinfo');
    assert.ok(chartRef.namespace === undefined || chartRef.namespace === 'flux-system', 'same namespace as the release');
    assert.deepEqual(object.spec.values, { replicaCount: 2 }, 'the rest of the spec is untouched');
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
    const after = await client.diagnosticsFor(uri, 2);
    assert.equal(after.diagnostics.filter((d) => d.severity === 1).length, 0, JSON.stringify(after.diagnostics));
  });

  it('offers no quick fix away from a fixable diagnostic', async () => {
    const uri = 'file:///features/no-fix.yaml';
    await open(uri, OCI_V1BETA2);
    const actions = await quickFixes(uri, 6);
    assert.deepEqual(actions, []);
  });

  it('lists Flux objects and Secrets as document symbols', async () => {
    const uri = 'file:///features/symbols.yaml';
    const text = `${OCI_WITH_BRANCH}---\n${SECRET_REGCRED}`;
    await open(uri, text);
    const symbols = await client.request<Array<{ name: string; kind: number; range: { start: { line: number } }; selectionRange: unknown }>>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.equal(symbols.length, parseAllDocuments(text).length, JSON.stringify(symbols));
    assert.match(symbols[0].name, /podinfo/);
    assert.equal(symbols[0].range.start.line, 0);
    assert.match(symbols[1].name, /regcred/);
    const secretStart = OCI_WITH_BRANCH.split('\n').length; // the Secret's first line; its `---` is one above
    assert.ok([secretStart - 1, secretStart].includes(symbols[1].range.start.line), `Secret symbol starts at ${symbols[1].range.start.line}`);
    for (const symbol of symbols) assert.ok(symbol.kind >= 1 && symbol.kind <= 26);
  });
});
