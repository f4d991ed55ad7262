// End-to-end: the packaged extension in a real VS Code (code-server 4.100.3) driven through headless Chromium,
// against a real registry seeded with charts. Every step runs; only a machine without code-server/Chromium skips (never in CI).
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startRegistry, type Registry } from '../support/registry';
import { pushHelmChart } from '../support/registry-push';
import { pushShopCharts, shopSource, SHOP_RELEASE } from '../support/upgrade-charts';
import { codeServerUnavailableReason, startCodeServer, type RunningCodeServer } from '../support/code-server';
import {
  CHROMIUM_PATH,
  activeEditorUri,
  activeTabTitle,
  applyQuickFix,
  chooseQuickPickRow,
  collapseSideBarPane,
  editorText,
  expandPaneTreeRow,
  fillInputBox,
  hoverText,
  hoverWidget,
  launchBrowser,
  openFile,
  openQuickFixes,
  openWorkbench,
  placeCursorAfter,
  runCommand,
  saveActiveEditor,
  statusBarItemTooltip,
  stepRecorder,
  suggestWidget,
  triggerCompletion,
  visibleOutputText,
  waitForPaneTreeRows,
  waitForProblems,
  waitForWebviewText,
  waitForStatusBarItem,
  type ProblemRow,
  type StepRunner,
  type TreeRow,
  type WorkbenchBrowser,
} from '../support/browser';
import { SEED_PLAN, seedRegistry, writeExampleWorkspace, type SeedResult } from '../../scripts/seed-registry';

const ROOT = resolve(__dirname, '..', '..');
const SCREENSHOTS = join(ROOT, 'test-output', 'e2e');
const PULL_COMMAND = 'Flux OCI: Pull and Inspect Artifact…';
const COMPARE_COMMAND = 'Flux OCI: Compare with Another Version…';
const SOURCES_VIEW = 'OCI Sources';
const SIGN_IN_COMMAND = 'Flux OCI: Sign in to Registry…';
const SIGN_OUT_COMMAND = 'Flux OCI: Sign out of Registry…';
const REFRESH_COMMAND = 'Flux OCI: Refresh';
const SHOW_OUTPUT_COMMAND = 'Flux OCI: Show Output';
/** client/src/status-bar.ts: `createStatusBarItem('fluxOci.registryActivity', …)`. */
const REGISTRY_STATUS_ITEM = 'fluxOci.registryActivity';
/** The client's output channel (client/src/extension.ts CLIENT_NAME); code-server also writes it to a log file. */
const OUTPUT_CHANNEL = 'Flux OCI Sources';

/** Tags of a seeded repository, newest first (the order completion, the tag pick and the tree use). */
function seededTagsNewestFirst(repository: string): string[] {
  const tags = SEED_PLAN.find((r) => r.repository === repository)?.tags ?? [];
  return tags.filter((t) => /^\d/.test(t)).sort((a, b) => compareVersions(b, a));
}

/** Semver order with prereleases below their release (enough for the seeded tags). */
function compareVersions(a: string, b: string): number {
  const [coreA = '', preA] = a.split('-', 2);
  const [coreB = '', preB] = b.split('-', 2);
  const partsA = coreA.split('.').map(Number);
  const partsB = coreB.split('.').map(Number);
  for (let i = 0; i < 3; i += 1) if ((partsA[i] ?? 0) !== (partsB[i] ?? 0)) return (partsA[i] ?? 0) - (partsB[i] ?? 0);
  if (preA === preB) return 0;
  if (preA === undefined) return 1;
  if (preB === undefined) return -1;
  return preA < preB ? -1 : 1;
}

function buildVsix(): string {
  const packaged = spawnSync('npm', ['run', 'package'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  const vsix = join(ROOT, 'dist', 'flux-oci-sources.vsix');
  if (packaged.status !== 0 || !existsSync(vsix)) throw new Error(`npm run package failed:\n${(packaged.stderr || packaged.stdout).slice(-2000)}`);
  return vsix;
}

/** Every file under `dir` whose name matches `name`, recursively (missing dir: none). */
function filesNamed(dir: string, name: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesNamed(path, name) : name.test(entry) ? [path] : [];
  });
}

function rowsText(rows: ProblemRow[]): string {
  return rows.map((r) => `  ${r.text} | ${r.label}`).join('\n');
}

describe('the extension in a real VS Code (code-server + Chromium)', { timeout: 20 * 60_000 }, () => {
  let unavailable: string | undefined;
  let scratch = '';
  let registry: Registry | undefined;
  /** The htpasswd-protected registry the Sign in test starts. */
  let privateRegistry: Registry | undefined;
  let seed: SeedResult | undefined;
  let codeServer: RunningCodeServer | undefined;
  let browser: WorkbenchBrowser | undefined;
  let workspace = '';
  let step: StepRunner;

  before(async () => {
    unavailable = codeServerUnavailableReason() ?? (existsSync(CHROMIUM_PATH) ? undefined : `${CHROMIUM_PATH} is not installed`);
    if (unavailable) return;
    scratch = mkdtempSync(join(tmpdir(), 'flux-oci-e2e-'));
    rmSync(SCREENSHOTS, { recursive: true, force: true });
    const vsix = buildVsix();
    registry = await startRegistry();
    seed = await seedRegistry(registry.url);
    workspace = join(scratch, 'workspace');
    writeExampleWorkspace(join(ROOT, 'examples'), workspace, registry.host);
    // The Preview Upgrade test's release and source (written before VS Code starts, like the examples): charts/shop 2.0.0
    // renames ui.color to theme.color and caps replicaCount by schema; the release sets both and runs 1.x.
    await pushShopCharts(registry.url, 'charts/shop');
    mkdirSync(join(workspace, 'apps', 'shop'), { recursive: true });
    writeFileSync(join(workspace, 'apps', 'shop', 'shop-source.yaml'), shopSource(registry.host, '>=1.0.0 <2.0.0'));
    writeFileSync(join(workspace, 'apps', 'shop', 'shop-release.yaml'), SHOP_RELEASE);
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
    await privateRegistry?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /** The browser, or a skip when this machine lacks code-server/Chromium; under CI a missing prerequisite fails. */
  function ready(t: TestContext): WorkbenchBrowser | undefined {
    if (unavailable) {
      if (process.env.CI) {
        assert.fail(`the e2e prerequisites are missing in CI: ${unavailable}; scripts/setup-machine.sh installs them`);
      }
      t.skip(`${unavailable}; CI is not set, so this is a skip, not a failure`);
      return undefined;
    }
    assert.ok(browser, 'the browser did not start');
    return browser;
  }

  function seededDigest(repository: string, tag: string): string {
    const digest = seed?.repositories.find((r) => r.repository === repository)?.digests[tag];
    assert.ok(digest, `the seed did not push ${repository}:${tag}`);
    return digest;
  }

  it('lists the offline mistakes in the Problems panel', async (t) => {
    const b = ready(t);
    if (!b) return;
    const expected: Array<{ what: string; severity: 'Error' | 'Warning'; code: string; message: RegExp }> = [
      { what: 'unknown apiVersion helm.toolkit.fluxcd.io/v1', severity: 'Error', code: 'api-version-unknown', message: /helm\.toolkit\.fluxcd\.io\/v2/ },
      { what: 'removed apiVersion v1beta2', severity: 'Warning', code: 'api-version-removed', message: /v1beta2.*source\.toolkit\.fluxcd\.io\/v1\b/ },
      { what: 'ref.branch on an OCIRepository', severity: 'Warning', code: 'oci-ref-git-field', message: /tag, semver or digest.*GitRepository/ },
      { what: 'chart.spec.sourceRef.kind OCIRepository', severity: 'Error', code: 'helmrelease-chart-source-oci', message: /chartRef/ },
    ];
    await step('problems panel lists offline mistakes', async () => {
      // Diagnostics come for open files and for the workspace scan; open the four files to be independent of the scan.
      for (const file of ['wrong-api-version.yaml', 'removed-api-version.yaml', 'branch-ref.yaml', 'redis-release.yaml']) {
        await openFile(b.page, file);
      }
      const matches = (row: ProblemRow, e: (typeof expected)[number]) => row.label.startsWith(`${e.severity}:`) && row.text.includes(e.code) && e.message.test(row.label);
      const rows = await waitForProblems(b.page, (all) => expected.every((e) => all.some((r) => matches(r, e))));
      for (const e of expected) {
        assert.ok(
          rows.some((r) => matches(r, e)),
          `no Problems row for the ${e.what} (${e.severity} ${e.code}, message ${e.message}); rows:\n${rowsText(rows)}`,
        );
      }
      // The other example files are valid: no further errors or warnings (information and hints may come from the registry).
      const unexpected = rows.filter((r) => /^(Error|Warning):/.test(r.label) && !expected.some((e) => matches(r, e)));
      assert.deepEqual(unexpected, [], `unexpected errors or warnings in the valid example files:\n${rowsText(unexpected)}`);
    });
  });

  it('hovering the semver line shows the tag and digest the registry resolves', async (t) => {
    const b = ready(t);
    if (!b) return;
    const digest = seededDigest('charts/podinfo', '6.7.1');
    const shortHex = digest.slice('sha256:'.length, 'sha256:'.length + 12);
    await step(
      'hover on semver shows resolved tag and digest',
      async () => {
        await openFile(b.page, 'podinfo-source.yaml');
        const hover = await hoverText(b.page, 'semver:', '>=6.5.0', (h) => h.includes('6.7.1') && h.includes(shortHex));
        assert.match(hover, /6\.7\.1/);
        assert.ok(hover.includes(shortHex), `the hover does not show the digest ${digest}: ${hover}`);
        assert.doesNotMatch(hover, /6\.8\.0-rc\.1.*chosen/i, 'a prerelease outside the range was chosen');
      },
      // The screenshot is taken while the hover is open; only then does the mouse leave.
      { screenshotWhile: hoverWidget(b.page), cleanup: () => b.page.mouse.move(5, 5) },
    );
  });

  it('completion in ref.tag offers the pushed tags, newest first', async (t) => {
    const b = ready(t);
    if (!b) return;
    const newestFirst = seededTagsNewestFirst('charts/redis');
    assert.deepEqual(newestFirst, ['18.1.5', '18.1.0', '18.0.0', '17.15.6']);
    await step(
      'completion in ref.tag offers pushed tags newest first',
      async () => {
        await openFile(b.page, 'redis-source.yaml');
        await placeCursorAfter(b.page, 'tag:', '18.1.0');
        for (let i = 0; i < '18.1.0'.length; i += 1) await b.page.keyboard.press('Backspace');
        const labels = await triggerCompletion(b.page, (l) => newestFirst.every((tag) => l.includes(tag)));
        const offeredTags = labels.filter((l) => newestFirst.includes(l));
        assert.deepEqual(offeredTags, newestFirst, `completion does not list the tags newest first; offered: ${labels.join(', ')}`);
      },
      {
        screenshotWhile: suggestWidget(b.page),
        cleanup: async () => {
          await b.page.keyboard.press('Escape');
          await runCommand(b.page, 'File: Revert File');
          await b.page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: 30_000 });
        },
      },
    );
  });

  it('the quick fix rewrites chart.spec.sourceRef.kind OCIRepository to chartRef', async (t) => {
    const b = ready(t);
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

  it('"Pull and Inspect Artifact…" opens the chart\'s values.yaml from the flux-oci: file system', async (t) => {
    const b = ready(t);
    if (!b) return;
    const { page } = b;
    const digest = seededDigest('charts/podinfo', '6.7.1');
    await step('pull and inspect opens values yaml', async () => {
      // With the cursor in the podinfo OCIRepository the command knows the source and asks only for the tag.
      await openFile(page, 'podinfo-source.yaml');
      await placeCursorAfter(page, 'url:', 'charts/podinfo');
      await runCommand(page, PULL_COMMAND);
      const offered = await chooseQuickPickRow(page, /Pull and Inspect/, '6.7.1');
      assert.deepEqual(
        offered.map((r) => r.split(',')[0]?.trim()).filter((l) => /^\d/.test(l ?? '')),
        seededTagsNewestFirst('charts/podinfo'),
        'the tag pick does not list the pushed tags newest first',
      );
      await page.locator('.tab.active', { hasText: 'values.yaml' }).waitFor({ timeout: 60_000 });
      const editor = page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
      await editor.locator('.view-line', { hasText: 'Default values for podinfo 6.7.1' }).waitFor({ timeout: 30_000 });
      const text = await editorText(editor);
      for (const line of ['# Default values for podinfo 6.7.1.', 'repository: ghcr.io/example/podinfo', 'tag: "6.7.1"', 'port: 9898']) {
        assert.ok(text.includes(line), `the values.yaml editor lacks ${JSON.stringify(line)}:\n${text}`);
      }
      const uri = decodeURIComponent(await activeEditorUri(page));
      assert.match(uri, /^flux-oci:/, `the values.yaml tab is not a flux-oci: resource: ${uri}`);
      assert.ok(uri.includes(digest) && uri.endsWith('/values.yaml'), `the values.yaml URI names neither the pulled digest ${digest} nor values.yaml: ${uri}`);
    });
    await step(
      'the summary page and the chart README render as Markdown previews',
      async () => {
        // Both open beside values.yaml; a preview renders only once its tab is shown.
        await page.locator('.tab', { hasText: 'SUMMARY.md' }).first().click();
        const summary = await waitForWebviewText(page, (text) => text.includes(digest), 'the summary page with the pulled digest');
        for (const part of ['charts/podinfo:6.7.1', 'Helm chart', 'Name: podinfo', 'Version: 6.7.1', 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', 'podinfo/values.yaml']) {
          assert.ok(summary.includes(part), `the summary page lacks ${JSON.stringify(part)}:\n${summary}`);
        }
        await page.locator('.tab', { hasText: 'README.md' }).first().click();
        await waitForWebviewText(page, (text) => text.includes('Version 6.7.1 of the demo chart.'), "the chart's README");
      },
      { cleanup: () => runCommand(page, 'View: Focus First Editor Group') },
    ); // later steps open files in the first group
  });

  it('the OCI Sources tree shows the repositories and their tags', async (t) => {
    const b = ready(t);
    if (!b) return;
    const { page } = b;
    const podinfoTags = seededTagsNewestFirst('charts/podinfo');
    await step('oci sources tree shows repositories and tags', async () => {
      await runCommand(page, `Explorer: Focus on ${SOURCES_VIEW} View`);
      // The file tree shares the side bar with the view: fold it so every source and tag row is rendered.
      await collapseSideBarPane(page, 'workspace');
      const sources = await waitForPaneTreeRows(
        page,
        SOURCES_VIEW,
        (rows) => ['apps/podinfo', 'apps/redis', 'flux-system/webapp'].every((name) => rows.some((r) => r.level === 1 && r.text.startsWith(name))),
        'the workspace OCIRepositories',
      );
      const podinfo = sources.find((r) => r.text.startsWith('apps/podinfo '));
      assert.match(podinfo?.text ?? '', /semver >=6\.5\.0 <7\.0\.0/, 'the podinfo row does not show its spec.ref');
      await expandPaneTreeRow(page, SOURCES_VIEW, /^apps\/podinfo semver/);
      // The child is the tag spec.ref selects; expanding it lists every tag of the repository.
      await expandPaneTreeRow(page, SOURCES_VIEW, /^6\.7\.1 selected by spec\.ref/);
      const isTagRow = (r: TreeRow) => r.level === 3 && /^tag /.test(r.label);
      const rows = await waitForPaneTreeRows(page, SOURCES_VIEW, (all) => all.filter(isTagRow).length >= podinfoTags.length, 'the podinfo tags');
      const start = rows.findIndex((r) => /^6\.7\.1 selected by spec\.ref/.test(r.text));
      const listed: string[] = [];
      for (const row of rows.slice(start + 1)) {
        if (!isTagRow(row)) break;
        listed.push(row.text);
      }
      const withoutLatest = listed.filter((l) => /^\d/.test(l));
      assert.deepEqual(withoutLatest, podinfoTags, `the podinfo tags under 6.7.1 are not the pushed tags newest first; rows: ${rows.map((r) => r.text).join(' | ')}`);
    });
  });

  it('"Compare with Another Version…" opens a diff editor on values.yaml of two versions', async (t) => {
    const b = ready(t);
    if (!b) return;
    const { page } = b;
    await step('compare opens a diff of values yaml', async () => {
      await openFile(page, 'podinfo-source.yaml');
      await placeCursorAfter(page, 'url:', 'charts/podinfo');
      await runCommand(page, COMPARE_COMMAND);
      await chooseQuickPickRow(page, /first version/, '6.7.1');
      const second = await chooseQuickPickRow(page, /with/, '6.7.0');
      assert.ok(!second.some((r) => /^6\.7\.1(,|$)/.test(r)), `the second pick offers the first version again: ${second.join(' | ')}`);
      const diff = page.locator('.editor-group-container.active .monaco-diff-editor').first();
      await diff.waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(await activeTabTitle(page), /values\.yaml \(6\.7\.1 ↔ 6\.7\.0\)/);
      const original = diff.locator('.editor.original .monaco-editor').first();
      const modified = diff.locator('.editor.modified .monaco-editor').first();
      await original.locator('.view-line', { hasText: 'podinfo 6.7.1' }).waitFor({ timeout: 30_000 });
      await modified.locator('.view-line', { hasText: 'podinfo 6.7.0' }).waitFor({ timeout: 30_000 });
      assert.match(await editorText(original), /tag: "6\.7\.1"/);
      assert.match(await editorText(modified), /tag: "6\.7\.0"/);
      // The changed lines are marked as such (the files differ only in the version).
      assert.ok((await diff.locator('.line-insert, .char-insert').count()) > 0, 'the diff editor marks no inserted line');
    });
  });

  it('image automation: a $imagepolicy marker shows the tag Flux will write next, from which policy', async (t) => {
    const b = ready(t);
    if (!b) return;
    const { page } = b;
    // examples/apps/podinfo/podinfo-deployment.yaml pins 6.7.0; flux-system/podinfo-image (semver 6.x) selects the newest
    // seeded image tag, so automation would write it.
    const next = seededTagsNewestFirst('images/podinfo')[0];
    assert.equal(next, '6.7.1');
    await step(
      'image automation marker shows what flux will write',
      async () => {
        // One wide editor, so the image line with its inlay hint is on screen.
        await runCommand(page, 'View: Close All Editor Groups');
        await openFile(page, 'podinfo-deployment.yaml');
        // The value the marker sets (the hint after it pushes the marker itself towards the edge).
        const hover = await hoverText(page, 'image:', 'podinfo:6.7.0', (h) => h.includes('Flux will write') && h.includes(next));
        assert.match(hover, /ImagePolicy\s*flux-system\/podinfo-image/, `the marker hover does not name the policy: ${hover}`);
        assert.match(hover, new RegExp(`Flux will write\\s*\\S*${next.replace(/\./g, '\\.')}`), `the marker hover does not say what Flux writes: ${hover}`);
        assert.match(hover, /now\s*\S*6\.7\.0/, `the marker hover does not show the current value: ${hover}`);
      },
      { screenshotWhile: hoverWidget(page), cleanup: () => page.mouse.move(5, 5) },
    );
  });

  it('"Preview Upgrade to X…" shows what the next chart version does to the release\'s values', async (t) => {
    const b = ready(t);
    if (!b) return;
    const { page } = b;
    await step(
      'hover on the range shows upgrading to the next major',
      async () => {
        await runCommand(page, 'View: Close All Editor Groups');
        await openFile(page, 'shop-source.yaml');
        const hover = await hoverText(page, 'semver:', '>=1.0.0', (h) => h.includes('Upgrading to') && h.includes('ui.color'), 120_000);
        assert.match(hover, /Upgrading to\s*\S*2\.0\.0/, `no upgrade section: ${hover}`);
        assert.match(hover, /1\.1\.0/, `the hover does not name the version selected now: ${hover}`);
      },
      { screenshotWhile: hoverWidget(page), cleanup: () => page.mouse.move(5, 5) },
    );
    await step(
      'preview upgrade opens the report beside the values diff',
      async () => {
        await openFile(page, 'shop-release.yaml');
        const lens = page.locator('.contentWidgets .codelens-decoration a, .codelens-decoration a', { hasText: 'Preview Upgrade to 2.0.0' }).first();
        await lens.waitFor({ state: 'visible', timeout: 120_000 });
        await lens.click();
        const report = await waitForWebviewText(page, (text) => text.includes('ui.color') && text.includes('theme.color'), 'the upgrade report naming the renamed key', 120_000);
        assert.match(report, /1\.1\.0/, 'the report does not name the version the release runs now');
        assert.match(report, /2\.0\.0/, 'the report does not name the target version');
        assert.match(report, /replicaCount/, 'the report does not name the value the new schema rejects');
        const diff = page.locator('.monaco-diff-editor').first();
        await diff.waitFor({ state: 'visible', timeout: 60_000 });
        const titles = await page.locator('.tab').allTextContents();
        assert.ok(
          titles.some((title) => /values\.yaml \(1\.1\.0 ↔ 2\.0\.0\)/.test(title)),
          `no values.yaml diff tab of 1.1.0 ↔ 2.0.0; tabs: ${titles.join(' | ')}`,
        );
      },
      { cleanup: () => runCommand(page, 'View: Focus First Editor Group') },
    );
  });

  it('"Sign in to Registry…" clears the auth diagnostic and status bar warning of an htpasswd registry; "Sign out…" brings them back', async (t) => {
    const b = ready(t);
    if (!b) return;
    const { page } = b;
    const user = 'e2e-reader';
    // Random per run, so finding it anywhere below can only mean it leaked from this sign-in.
    const password = `pw-${randomBytes(12).toString('hex')}`;
    const basicToken = Buffer.from(`${user}:${password}`).toString('base64');
    const leaks = (text: string) => text.includes(password) || text.includes(basicToken);
    privateRegistry = await startRegistry({ auth: { htpasswd: { user, pass: password } } });
    const host = privateRegistry.host;
    for (const version of ['1.2.0', '1.4.1', '2.0.0']) await pushHelmChart(privateRegistry, 'charts/private', { name: 'private', version });
    const where = `${host}/charts/private`;
    const fileName = 'private-source.yaml';
    const manifest = [
      '# An OCIRepository on a registry that needs a user name and password (the Sign in e2e test writes it).',
      'apiVersion: source.toolkit.fluxcd.io/v1',
      'kind: OCIRepository',
      'metadata:',
      '  name: private',
      '  namespace: apps',
      'spec:',
      '  interval: 10m',
      `  url: oci://${where}`,
      '  insecure: true',
      '  ref:',
      '    semver: ">=1.0.0 <2.0.0"',
      '',
    ].join('\n');
    // The LSP trace prints every notification's params, fluxOci/setCredentials included: switch it on, so the leak check
    // below also covers what the client's redacting output channel hides (only this, the last test, runs with it).
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'fluxOci.trace.server': 'verbose' }, null, 2));
    mkdirSync(join(workspace, 'apps', 'private'), { recursive: true });
    writeFileSync(join(workspace, 'apps', 'private', fileName), manifest);
    // core/live/live-diagnostics.ts registryProblemDiagnostic + core/oci/registry-session.ts denial() without credentials.
    const isAuthRow = (r: ProblemRow) =>
      r.text.includes('live-registry-unavailable') && r.label.includes(`Live registry data for ${where} is unavailable`) && /requires authentication and no credentials were found/.test(r.label);
    const seenTexts: string[] = [];

    await step('private registry without credentials shows the auth diagnostic and the status bar warning', async () => {
      await openFile(page, fileName);
      const rows = await waitForProblems(page, (all) => all.some(isAuthRow));
      seenTexts.push(...rows.map((r) => `${r.label}\n${r.text}`));
      const authRows = rows.filter(isAuthRow);
      assert.equal(authRows.length, 1, `expected one auth diagnostic for ${where}; rows:\n${rowsText(rows)}`);
      assert.match(authRows[0]!.label, /^Info/, `the auth diagnostic is not an information diagnostic: ${authRows[0]!.label}`);
      // The live check that produced the row above also tells the status bar that a registry could not be used.
      const warning = await waitForStatusBarItem(page, REGISTRY_STATUS_ITEM, (s) => s.visible && s.icons.includes('warning'), 'the warning');
      assert.equal(warning.text, 'Flux OCI');
      assert.match(warning.ariaLabel, /warning.*Flux OCI/i);
      const tooltip = await statusBarItemTooltip(page, REGISTRY_STATUS_ITEM);
      seenTexts.push(tooltip);
      assert.match(tooltip, /^The last registry call failed: /);
      assert.ok(tooltip.includes(where) && /requires authentication/.test(tooltip), `the status bar tooltip does not name the auth failure of ${where}: ${tooltip}`);
    });

    await step('sign in through three input boxes', async () => {
      await runCommand(page, SIGN_IN_COMMAND);
      await fillInputBox(page, /Sign in to Registry \(1\/3\)/, `oci://${where}`);
      await fillInputBox(page, new RegExp(`Sign in to ${host.replace(/\./g, '\\.')} \\(2/3\\)`), user);
      await fillInputBox(page, new RegExp(`Sign in to ${host.replace(/\./g, '\\.')} \\(3/3\\)`), password);
      await page
        .locator('.notifications-toasts .notification-toast', { hasText: `signed in to ${host} as ${user}` })
        .first()
        .waitFor({ state: 'visible', timeout: 30_000 });
    });

    await step(
      'after sign in the auth diagnostic and the warning are gone and the hover resolves the tag',
      async () => {
        const rows = await waitForProblems(page, (all) => !all.some(isAuthRow));
        seenTexts.push(...rows.map((r) => `${r.label}\n${r.text}`));
        assert.deepEqual(rows.filter(isAuthRow), [], `the auth diagnostic is still listed after signing in:\n${rowsText(rows)}`);
        assert.deepEqual(
          rows.filter((r) => r.label.includes(where)),
          [],
          `${where} still has diagnostics after signing in:\n${rowsText(rows)}`,
        );
        await openFile(page, fileName);
        const hover = await hoverText(page, 'semver:', '>=1.0.0', (h) => h.includes('1.4.1'));
        seenTexts.push(hover);
        assert.match(hover, /1\.4\.1/);
        assert.doesNotMatch(hover, /requires authentication/, `the hover still reports the auth failure: ${hover}`);
        const state = await waitForStatusBarItem(page, REGISTRY_STATUS_ITEM, (s) => !s.icons.includes('warning'), 'no warning');
        assert.ok(!state.icons.includes('warning'), `the status bar still warns after signing in: ${JSON.stringify(state)}`);
      },
      { cleanup: () => page.mouse.move(5, 5) },
    );

    await step('sign out and refresh bring the auth diagnostic back', async () => {
      await runCommand(page, SIGN_OUT_COMMAND);
      await chooseQuickPickRow(page, /Sign out of Registry/, host);
      await page
        .locator('.notifications-toasts .notification-toast', { hasText: `signed out of ${host}` })
        .first()
        .waitFor({ state: 'visible', timeout: 30_000 });
      await runCommand(page, REFRESH_COMMAND);
      const rows = await waitForProblems(page, (all) => all.some(isAuthRow));
      seenTexts.push(...rows.map((r) => `${r.label}\n${r.text}`));
      assert.equal(rows.filter(isAuthRow).length, 1, `the auth diagnostic did not come back after signing out:\n${rowsText(rows)}`);
    });

    await step('the password appears in no output, problem, hover or tooltip text', async () => {
      await runCommand(page, SHOW_OUTPUT_COMMAND);
      const shown = await visibleOutputText(page);
      assert.ok(shown.trim().length > 0, 'the Output panel shows nothing for the Flux OCI channel');
      assert.ok(!leaks(shown), 'the password is visible in the Flux OCI output channel');
      // The whole channel, not just the rendered lines: code-server writes each output channel to a log file.
      const logs = filesNamed(join(codeServer!.userDataDir, 'logs'), new RegExp(`${OUTPUT_CHANNEL}\\.log$`));
      assert.ok(logs.length > 0, `code-server wrote no "${OUTPUT_CHANNEL}" output log under ${codeServer!.userDataDir}/logs`);
      const channelText = logs.map((file) => readFileSync(file, 'utf8')).join('\n');
      assert.match(channelText, /Stored registry credentials updated for 1 host/, 'the output channel does not show the sign-in reaching the server');
      assert.match(channelText, /fluxOci\/setCredentials/, 'the LSP trace (fluxOci.trace.server: verbose) did not log the fluxOci/setCredentials notification');
      assert.ok(!leaks(channelText), `the password is in the "${OUTPUT_CHANNEL}" output channel log`);
      assert.ok(seenTexts.length > 0);
      assert.ok(!seenTexts.some(leaks), 'the password is in a Problems row, hover or status bar tooltip');
    });
  });
});
