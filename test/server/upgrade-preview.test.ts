// Upgrade safety through the real server over stdio against a real registry: the "Upgrading to X" hover section with its
// Preview link, the live-upgrade hint/warning on the release's values, the code lens and the report request it runs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileUri, type LspClient, type PublishedDiagnostics } from '../support/lsp-client';
import { pushShopCharts, SHOP_RELEASE, shopSource } from '../support/upgrade-charts';
import { positionOf } from '../core/live/live-fixtures';
import { startLiveServer, type LiveServer } from './live-server';
import type { UpgradeReportResult } from '../../shared/protocol';
import { overlayFleetFiles, pushOverlayFleetCharts } from '../support/overlay-fleet';

interface Hover {
  contents: { value: string };
}

interface Lens {
  range: { start: { line: number; character: number } };
  command: { title: string; command: string; arguments: Array<{ uri: string; position: { line: number; character: number }; to: string }> };
}

describe('upgrade safety over stdio', () => {
  let server: LiveServer;
  let client: LspClient;
  let sourceUri: string;
  let releaseUri: string;
  let sourceText: string;

  before(async () => {
    server = await startLiveServer('upgrade', async (r) => {
      await pushShopCharts(r, 'charts/shop');
      sourceText = shopSource(r.host, '>=1.0.0 <2.0.0');
      return { 'sources/shop.yaml': sourceText, 'apps/shop.yaml': SHOP_RELEASE };
    });
    client = server.client;
    sourceUri = server.uris['sources/shop.yaml']!;
    releaseUri = server.uris['apps/shop.yaml']!;
  });

  after(() => server?.stop());

  it('the ref hover says what upgrading to 2.0.0 breaks, breaking first, with a Preview Upgrade link', async () => {
    const position = positionOf(sourceText, '>=1.0.0', 2);
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: sourceUri }, position }, 60_000);
    const value = hover?.contents.value ?? '';
    assert.match(value, /Flux pulls tag `1\.1\.0`/);
    const section = value.split('**Upgrading to `2.0.0`**')[1] ?? '';
    assert.match(section, /^ from `1\.1\.0` for HelmRelease flux-system\/shop: 2 breaking/, value);
    assert.match(section.split('\n')[1]!, /⛔ ui\.color is no longer in 2\.0\.0's values\.yaml \(1\.1\.0 had it\).*renamed to theme\.color/);
    const args = encodeURIComponent(JSON.stringify([{ uri: sourceUri, position, to: '2.0.0' }]));
    assert.ok(value.includes(`[Preview Upgrade to 2.0.0…](command:fluxOci.previewUpgrade?${args})`), value);
  });

  it('publishes a hint on each release value the newer version would break, naming the key and both versions', async () => {
    const published = await client.waitForNotification<PublishedDiagnostics>(
      'textDocument/publishDiagnostics',
      (p) => p.uri === releaseUri && p.diagnostics.some((d) => d.code === 'live-upgrade-would-break'),
      60_000,
    );
    const hints = published.diagnostics.filter((d) => d.code === 'live-upgrade-would-break');
    assert.equal(hints.length, 2, JSON.stringify(hints));
    const color = hints.find((d) => d.message.includes('ui.color'))!;
    assert.equal(color.severity, 4, 'hint');
    assert.match(color.message, /from 1\.1\.0 to 2\.0\.0/);
    assert.deepEqual(color.range.start, positionOf(SHOP_RELEASE, 'color: red'));
  });

  it('turns the hint into a warning once the range itself resolves to the breaking version', async () => {
    const uri = fileUri(join(server.workspace, 'sources', 'shop.yaml'));
    client.openDocument(uri, sourceText.replace('>=1.0.0 <2.0.0', '>=1.0.0'), 1);
    const published = await client.waitForNotification<PublishedDiagnostics>(
      'textDocument/publishDiagnostics',
      (p) => p.uri === releaseUri && p.diagnostics.some((d) => d.code === 'live-upgrade-breaks'),
      60_000,
    );
    const warnings = published.diagnostics.filter((d) => d.code === 'live-upgrade-breaks');
    assert.equal(warnings.length, 2);
    assert.ok(warnings.every((d) => d.severity === 2));
    assert.match(warnings.find((d) => d.message.includes('replicaCount'))!.message, /2\.0\.0, which the range >=1\.0\.0 resolves to now \(after 1\.1\.0\).*rejects replicaCount: must be at most 5/);
    assert.ok(!published.diagnostics.some((d) => d.code === 'live-upgrade-would-break'));
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: sourceText }] });
    await client.waitForNotification<PublishedDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === releaseUri && p.diagnostics.some((d) => d.code === 'live-upgrade-would-break'), 60_000);
  });

  it('offers a "Preview Upgrade to 2.0.0…" code lens whose command gets the report from the server', async () => {
    const lenses = await client.request<Lens[]>('textDocument/codeLens', { textDocument: { uri: releaseUri } }, 60_000);
    assert.equal(lenses.length, 1, JSON.stringify(lenses));
    const lens = lenses[0]!;
    assert.equal(lens.command.title, 'Preview Upgrade to 2.0.0…');
    assert.equal(lens.command.command, 'fluxOci.previewUpgrade');
    assert.deepEqual(lens.range.start, positionOf(SHOP_RELEASE, 'shop\n  values'));
    const report = await client.request<UpgradeReportResult>('fluxOci/upgradeReport', lens.command.arguments[0], 60_000);
    assert.equal(report.from, '1.1.0');
    assert.equal(report.to, '2.0.0');
    assert.equal(report.breaking, 2);
    assert.equal(report.toReference, `oci://${server.registry.host}/charts/shop:2.0.0`);
    assert.match(report.markdown, /^# Upgrade `shop`: `1\.1\.0`/);
    assert.match(report.markdown, /ui\.color[^\n]*renamed to theme\.color/);
    assert.match(report.markdown, /kubeVersion constraint: >=1\.25\.0-0 → >=1\.28\.0-0/);
    assert.match(report.markdown, /CRD file crds\/gadgets\.yaml is new in 2\.0\.0/);
    assert.match(report.markdown, /Dependency redis: 17\.0\.0 → 18\.1\.0/);
    assert.match(report.markdown, /Image ghcr\.io\/acme\/shop: 1\.0\.0 → 2\.0\.0/);
    const sourceLenses = await client.request<Lens[]>('textDocument/codeLens', { textDocument: { uri: sourceUri } }, 60_000);
    assert.deepEqual(
      sourceLenses.map((l) => l.command.title),
      ['Preview Upgrade to 2.0.0…'],
    );
  });

  it('answers a report request for a place without a chart, or a bad version, with a clear error', async () => {
    await assert.rejects(client.request('fluxOci/upgradeReport', { uri: releaseUri, position: { line: 0, character: 0 }, to: '' }), /"to" must be a version tag/);
    await assert.rejects(client.request('fluxOci/upgradeReport', { uri: releaseUri, position: positionOf(SHOP_RELEASE, 'shop\n  values'), to: '9.9.9' }, 60_000), /charts\/shop:9\.9\.9/);
    await assert.rejects(client.request('fluxOci/upgradeReport', { uri: releaseUri }), /position/);
  });
});

describe('upgrade preview of a release its cluster overlays apply differently, over stdio', () => {
  let server: LiveServer;

  before(async () => {
    server = await startLiveServer('upgrade-fleet', async (r) => {
      await pushOverlayFleetCharts(r);
      return overlayFleetFiles(r.host); // production reads charts/demo-prod (2.0.0 outside 1.x), staging charts/demo (none)
    });
  });

  after(() => server?.stop());

  it('names the lens after the Kustomization whose variant upgrades, and its argument gets that variant’s report', async () => {
    const releaseUri = server.uris['apps/base/release.yaml']!;
    const lenses = await server.client.request<Lens[]>('textDocument/codeLens', { textDocument: { uri: releaseUri } }, 60_000);
    assert.deepEqual(
      lenses.map((l) => l.command.title),
      ['Preview Upgrade to 2.0.0… (flux-system/apps-production)'],
    );
    const argument = lenses[0]!.command.arguments[0]!;
    assert.equal((argument as { kustomization?: string }).kustomization, 'flux-system/apps-production');
    const report = await server.client.request<UpgradeReportResult>('fluxOci/upgradeReport', argument, 60_000);
    assert.equal(report.from, '1.2.0');
    assert.equal(report.toReference, `oci://${server.registry.host}/charts/demo-prod:2.0.0`);
    await assert.rejects(server.client.request('fluxOci/upgradeReport', { ...argument, kustomization: 7 }), /"kustomization" must be namespace\/name/);
  });
});
