// Drives the VS Code workbench (code-server) in headless Debian Chromium through playwright-core: palette, Quick Open,
// Problems panel, hover, completion, quick fix, views; a screenshot per step. It never downloads a browser.
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const WAIT_MS = 60_000;

export interface WorkbenchBrowser {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<WorkbenchBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true, timeout: WAIT_MS });
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    // Lets the workbench read the clipboard when a command copies (e.g. Copy Path); harmless otherwise.
    await context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => undefined);
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    return { browser, page, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

export interface StepOptions {
  /** Take the screenshot only once this is visible (e.g. a hover or suggest widget), and check it still is afterwards. */
  screenshotWhile?: Locator;
  /** Runs after the screenshot, also when the step failed (e.g. close a widget, revert a file). */
  cleanup?: () => Promise<void>;
}

export type StepRunner = <T>(name: string, action: () => Promise<T>, options?: StepOptions) => Promise<T>;

/** Wraps each e2e step: the error names the step, and a screenshot is taken after it (also when it fails). */
export function stepRecorder(page: Page, screenshotDir: string): StepRunner {
  mkdirSync(screenshotDir, { recursive: true });
  let counter = 0;
  return async function step<T>(name: string, action: () => Promise<T>, options: StepOptions = {}): Promise<T> {
    counter += 1;
    const file = join(screenshotDir, `${String(counter).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
    try {
      const result = await action();
      if (options.screenshotWhile) await options.screenshotWhile.waitFor({ state: 'visible', timeout: 10_000 });
      await page.screenshot({ path: file, animations: 'disabled' });
      if (options.screenshotWhile && !(await options.screenshotWhile.isVisible())) {
        throw new Error('the widget this step shows closed before its screenshot was taken');
      }
      return result;
    } catch (error) {
      await page.screenshot({ path: file.replace(/\.png$/, '-FAILED.png'), animations: 'disabled' }).catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`e2e step "${name}" failed: ${reason}`, { cause: error });
    } finally {
      if (options.cleanup) await options.cleanup().catch(() => undefined);
    }
  };
}

export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: WAIT_MS });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: WAIT_MS });
  // The explorer lists the folder's entries once it is open; then give keyboard focus to the workbench
  // (a click on the empty editor area: the status bar's corners open remote/notification pickers).
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: WAIT_MS });
  await page.locator('.part.editor').click({ position: { x: 200, y: 200 } });
  await page.keyboard.press('Escape');
}

async function quickInput(page: Page) {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible', timeout: WAIT_MS });
  return widget;
}

/** Labels of the rows a visible quick pick offers. */
export async function quickPickRows(page: Page): Promise<string[]> {
  const widget = await quickInput(page);
  return widget.locator('.monaco-list-row').evaluateAll((rows) => rows.map((row) => (row.getAttribute('aria-label') ?? row.textContent ?? '').trim()));
}

/** Runs a command through the palette (F1), choosing the row whose label contains `label`. */
export async function runCommand(page: Page, label: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const widget = await quickInput(page);
  const input = widget.locator('input.input');
  await input.fill(`>${label}`);
  const row = widget.locator('.monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: WAIT_MS });
  await row.click();
}

/** Opens a workspace file by name through Quick Open and waits for its editor tab to be active. */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const widget = await quickInput(page);
  await widget.locator('input.input').fill(relativePath);
  const baseName = relativePath.split('/').pop() ?? relativePath;
  const row = widget.locator('.monaco-list-row', { hasText: baseName }).first();
  await row.waitFor({ state: 'visible', timeout: WAIT_MS });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: baseName }).waitFor({ timeout: WAIT_MS });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: WAIT_MS });
}

export interface ProblemRow {
  /** The row's accessible label: severity, message, position and source as VS Code reads them out. */
  label: string;
  text: string;
}

/** Opens the Problems panel and returns its marker rows (file rows left out). */
export async function readProblems(page: Page): Promise<ProblemRow[]> {
  await runCommand(page, 'View: Focus Problems');
  const panel = page.locator('.markers-panel');
  await panel.waitFor({ state: 'visible', timeout: WAIT_MS });
  return panel
    .locator('.monaco-list-row')
    .evaluateAll((rows) =>
      rows
        .filter((row) => row.querySelector('.marker-message-details, .marker-message-line, .marker-icon') !== null)
        .map((row) => ({ label: (row.getAttribute('aria-label') ?? '').trim(), text: (row.textContent ?? '').trim() })),
    );
}

/** Polls the Problems panel until `accept` is satisfied or the time runs out; returns the last rows read. */
export async function waitForProblems(page: Page, accept: (rows: ProblemRow[]) => boolean, timeoutMs = WAIT_MS): Promise<ProblemRow[]> {
  const deadline = Date.now() + timeoutMs;
  let rows = await readProblems(page);
  while (!accept(rows) && Date.now() < deadline) {
    await page.waitForTimeout(1000);
    rows = await readProblems(page);
  }
  return rows;
}

interface TextBox {
  x: number;
  y: number;
  width: number;
  height: number;
  /** The line's number in the gutter (1-based), when the gutter shows it. */
  lineNumber: number | undefined;
  /** 1-based column just after `text`. */
  columnAfter: number;
}

/** Screen box of the first occurrence of `text` on the editor line containing `lineText` (active editor). */
async function textBox(page: Page, lineText: string, text: string): Promise<TextBox> {
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.waitFor({ timeout: WAIT_MS });
  const box = await editor.evaluate(
    (root: unknown, args: { lineText: string; text: string }) => {
      // The project type-checks without the DOM lib: describe the few DOM members used here.
      interface MiniNode {
        textContent: string | null;
      }
      interface MiniElement extends MiniNode {
        querySelectorAll(selector: string): ArrayLike<MiniElement>;
        getBoundingClientRect(): { top: number };
      }
      interface MiniRange {
        setStart(node: MiniNode, offset: number): void;
        setEnd(node: MiniNode, offset: number): void;
        getBoundingClientRect(): { x: number; y: number; width: number; height: number };
      }
      interface MiniDocument {
        createTreeWalker(root: MiniElement, whatToShow: number): { nextNode(): MiniNode | null };
        createRange(): MiniRange;
      }
      const dom = globalThis as unknown as { document: MiniDocument };
      const SHOW_TEXT = 4;
      // No named helper functions in here: tsx's keepNames would wrap them in a `__name` the page lacks.
      const lines = Array.from((root as MiniElement).querySelectorAll('.view-line'));
      const line = lines.find((l) => {
        const t = (l.textContent ?? '').replace(/\u00a0/g, ' ');
        return t.includes(args.lineText) && t.indexOf(args.text, t.indexOf(args.lineText)) >= 0;
      });
      if (!line) return undefined;
      const full = (line.textContent ?? '').replace(/\u00a0/g, ' ');
      const start = full.indexOf(args.text, full.indexOf(args.lineText));
      if (start < 0) return undefined;
      const end = start + args.text.length;
      // The gutter's number at the same height names the line (code lenses above it do not change that).
      const lineTop = line.getBoundingClientRect().top;
      const number = Array.from((root as MiniElement).querySelectorAll('.margin-view-overlays .line-numbers')).find((n) => Math.abs(n.getBoundingClientRect().top - lineTop) < 3);
      const lineNumber = number ? Number.parseInt((number.textContent ?? '').trim(), 10) : Number.NaN;
      const walker = dom.document.createTreeWalker(line, SHOW_TEXT);
      const range = dom.document.createRange();
      let offset = 0;
      let startSet = false;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const length = node.textContent?.length ?? 0;
        if (!startSet && start < offset + length) {
          range.setStart(node, start - offset);
          startSet = true;
        }
        if (startSet && end <= offset + length) {
          range.setEnd(node, end - offset);
          const rect = range.getBoundingClientRect();
          return { x: rect.x, y: rect.y, width: rect.width, height: rect.height, lineNumber: Number.isFinite(lineNumber) ? lineNumber : undefined, columnAfter: end + 1 };
        }
        offset += length;
      }
      return undefined;
    },
    { lineText, text },
  );
  if (!box) throw new Error(`no editor line containing "${lineText}" with "${text}" is visible`);
  return box;
}

/** The cursor position the status bar shows, e.g. "Ln 14, Col 28" (empty when no text editor is focused). */
export async function cursorPosition(page: Page): Promise<string> {
  const item = page.locator('.part.statusbar .statusbar-item', { hasText: /Ln \d+, Col \d+/ }).first();
  if ((await item.count()) === 0) return '';
  return (/Ln \d+, Col \d+/.exec((await item.textContent()) ?? '') ?? [''])[0];
}

/**
 * Moves the cursor to just after `text` on the line containing `lineText`, by "Go to Line/Column" rather than a click:
 * code lenses and hints arrive asynchronously and move the lines, so a click computed a moment earlier can land on the
 * line above or on a lens. The status bar confirms the position.
 */
export async function placeCursorAfter(page: Page, lineText: string, text: string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let wanted = '';
  let shown = '';
  while (Date.now() < deadline) {
    const box = await textBox(page, lineText, text);
    if (box.lineNumber === undefined) throw new Error(`the gutter shows no line number for the line containing "${lineText}"`);
    wanted = `Ln ${box.lineNumber}, Col ${box.columnAfter}`;
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const widget = await quickInput(page);
    await widget.locator('input.input').fill(`:${box.lineNumber}:${box.columnAfter}`);
    await widget
      .locator('.monaco-list-row', { hasText: String(box.lineNumber) })
      .first()
      .waitFor({ state: 'visible', timeout: 5000 })
      .catch(() => undefined);
    await page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
    shown = await cursorPosition(page);
    if (shown === wanted) return;
    await page.waitForTimeout(500);
  }
  throw new Error(`the cursor did not reach ${wanted} after "${text}" on the line with "${lineText}"; the status bar shows ${JSON.stringify(shown)}`);
}

/** The editor's visible hover popup. */
export function hoverWidget(page: Page): Locator {
  return page.locator('.monaco-hover:not(.hidden) .monaco-hover-content, .monaco-hover:not(.hidden) .hover-contents').first();
}

/** The editor's open suggest (completion) widget. */
export function suggestWidget(page: Page): Locator {
  return page.locator('.editor-widget.suggest-widget.visible');
}

/** Hovers the mouse over `text` on the line containing `lineText`; returns the hover's text once `accept` holds. */
export async function hoverText(page: Page, lineText: string, text: string, accept: (hover: string) => boolean = (hover) => hover.length > 0, timeoutMs = WAIT_MS): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const box = await textBox(page, lineText, text);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const hover = hoverWidget(page);
    try {
      await hover.waitFor({ state: 'visible', timeout: 5000 });
      last = ((await hover.textContent()) ?? '').trim();
      if (accept(last)) return last;
    } catch {
      // no hover yet
    }
    await page.mouse.move(5, 5);
    await page.waitForTimeout(1000);
  }
  throw new Error(`the hover over "${text}" never showed what was expected; last hover: ${JSON.stringify(last.slice(0, 500))}`);
}

/** Ctrl+Space at the cursor; returns the suggestion labels in list order (top first) once `accept` holds. */
export async function triggerCompletion(page: Page, accept: (labels: string[]) => boolean = (labels) => labels.length > 0, timeoutMs = WAIT_MS): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let labels: string[] = [];
  while (Date.now() < deadline) {
    await page.keyboard.press('Control+Space');
    const widget = suggestWidget(page);
    try {
      await widget.waitFor({ state: 'visible', timeout: 5000 });
      // While the providers answer, the widget shows "Loading…"; the rows appear when it is done.
      await widget.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: 5000 });
      // The list is virtual: rows are positioned, not ordered, in the DOM; data-index is the list order.
      labels = await widget.locator('.monaco-list-row').evaluateAll((rows) =>
        rows
          .map((r) => ({ index: Number(r.getAttribute('data-index') ?? '0'), label: (r.querySelector('.label-name')?.textContent ?? r.getAttribute('aria-label') ?? '').trim() }))
          .sort((a, b) => a.index - b.index)
          .map((r) => r.label),
      );
      if (accept(labels)) return labels;
    } catch {
      // no suggestions yet
    }
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1000);
  }
  throw new Error(`completion never offered what was expected at ${(await cursorPosition(page)) || 'an unknown cursor'}; last offered: ${JSON.stringify(labels.slice(0, 30))}`);
}

/** Ctrl+. at the cursor; returns the offered code action titles. */
export async function openQuickFixes(page: Page, timeoutMs = WAIT_MS): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await page.keyboard.press('Control+.');
    const widget = page.locator('.action-widget');
    try {
      await widget.waitFor({ state: 'visible', timeout: 5000 });
      const titles = await widget.locator('.monaco-list-row.action').evaluateAll((rows) => rows.map((r) => (r.querySelector('.title')?.textContent ?? r.textContent ?? '').trim()));
      if (titles.length > 0 && !titles.every((t) => /no code actions/i.test(t))) return titles;
    } catch {
      // no lightbulb yet
    }
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1000);
  }
  throw new Error(`no quick fix was offered at the cursor (${(await cursorPosition(page)) || 'no cursor in the status bar'})`);
}

/** Applies the open quick-fix menu's entry whose title contains `title` (by keyboard: a pointer block covers the menu). */
export async function applyQuickFix(page: Page, title: string): Promise<void> {
  const rows = page.locator('.action-widget .monaco-list-row.action');
  await rows.first().waitFor({ state: 'visible', timeout: WAIT_MS });
  const titles = await rows.evaluateAll((all) => all.map((r) => (r.getAttribute('aria-label') ?? r.textContent ?? '').trim()));
  const target = titles.findIndex((t) => t.includes(title));
  if (target < 0) throw new Error(`the quick-fix menu has no "${title}"; it offers: ${titles.join(' | ')}`);
  for (let i = 0; i < titles.length; i += 1) {
    const focused = await rows.evaluateAll((all) => all.findIndex((r) => r.classList.contains('focused')));
    if (focused === target) break;
    await page.keyboard.press(focused < target ? 'ArrowDown' : 'ArrowUp');
  }
  await page.keyboard.press('Enter');
  await page.locator('.action-widget').waitFor({ state: 'hidden', timeout: WAIT_MS });
}

/** Saves the active editor (Ctrl+S) and waits until its tab is no longer dirty. */
/**
 * Saves the active editor once it holds unsaved changes: an edit from a quick fix is applied asynchronously,
 * so saving before the tab turns dirty would write the old text.
 */
export async function saveActiveEditor(page: Page): Promise<void> {
  await page.locator('.tab.active.dirty').waitFor({ state: 'attached', timeout: WAIT_MS });
  await page.keyboard.press('Control+S');
  await page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: WAIT_MS });
}

export interface TreeRow {
  /** The row's accessible label (VS Code reads it out); for a TreeItem usually its label, sometimes with the description. */
  label: string;
  /** Everything the row shows: label and description. */
  text: string;
  expanded: boolean | undefined;
  level: number;
  /** Position in the whole tree list (data-index), for finding the row element again. */
  index: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The side-bar pane (view) whose header reads `title`, e.g. "OCI Sources". */
export function sideBarPane(page: Page, title: string): Locator {
  return page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}`, 'i') }) }).first();
}

/** Collapses the side-bar pane titled `title` if it is expanded (to give the other panes room). */
export async function collapseSideBarPane(page: Page, title: string): Promise<void> {
  const header = sideBarPane(page, title).locator('.pane-header').first();
  await header.waitFor({ state: 'visible', timeout: WAIT_MS });
  if ((await header.getAttribute('aria-expanded')) === 'true') {
    await header.click({ position: { x: 40, y: 10 } });
    await page
      .locator('.part.sidebar .pane-header[aria-expanded="false"]', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}`, 'i') })
      .first()
      .waitFor({ timeout: WAIT_MS });
  }
}

/** The rendered rows of the tree in the side-bar pane titled `title`, in list order. */
export async function paneTreeRows(page: Page, title: string): Promise<TreeRow[]> {
  return sideBarPane(page, title)
    .locator('.monaco-list-row')
    .evaluateAll((rows) =>
      rows
        .map((r) => ({
          index: Number(r.getAttribute('data-index') ?? '0'),
          label: (r.getAttribute('aria-label') ?? '').trim(),
          // Label and description are adjacent spans: join them with a space, as they look on screen.
          text: [r.querySelector('.label-name')?.textContent ?? r.textContent ?? '', r.querySelector('.label-description')?.textContent ?? '']
            .map((part) => part.replace(/\s+/g, ' ').trim())
            .filter((part) => part.length > 0)
            .join(' '),
          expanded: r.hasAttribute('aria-expanded') ? r.getAttribute('aria-expanded') === 'true' : undefined,
          level: Number(r.getAttribute('aria-level') ?? '0'),
        }))
        .sort((a, b) => a.index - b.index),
    );
}

/** Reads with `read` every 250 ms until `accept` holds; returns that value, or throws `failure(last value)` at the deadline. */
async function pollUntil<T>(page: Page, read: () => Promise<T>, accept: (value: T) => boolean, failure: (last: T) => string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value)) {
    if (Date.now() > deadline) throw new Error(failure(value));
    await page.waitForTimeout(250);
    value = await read();
  }
  return value;
}

/** Polls the pane's tree until `accept` holds; returns the rows, or throws naming what was last seen. */
export function waitForPaneTreeRows(page: Page, title: string, accept: (rows: TreeRow[]) => boolean, what: string, timeoutMs = WAIT_MS): Promise<TreeRow[]> {
  return pollUntil(
    page,
    () => paneTreeRows(page, title),
    accept,
    (rows) => `the ${title} view never showed ${what}; rows: ${rows.map((r) => r.text).join(' | ')}`,
    timeoutMs,
  );
}

/** Expands the first collapsed row of the pane's tree whose text matches `pattern`, and waits until it is expanded. */
export async function expandPaneTreeRow(page: Page, title: string, pattern: RegExp): Promise<void> {
  const rows = await waitForPaneTreeRows(page, title, (all) => all.some((r) => pattern.test(r.text)), `a row matching ${pattern}`);
  const target = rows.find((r) => pattern.test(r.text));
  if (target?.expanded !== false) return;
  await sideBarPane(page, title).locator(`.monaco-list-row[data-index="${target.index}"] .monaco-tl-twistie`).click();
  await waitForPaneTreeRows(page, title, (all) => all.find((r) => pattern.test(r.text))?.expanded === true, `${pattern} expanded`);
}

/** Waits for the quick pick titled like `title` to list a row whose label starts with `label`, then accepts that row. */
export async function chooseQuickPickRow(page: Page, title: RegExp, label: string, timeoutMs = WAIT_MS): Promise<string[]> {
  const widget = await quickInput(page);
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: timeoutMs });
  const starts = new RegExp(`^${escapeRegExp(label)}(?![0-9A-Za-z.-])`);
  const row = widget
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: starts }) })
    .first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  const rows = await quickPickRows(page);
  await row.click();
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'hidden', timeout: timeoutMs });
  return rows;
}

/** The model URI of the active editor (Monaco writes it to the editor element's data-uri). */
export async function activeEditorUri(page: Page): Promise<string> {
  const editor = page.locator('.editor-group-container.active .editor-instance .monaco-editor[data-uri]').first();
  await editor.waitFor({ state: 'attached', timeout: WAIT_MS });
  return (await editor.getAttribute('data-uri')) ?? '';
}

/** The text an editor element shows (visible lines), with non-breaking spaces made plain. */
export async function editorText(editor: Locator): Promise<string> {
  return ((await editor.locator('.view-lines').first().textContent()) ?? '').replace(/\u00a0/g, ' ');
}

/** Active editor tab's title. */
export async function activeTabTitle(page: Page): Promise<string> {
  return ((await page.locator('.tab.active').first().textContent()) ?? '').trim();
}

/**
 * Types `value` into the open input box titled like `title` (e.g. a `showInputBox` step) and accepts it with Enter;
 * waits until that input box has gone. A password box masks what is typed; nothing typed is logged here.
 */
export async function fillInputBox(page: Page, title: RegExp, value: string, timeoutMs = WAIT_MS): Promise<void> {
  const widget = await quickInput(page);
  const heading = widget.locator('.quick-input-title', { hasText: title });
  await heading.waitFor({ state: 'visible', timeout: timeoutMs });
  const input = widget.locator('input.input').first();
  await input.fill(value);
  await input.press('Enter');
  await heading.waitFor({ state: 'hidden', timeout: timeoutMs });
}

export interface StatusBarItemState {
  visible: boolean;
  /** What the item shows, codicons left out (e.g. "Flux OCI"). */
  text: string;
  /** The codicon names the label shows, e.g. ["warning"]; a spinning `$(sync~spin)` reads as ["sync"]. */
  icons: string[];
  /** The accessible label (VS Code reads `$(warning) Flux OCI` out as "warning Flux OCI" unless the item sets one). */
  ariaLabel: string;
}

/** The status bar entry an extension created with `createStatusBarItem(id, …)`: its DOM id ends with `.<id>`. */
export function statusBarItem(page: Page, itemId: string): Locator {
  return page.locator(`.part.statusbar .statusbar-item[id$=".${itemId}"]`).first();
}

/** Text, icons and accessible label of an extension's status bar entry; `visible: false` when it is hidden or absent. */
export async function readStatusBarItem(page: Page, itemId: string): Promise<StatusBarItemState> {
  const item = statusBarItem(page, itemId);
  if ((await item.count()) === 0 || !(await item.isVisible())) return { visible: false, text: '', icons: [], ariaLabel: '' };
  return item.evaluate((element) => {
    interface MiniElement {
      textContent: string | null;
      className: string;
      getAttribute(name: string): string | null;
      querySelector(selector: string): MiniElement | null;
      querySelectorAll(selector: string): ArrayLike<MiniElement>;
    }
    const root = element as unknown as MiniElement;
    const label = root.querySelector('.statusbar-item-label') ?? root;
    const icons = Array.from(label.querySelectorAll('.codicon')).flatMap((icon) =>
      icon.className
        .split(/\s+/)
        .filter((c) => c.startsWith('codicon-') && c !== 'codicon-modifier-spin')
        .map((c) => c.slice('codicon-'.length)),
    );
    return {
      visible: true,
      text: (label.textContent ?? '').replace(/\s+/g, ' ').trim(),
      icons,
      ariaLabel: (root.getAttribute('aria-label') ?? label.getAttribute('aria-label') ?? '').trim(),
    };
  });
}

/** Polls an extension's status bar entry until `accept` holds; throws with the last state seen otherwise. */
export function waitForStatusBarItem(page: Page, itemId: string, accept: (state: StatusBarItemState) => boolean, what: string, timeoutMs = WAIT_MS): Promise<StatusBarItemState> {
  return pollUntil(
    page,
    () => readStatusBarItem(page, itemId),
    accept,
    (state) => `the status bar item ${itemId} never showed ${what}; last seen: ${JSON.stringify(state)}`,
    timeoutMs,
  );
}

/** The tooltip VS Code shows when the mouse rests on an extension's status bar entry (a managed hover). */
export async function statusBarItemTooltip(page: Page, itemId: string, timeoutMs = WAIT_MS): Promise<string> {
  const item = statusBarItem(page, itemId);
  await item.waitFor({ state: 'visible', timeout: timeoutMs });
  const tooltip = page.locator('.workbench-hover-container .workbench-hover, .monaco-hover:not(.hidden) .hover-contents').first();
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      // Another element's hover (a tab or breadcrumb under the mouse) must be gone first, or its text would be read.
      await page.mouse.move(5, 5);
      await tooltip.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
      await item.hover();
      try {
        await tooltip.waitFor({ state: 'visible', timeout: 5000 });
        const text = ((await tooltip.textContent()) ?? '').trim();
        if (text) return text;
      } catch {
        // no tooltip yet
      }
      await page.mouse.move(5, 5);
      await page.waitForTimeout(500);
    }
  } finally {
    await page.mouse.move(5, 5);
  }
  throw new Error(`the status bar item ${itemId} never showed a tooltip`);
}

/** The lines the Output panel currently renders for the channel shown there (only the visible part of a long channel). */
export async function visibleOutputText(page: Page): Promise<string> {
  const editor = page.locator('.part.panel .output-view .monaco-editor').first();
  await editor.waitFor({ state: 'visible', timeout: WAIT_MS });
  return editorText(editor);
}

/**
 * The text of the first webview (a Markdown preview, for example) whose rendered body satisfies `accept`. Webviews are
 * iframes that render after their tab opens, so this polls every frame of the page until one matches.
 */
export async function waitForWebviewText(page: Page, accept: (text: string) => boolean, what: string, timeoutMs = WAIT_MS): Promise<string> {
  const texts = await pollUntil(
    page,
    () => webviewTexts(page),
    (all) => all.some(accept),
    (all) => `no webview showed ${what}; webviews seen:\n${all.map((t) => t.slice(0, 300)).join('\n---\n')}`,
    timeoutMs,
  );
  return texts.find(accept)!;
}

/** The rendered body text of every webview frame on the page that shows something. */
async function webviewTexts(page: Page): Promise<string[]> {
  const texts: string[] = [];
  for (const frame of page.frames()) {
    if (!frame.url().includes('/webview/')) continue;
    // Runs in the page: globalThis there is the frame's window (no DOM types in this Node project).
    const text = await frame.evaluate(() => (globalThis as unknown as { document?: { body?: { innerText?: string } } }).document?.body?.innerText ?? '').catch(() => '');
    if (text.trim()) texts.push(text);
  }
  return texts;
}
