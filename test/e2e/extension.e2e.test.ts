// End-to-end: the packaged extension in a real VS Code (code-server 4.100.3) driven through headless Chromium,
// against a real registry seeded with charts. Steps whose feature is not in this build are skipped, saying why; none is faked.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startRegistry, type Registry } from '../support/registry';
import { codeServerUnavailableReason, startCodeServer, type RunningCodeServer } from '../support/code-server';
import {
  CHROMIUM_PATH,
  activeTabTitle,
  applyQuickFix,
  expandSideBarRows,
  hoverText,
  launchBrowser,
  openFile,
  openQuickFixes,
  openWorkbench,
  placeCursorAfter,
  quickPickRows,
  runCommand,
  saveActiveEditor,
  sideBarTreeRows,
  stepRecorder,
  triggerCompletion,
  waitForProblems,
  type ProblemRow,
  type WorkbenchBrowser,
} from '../support/browser';
import { seedRegistry, writeExampleWorkspace, type SeedResult } from '../../scripts/seed-registry';
import { detectBuildFeatures, type BuildFeatures } from './build-features';

const ROOT = resolve(__dirname, '..', '..');
const SCREENSHOTS = join(ROOT, 'test-output', 'e2e');

function buildVsix(scratch: string): string {
  const packaged = spawnSync('npm', ['run', 'package'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  const vsix = join(ROOT, 'dist', 'flux-oci-sources.vsix');
  if (packaged.status === 0 && existsSync(vsix)) return vsix;
  // Packaging may still be in progress in the tree: build and package without it, into our own scratch dir.
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  if (build.status !== 0) throw new Error(`node scripts/build.mjs failed:\n${build.stderr.slice(-2000)}`);
  const own = join(scratch, 'flux-oci-sources.vsix');
  const vsce = spawnSync('npx', ['vsce', 'package', '--no-dependencies', '--out', own], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  if (vsce.status !== 0) throw new Error(`vsce package failed:\n${(vsce.stderr || vsce.stdout).slice(-2000)}`);
  return own;
}

function rowsText(rows: ProblemRow[]): string {
  return rows.map((r) => `  ${r.text} | ${r.label}`).join('\n');
}

describe('the extension in a real VS Code (code-server + Chromium)', { timeout: 20 * 60_000 }, () => {
  let unavailable: string | undefined;
  let scratch = '';
  let registry: Registry | undefined;
  let seed: SeedResult | undefined;
  let codeServer: RunningCodeServer | undefined;
  let browser: WorkbenchBrowser | undefined;
  let workspace = '';
  let features: BuildFeatures;
  let step: <T>(name: string, action: () => Promise<T>) => Promise<T>;

  before(async () => {
    unavailable = codeServerUnavailableReason() ?? (existsSync(CHROMIUM_PATH) ? undefined : `${CHROMIUM_PATH} is not installed`);
    if (unavailable) return;
    scratch = mkdtempSync(join(tmpdir(), 'flux-oci-e2e-'));
    rmSync(SCREENSHOTS, { recursive: true, force: true });
    const vsix = buildVsix(scratch);
    features = detectBuildFeatures(ROOT);
    registry = await startRegistry();
    seed = await seedRegistry(registry.url);
    workspace = join(scratch, 'workspace');
    writeExampleWorkspace(join(ROOT, 'examples'), workspace, registry.host);
    codeServer = await startCodeServer({ vsixPath: vsix, workspaceDir: workspace });
    browser = await launchBrowser();
    step = stepRecorder(browser.page, SCREENSHOTS);
    const { page } = browser;
    const url = codeServer.url;
    await step('workbench opens with the example workspace', () => openWorkbench(page, url));
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await codeServer?.stop();
    await registry?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  function ready(t: TestContext, missing?: string): WorkbenchBrowser | undefined {
    if (unavailable) {
      t.skip(unavailable);
      return undefined;
    }
    if (missing) {
      t.skip(missing);
      return undefined;
    }
    assert.ok(browser, 'the browser did not start');
    return browser;
  }

  it('lists the offline mistakes in the Problems panel', async (t) => {
    const b = ready(t, features?.diagnostics ? undefined : 'the language server in this build publishes no diagnostics yet');
    if (!b) return;
    const expected: Array<{ what: string; severity: 'Error' | 'Warning'; code: string; message: RegExp }> = [
      { what: 'unknown apiVersion helm.toolkit.fluxcd.io/v1', severity: 'Error', code: 'api-version-unknown', message: /helm\.toolkit\.fluxcd\.io\/v2/ },
      { what: 'removed apiVersion v1beta2', severity: 'Warning', code: 'api-version-removed', message: /v1beta2.*source\.toolkit\.fluxcd\.io\/v1\b/ },
      { what: 'ref.branch on an OCIRepository', severity: 'Error', code: 'oci-ref-git-field', message: /tag, semver or digest.*GitRepository/ },
      { what: 'chart.spec.sourceRef.kind OCIRepository', severity: 'Error', code: 'helmrelease-chart-source-oci', message: /chartRef/ },
    ];
    await step('problems panel lists offline mistakes', async () => {
      // Diagnostics come for open files and for the workspace scan; open the four files to be independent of the scan.
      for (const file of ['wrong-api-version.yaml', 'removed-api-version.yaml', 'branch-ref.yaml', 'redis-release.yaml']) {
        await openFile(b.page, file);
      }
      const matches = (row: ProblemRow, e: (typeof expected)[number]) =>
        row.label.startsWith(`${e.severity}:`) && row.text.includes(e.code) && e.message.test(row.label);
      const rows = await waitForProblems(b.page, (all) => expected.every((e) => all.some((r) => matches(r, e))));
      for (const e of expected) {
        assert.ok(rows.some((r) => matches(r, e)), `no Problems row for the ${e.what} (${e.severity} ${e.code}, message ${e.message}); rows:\n${rowsText(rows)}`);
      }
      // The other example files are valid: no further errors or warnings (information and hints may come from the registry).
      const unexpected = rows.filter((r) => /^(Error|Warning):/.test(r.label) && !expected.some((e) => matches(r, e)));
      assert.deepEqual(unexpected, [], `unexpected errors or warnings in the valid example files:\n${rowsText(unexpected)}`);
    });
  });

  it('hovering the semver line shows the tag and digest the registry resolves', async (t) => {
    const b = ready(t, features?.registryHover ? undefined : 'hover with registry data is not in this build');
    if (!b) return;
    const digest = seed?.repositories.find((r) => r.repository === 'charts/podinfo')?.digests['6.7.1'];
    assert.ok(digest, 'the seed did not push charts/podinfo:6.7.1');
    const shortHex = digest.slice('sha256:'.length, 'sha256:'.length + 12);
    await step('hover on semver shows resolved tag and digest', async () => {
      await openFile(b.page, 'podinfo-source.yaml');
      const hover = await hoverText(b.page, 'semver:', '>=6.5.0', (h) => h.includes('6.7.1') && h.includes(shortHex));
      assert.match(hover, /6\.7\.1/);
      assert.ok(hover.includes(shortHex), `the hover does not show the digest ${digest}: ${hover}`);
      assert.doesNotMatch(hover, /6\.8\.0-rc\.1.*chosen/i, 'a prerelease outside the range was chosen');
      await b.page.mouse.move(5, 5);
    });
  });

  it('completion in ref.tag offers the pushed tags', async (t) => {
    const b = ready(t, features?.registryCompletion ? undefined : 'tag completion from the registry is not in this build');
    if (!b) return;
    await step('completion in ref.tag offers pushed tags', async () => {
      await openFile(b.page, 'redis-source.yaml');
      await placeCursorAfter(b.page, 'tag:', '18.1.0');
      for (let i = 0; i < '18.1.0'.length; i += 1) await b.page.keyboard.press('Backspace');
      const labels = await triggerCompletion(b.page, (l) => l.includes('18.1.5') && l.includes('17.15.6'));
      for (const tag of ['17.15.6', '18.0.0', '18.1.0', '18.1.5']) assert.ok(labels.includes(tag), `completion lacks ${tag}: ${labels.join(', ')}`);
      await b.page.keyboard.press('Escape');
      await runCommand(b.page, 'File: Revert File');
    });
  });

  it('the quick fix rewrites chart.spec.sourceRef.kind OCIRepository to chartRef', async (t) => {
    const b = ready(t, features?.codeActions ? undefined : 'the language server in this build offers no code actions yet');
    if (!b) return;
    await step('quick fix rewrites sourceRef to chartRef', async () => {
      await openFile(b.page, 'redis-release.yaml');
      await placeCursorAfter(b.page, 'kind:', 'OCIRepository');
      const titles = await openQuickFixes(b.page);
      const title = titles.find((x) => /chartRef/.test(x));
      assert.ok(title, `no quick fix mentions chartRef; offered: ${titles.join(' | ')}`);
      await applyQuickFix(b.page, title);
      await saveActiveEditor(b.page);
      const saved = readFileSync(join(workspace, 'apps', 'redis', 'redis-release.yaml'), 'utf8');
      const spec = (parseYaml(saved) as { spec: Record<string, unknown> }).spec;
      assert.equal(spec.chart, undefined, `spec.chart is still there:\n${saved}`);
      assert.deepEqual(
        { kind: (spec.chartRef as Record<string, unknown>)?.kind, name: (spec.chartRef as Record<string, unknown>)?.name },
        { kind: 'OCIRepository', name: 'redis' },
        `the fixed file:\n${saved}`,
      );
      assert.ok(spec.values, 'the fix lost spec.values');
    });
  });

  it('"Pull and Inspect Artifact…" opens the chart\'s values.yaml', async (t) => {
    const b = ready(t, features?.pullCommand ? undefined : 'the pull-and-inspect command is not in this build');
    if (!b || !features.pullCommand || !registry) return;
    const { page } = b;
    const reference = `oci://${registry.host}/charts/podinfo:6.7.1`;
    await step('pull and inspect opens values.yaml', async () => {
      await openFile(page, 'podinfo-source.yaml');
      await runCommand(page, features.pullCommand?.title ?? 'Pull and Inspect');
      // Answer up to three prompts: pick the podinfo source/tag when offered, else type the reference.
      for (let prompt = 0; prompt < 3; prompt += 1) {
        const widget = page.locator('.quick-input-widget');
        if (!(await widget.isVisible().catch(() => false))) {
          await page.waitForTimeout(1000);
          if (!(await widget.isVisible().catch(() => false))) break;
        }
        const rows = await quickPickRows(page);
        const pick = rows.findIndex((r) => /6\.7\.1/.test(r)) >= 0 ? rows.findIndex((r) => /6\.7\.1/.test(r)) : rows.findIndex((r) => /podinfo/.test(r));
        if (pick >= 0) await widget.locator('.monaco-list-row').nth(pick).click();
        else {
          await widget.locator('input.input').fill(reference);
          await page.keyboard.press('Enter');
        }
        await page.waitForTimeout(1000);
      }
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && !/values\.yaml/.test(await activeTabTitle(page))) {
        const row = page.locator('.part.sidebar .monaco-list-row', { hasText: 'values.yaml' }).first();
        if (await row.isVisible().catch(() => false)) await row.click();
        else await expandSideBarRows(page, /podinfo|6\.7\.1|templates/i, 3);
        await page.waitForTimeout(1000);
      }
      assert.match(await activeTabTitle(page), /values\.yaml/, 'values.yaml never opened');
      const text = (await page.locator('.editor-instance .monaco-editor .view-lines').first().textContent()) ?? '';
      assert.match(text.replace(/\u00a0/g, ' '), /Default values for podinfo 6\.7\.1/);
    });
  });

  it('the OCI Sources tree shows the repositories and their tags', async (t) => {
    const b = ready(t, features?.sourcesView ? undefined : 'the OCI Sources view is not in this build');
    if (!b || !features.sourcesView) return;
    const { page } = b;
    const view = features.sourcesView;
    await step('oci sources tree shows repositories and tags', async () => {
      await runCommand(page, `Focus on ${view.name} View`);
      const deadline = Date.now() + 60_000;
      let rows = await sideBarTreeRows(page, view.name);
      while (Date.now() < deadline && !(rows.some((r) => /podinfo/.test(r.label)) && rows.some((r) => /6\.7\.1/.test(r.label)))) {
        await expandSideBarRows(page, /podinfo|charts/i, 5);
        await page.waitForTimeout(1000);
        rows = await sideBarTreeRows(page, view.name);
      }
      const labels = rows.map((r) => r.label);
      for (const expected of [/podinfo/, /redis/, /webapp/, /6\.7\.1/]) {
        assert.ok(labels.some((l) => expected.test(l)), `the ${view.name} tree lacks ${expected}; rows: ${labels.join(' | ')}`);
      }
    });
  });
});
