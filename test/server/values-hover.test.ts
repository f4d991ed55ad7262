// Chart values through the real server over stdio against a real registry: hover on spec.values keys, completion of
// the chart's keys under spec.values, and live-values-schema diagnostics from the chart's values.schema.json.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileUri, type LspClient, type PublishedDiagnostics } from '../support/lsp-client';
import { positionOf, pushChart } from '../core/live/live-fixtures';
import { podinfoRepository, PODINFO_RELEASE, startLiveServer, type LiveServer } from './live-server';

const VALUES = `# How many podinfo pods run.
replicaCount: 1
image:
  # Where the podinfo image comes from.
  repository: ghcr.io/stefanprodan/podinfo
  # Overrides the chart's appVersion.
  tag: ""
service:
  port: 9898
`;

const SCHEMA = {
  type: 'object',
  properties: {
    replicaCount: { type: 'integer', minimum: 1 },
    image: { type: 'object', properties: { repository: { type: 'string' }, tag: { type: 'string' } }, additionalProperties: false },
    service: { type: 'object', properties: { port: { type: 'integer', maximum: 65535 } } },
  },
};

const releaseWith = (values: string) => `${PODINFO_RELEASE}  values:\n${values}`;

interface Hover {
  contents: { kind?: string; value: string };
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
}

interface Completion {
  label: string;
  kind?: number;
  detail?: string;
  documentation?: { value: string };
}

describe('chart values under spec.values over stdio', () => {
  let server: LiveServer;
  let client: LspClient;
  let releaseUri: string;
  const releaseText = releaseWith('    replicaCount: 3\n    image:\n      tag: "6.8.0"\n');

  before(async () => {
    server = await startLiveServer('values', async (r) => {
      await pushChart(r, 'charts/podinfo', { name: 'podinfo', version: '6.8.0', values: VALUES, schema: SCHEMA });
      return { 'sources/podinfo.yaml': podinfoRepository(r.host, 'podinfo', 'tag: 6.8.0'), 'apps/release.yaml': releaseText };
    });
    client = server.client;
    releaseUri = server.uris['apps/release.yaml']!;
  });

  after(() => server?.stop());

  it('hovering a top-level key shows its comment and default from the chart values.yaml', async () => {
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: releaseUri }, position: positionOf(releaseText, 'replicaCount', 4) });
    assert.ok(hover, 'a hover for spec.values.replicaCount');
    assert.match(hover.contents.value, /\*\*replicaCount\*\* \(chart podinfo values\.yaml\)/);
    assert.match(hover.contents.value, /How many podinfo pods run\./);
    assert.match(hover.contents.value, /Default:\n```yaml\n1\n```/);
    assert.deepEqual(hover.range?.start, positionOf(releaseText, 'replicaCount'));
  });

  it('hovering a nested key shows the nested comment and default', async () => {
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: releaseUri }, position: positionOf(releaseText, 'tag:', 1) });
    assert.ok(hover, 'a hover for spec.values.image.tag');
    assert.match(hover.contents.value, /\*\*image\.tag\*\*/);
    assert.match(hover.contents.value, /Overrides the chart's appVersion\./);
    assert.match(hover.contents.value, /```yaml\n""\n```/);
    assert.ok(!hover.contents.value.includes('How many podinfo pods run'), 'not the comment of another key');
  });

  it('completes the chart keys under spec.values and under a nested map, with docs and defaults', async () => {
    const uri = fileUri(join(server.workspace, 'apps', 'typing.yaml'));
    const text = releaseWith('    image:\n      \n    \n');
    client.openDocument(uri, text);
    await client.diagnosticsFor(uri);
    const nested = await client.request<Completion[]>('textDocument/completion', { textDocument: { uri }, position: positionOf(text, 'image:\n      ', 13) });
    const nestedKeys = nested.filter((i) => i.label === 'repository' || i.label === 'tag');
    assert.deepEqual(nestedKeys.map((i) => i.label).sort(), ['repository', 'tag'], JSON.stringify(nested.map((i) => i.label)));
    const repository = nestedKeys.find((i) => i.label === 'repository')!;
    assert.equal(repository.documentation?.value, 'Where the podinfo image comes from.');
    assert.equal(repository.detail, 'default: "ghcr.io/stefanprodan/podinfo"');
    assert.ok(!nested.some((i) => i.label === 'replicaCount'), 'top-level keys are not offered inside image');

    const top = await client.request<Completion[]>('textDocument/completion', { textDocument: { uri }, position: { line: text.split('\n').length - 2, character: 4 } });
    const labels = top.map((i) => i.label);
    assert.ok(labels.includes('replicaCount') && labels.includes('service'), JSON.stringify(labels));
    assert.ok(!labels.includes('image'), 'a key already present is not offered again');
  });

  it('a value breaking values.schema.json gets a live-values-schema diagnostic on that value, which follows edits', async () => {
    const uri = fileUri(join(server.workspace, 'apps', 'broken.yaml'));
    const text = releaseWith('    replicaCount: 0\n    service:\n      port: 9898\n');
    client.openDocument(uri, text, 1);
    const published = await client.waitForNotification<PublishedDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'live-values-schema'));
    const schemaDiagnostics = published.diagnostics.filter((d) => d.code === 'live-values-schema');
    assert.equal(schemaDiagnostics.length, 1, JSON.stringify(schemaDiagnostics));
    assert.match(schemaDiagnostics[0]!.message, /replicaCount/);
    assert.match(schemaDiagnostics[0]!.message, /values\.schema\.json of chart podinfo/);
    assert.deepEqual(schemaDiagnostics[0]!.range.start, positionOf(text, '0\n'));

    // Version 2 fixes replicaCount and breaks service.port: the live run at version 2 must move the diagnostic
    // (the quick offline publish before it still carries the previous live diagnostics, by design).
    const next = text.replace('replicaCount: 0', 'replicaCount: 2').replace('port: 9898', 'port: 70000');
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: next }] });
    const rerun = await client.waitForNotification<PublishedDiagnostics>(
      'textDocument/publishDiagnostics',
      (p) => p.uri === uri && p.version === 2 && p.diagnostics.some((d) => d.code === 'live-values-schema' && d.message.includes('service.port')),
    );
    const moved = rerun.diagnostics.filter((d) => d.code === 'live-values-schema');
    assert.equal(moved.length, 1, JSON.stringify(moved));
    assert.match(moved[0]!.message, /service\.port/);
    assert.deepEqual(moved[0]!.range.start, positionOf(next, '70000'));
  });
});
