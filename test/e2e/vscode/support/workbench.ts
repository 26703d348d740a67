/**
 * Driving the VS Code workbench in Debian's Chromium through playwright-core (never `playwright install`):
 * the command palette, quick inputs, views, the Problems panel, webview frames, and a screenshot of each step.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = process.env.GYM_ROLLOUTS_CHROMIUM ?? '/usr/bin/chromium';

export interface Workbench {
  browser: Browser;
  page: Page;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openWorkbench(url: string, workspace: string, artifacts: string): Promise<Workbench> {
  mkdirSync(artifacts, { recursive: true });
  // launch() gives Chromium a fresh temporary profile of its own.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  let counter = 0;
  return {
    browser,
    page,
    async screenshot(name: string) {
      counter += 1;
      const path = join(artifacts, `${String(counter).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    close: () => browser.close(),
  };
}

const quickInput = (page: Page) => page.locator('.quick-input-widget');

/**
 * Takes the keyboard back from a webview (the rollout viewer keeps keys it handles itself), so the next key
 * presses reach the workbench's keybindings.
 */
export async function focusWorkbench(page: Page): Promise<void> {
  // A click on the side bar's title (a plain label) moves the focus out of any editor, webviews included.
  const title = page.locator('.part.sidebar .composite.title .title-label').first();
  if (await title.isVisible()) await title.click();
  else {
    await page.evaluate(() => {
      const active = document.activeElement;
      if (active instanceof HTMLElement && active !== document.body) active.blur();
    });
  }
}

/** Runs a command by its palette title (F1, type, Enter). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await closeQuickInput(page);
  await focusWorkbench(page);
  await page.keyboard.press('F1');
  const input = quickInput(page).locator('input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const row = quickInput(page).locator('.monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await page.keyboard.press('Enter');
}

/** Closes a quick input or context menu left open, so the next key presses reach the workbench. */
export async function closeQuickInput(page: Page): Promise<void> {
  if (await quickInput(page).isVisible()) await page.keyboard.press('Escape');
  if (await page.locator('.context-view .monaco-menu').isVisible()) await page.keyboard.press('Escape');
}

/**
 * Clicks an item of the open context menu. Menus ignore clicks for a moment after opening, so the click is
 * repeated until the menu closes (each attempt waits up to 300 ms for it to close).
 */
export async function chooseMenuItem(page: Page, label: string): Promise<void> {
  const menu = page.locator('.context-view .monaco-menu');
  const item = menu.locator('.action-label', { hasText: label }).first();
  await item.waitFor({ state: 'visible' });
  for (let attempt = 0; attempt < 10 && (await menu.isVisible()); attempt += 1) {
    await item.hover();
    await item.click().catch(() => undefined);
    await menu.waitFor({ state: 'hidden', timeout: 300 }).catch(() => undefined);
  }
  if (await menu.isVisible()) throw new Error(`the context menu did not take "${label}"`);
}

/** The texts of a list's rows. */
export function listRowTexts(rows: Locator): Promise<string[]> {
  return rows.evaluateAll((elements) => elements.map((element) => (element as HTMLElement).innerText.trim()));
}

/** Waits until the open context menu has finished fading in (for a screenshot that shows it). */
export async function contextMenuShown(page: Page): Promise<void> {
  await page.locator('.context-view .monaco-menu').waitFor();
  await page.waitForFunction(() => {
    const view = document.querySelector('.context-view');
    return view !== null && view.getAnimations({ subtree: true }).every((animation) => animation.playState === 'finished');
  });
}

/** Expands a tree row (its twistie toggles it, wherever the row's own actions are). */
export async function expandRow(row: Locator): Promise<void> {
  if ((await row.getAttribute('aria-expanded')) === 'true') return;
  await row.locator('.monaco-tl-twistie').click();
}

/** Waits for the quick input to show `text` in its title or prompt. */
export async function waitForQuickInput(page: Page, text: string | RegExp, timeout = 30_000): Promise<void> {
  await quickInput(page).filter({ hasText: text }).waitFor({ state: 'visible', timeout });
}

/** Accepts the current quick input step, optionally replacing its value. */
export async function answerQuickInput(page: Page, value?: string): Promise<void> {
  const input = quickInput(page).locator('input');
  if (value !== undefined) await input.fill(value);
  await page.keyboard.press('Enter');
}

export async function waitForNotification(page: Page, text: string | RegExp, timeout = 60_000): Promise<Locator> {
  const toast = page.locator('.notification-toast', { hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout });
  return toast;
}

export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
}

/** Shows the Gym Rollouts container in the activity bar (a click on its item toggles it, so look before clicking). */
export async function showGymRollouts(page: Page): Promise<void> {
  const item = page.locator('.activitybar .action-item a[aria-label^="Gym Rollouts"], .activitybar [aria-label^="Gym Rollouts"]').first();
  await item.waitFor({ state: 'visible', timeout: 60_000 });
  const servers = page.locator('.pane-header', { hasText: 'Servers' }).first();
  await poll(
    'the Gym Rollouts views',
    async () => {
      if (await servers.isVisible()) return true;
      await item.click();
      await servers.waitFor({ state: 'visible', timeout: 2_000 }).catch(() => undefined);
      return servers.isVisible();
    },
    Boolean,
    30_000,
    250,
  );
  await widenSidebar(page);
}

/** Drags the sidebar's edge so tree descriptions (progress, URLs) are readable in screenshots. */
async function widenSidebar(page: Page, width = 560): Promise<void> {
  const sidebar = await page.locator('.part.sidebar').first().boundingBox();
  if (!sidebar || sidebar.width >= width - 10) return;
  const edge = sidebar.x + sidebar.width;
  await page.mouse.move(edge, sidebar.y + sidebar.height / 2);
  await page.mouse.down();
  await page.mouse.move(sidebar.x + width, sidebar.y + sidebar.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** The rows of a tree view (by the view's pane title), as their accessible labels. */
export function viewRows(page: Page, viewTitle: string): Locator {
  const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: viewTitle }) }).first();
  return pane.locator('.monaco-list-row');
}

export async function rowTexts(page: Page, viewTitle: string): Promise<string[]> {
  return viewRows(page, viewTitle).evaluateAll((rows) => rows.map((row) => (row as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
}

/**
 * Opens a file at the workspace's top level from the explorer. (Quick Open ranks recently opened files with longer
 * names first, and its list re-renders rows in place while the search completes, so a click there can open another.)
 */
export async function openFile(page: Page, name: string): Promise<void> {
  await closeQuickInput(page);
  await runCommand(page, 'View: Show Explorer');
  const item = page.locator('.explorer-folders-view').getByRole('treeitem', { name, exact: true });
  await item.waitFor({ state: 'visible', timeout: 60_000 });
  await item.dblclick();
  // A tab's text may break inside the name; its label is what precedes the close button's (empty) text.
  const tabTexts = async () => (await listRowTexts(page.locator('.tab'))).map((text) => text.replace(/\s+/g, ''));
  await poll(`the ${name} tab`, tabTexts, (tabs) => tabs.some((tab) => tab.startsWith(name)), 30_000, 200);
}

export async function problemsText(page: Page): Promise<string[]> {
  const markers = page.locator('.markers-panel .monaco-list-row');
  return markers.evaluateAll((rows) => rows.map((row) => (row as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
}

/** The frames of webviews (nested iframes) whose document matches `selector`. */
export async function webviewFrames(page: Page, selector: string): Promise<Frame[]> {
  const found: Frame[] = [];
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    const count = await frame.locator(selector).count().catch(() => 0);
    if (count > 0) found.push(frame);
  }
  return found;
}

export async function poll<T>(what: string, read: () => Promise<T> | T, accept: (value: T) => boolean, timeout = 120_000, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (accept(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Waits until the workbench wears the theme whose class is `workbenchClass` (vs, vs-dark, hc-black, hc-light). */
export async function waitForThemeClass(page: Page, workbenchClass: string): Promise<void> {
  await page.waitForFunction((expected) => document.querySelector('.monaco-workbench')?.classList.contains(expected) === true, workbenchClass, { timeout: 60_000 });
}
