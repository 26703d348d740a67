import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRolloutSet, makeTempDir, serialize, writeJsonl, type FixtureValue } from '../../support/rollout_fixtures';
import { launchBrowser, openPage, type LaunchedBrowser, type Page } from './support/browser';
import { startNgViewer, type RunningViewer } from './support/viewer_process';
import { buildWebviewBundle } from './support/webview_bundle';

/**
 * How a rollout reaches the screen: a long one draws the part on screen first and the rest right after that frame;
 * the row the pointer rests on (and the next one, for j) is drawn ahead in a hidden spare pane, so opening it is a
 * swap of the two panes.
 */

const pane = '.tab-rollouts .detail-pane';
const spare = '.tab-rollouts .detail-pane-spare';
const EXTRA_MESSAGES = 40;

/** A rollout with many assistant messages after its calls: several screens of conversation. */
function longRollout(line: string): string {
  const rollout = JSON.parse(line) as { response: { output: FixtureValue[] } };
  for (let k = 0; k < EXTRA_MESSAGES; k++) {
    rollout.response.output.push({
      id: `msg_long_${k}`,
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: `Note ${k}: checked the calendar again.\n\nNothing else changed.`, annotations: [] }],
    });
  }
  return serialize(rollout as unknown as FixtureValue, 'compact');
}

interface Shown {
  items: number;
  /** Where the last conversation item drawn ends, and where the one before it ends. */
  lastBottom: number;
  beforeLastBottom: number;
  paneBottom: number;
  complete: boolean;
}

/** Counts taken the moment the pane says its part on screen is drawn (before anything runs after it). */
async function atShown(page: Page, entry: number, navigate: () => Promise<void>): Promise<Shown> {
  await page.evaluate(
    ([selector, wanted]) => {
      const w = window as unknown as { shownCounts?: Promise<unknown> };
      w.shownCounts = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          const element = document.querySelector<HTMLElement>(selector);
          if (element?.dataset.shown !== wanted) return;
          observer.disconnect();
          const items = element.querySelectorAll('.conversation > *');
          const bottom = (item: Element | undefined) => item?.getBoundingClientRect().bottom ?? 0;
          resolve({ items: items.length, lastBottom: bottom(items[items.length - 1]), beforeLastBottom: bottom(items[items.length - 2]), paneBottom: element.getBoundingClientRect().bottom, complete: element.dataset.entry === wanted });
        });
        observer.observe(document.querySelector('.tab-rollouts') as Element, { attributes: true, subtree: true, attributeFilter: ['data-shown'] });
      });
    },
    [pane, String(entry)] as const,
  );
  await navigate();
  return page.evaluate(() => (window as unknown as { shownCounts: Promise<Shown> }).shownCounts);
}

/**
 * How hidden a pane is: its content's visibility, its label for assistive technology, whether its "raw line" button
 * is rendered and takes the focus, and whether a pointer over the middle of the pane reaches it.
 */
async function hiddenness(page: Page, selector: string): Promise<{ contentVisibility: string; ariaHidden: string | null; buttonShown: boolean; buttonFocused: boolean; hitInside: boolean }> {
  return page.locator(selector).evaluate((element) => {
    const button = element.querySelector<HTMLButtonElement>('.detail-header .raw-line-button');
    if (!button) throw new Error('the pane holds no rollout');
    (document.activeElement as HTMLElement | null)?.blur();
    button.focus();
    const buttonFocused = document.activeElement === button;
    button.blur();
    const rect = element.getBoundingClientRect();
    const hit = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
    return { contentVisibility: getComputedStyle(element).contentVisibility, ariaHidden: element.getAttribute('aria-hidden'), buttonShown: button.checkVisibility(), buttonFocused, hitInside: element.contains(hit) };
  });
}

describe('opening a rollout', () => {
  let viewer: RunningViewer;
  let browser: LaunchedBrowser;
  let longEntry: number;

  beforeAll(async () => {
    process.env.GYM_ROLLOUTS_WEBVIEW_DIR = await buildWebviewBundle();
    const dir = makeTempDir('gym-viewer-ahead-');
    const set = generateRolloutSet({ tasks: 20, repeats: 2, withIndices: true, seed: 4242 });
    const lines = [...set.lines];
    longEntry = 5;
    lines[longEntry] = longRollout(lines[longEntry] as string);
    viewer = await startNgViewer([writeJsonl(join(dir, 'ahead.jsonl'), lines), '--no-watch'], dir);
    browser = await launchBrowser({ colorScheme: 'dark', width: 1280, height: 720 });
  });

  afterAll(async () => {
    await browser.close();
    await viewer.stop();
  });

  it('draws a long rollout down to the bottom of the pane first, and the rest right after that frame', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${viewer.url}#rollout=0`);
    await page.locator(`${pane}[data-entry="0"]`).waitFor();
    const first = await atShown(page, longEntry, () => page.evaluate((entry) => void (location.hash = `#rollout=${entry}`), longEntry));
    expect(first.complete).toBe(false);
    // The screen is full: the last item drawn reaches past the pane's bottom edge, and only the last one does
    // (nothing is drawn for a place further down before the frame).
    expect(first.lastBottom).toBeGreaterThanOrEqual(first.paneBottom);
    expect(first.beforeLastBottom).toBeLessThan(first.paneBottom);
    await page.locator(`${pane}[data-entry="${longEntry}"]`).waitFor();
    const all = await page.locator(`${pane} .conversation > *`).count();
    expect(all).toBeGreaterThan(EXTRA_MESSAGES);
    expect(first.items).toBeLessThan(all);
    expect(await page.locator(`${pane} .conversation > .msg.assistant`).last().textContent()).toContain(`Note ${EXTRA_MESSAGES - 1}: checked the calendar again.`);

    // A link to a turn: the whole rollout at once, so the turn can be scrolled to.
    await page.evaluate(() => void (location.hash = '#rollout=0'));
    await page.locator(`${pane}[data-entry="0"]`).waitFor();
    const linked = await atShown(page, longEntry, () => page.evaluate((entry) => void (location.hash = `#rollout=${entry}&turn=1`), longEntry));
    expect(linked.complete).toBe(true);
    expect(linked.items).toBe(all);
    expect(await page.locator(`${pane} .conversation > .turn-target`).count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('draws the row the pointer rests on in the hidden spare pane, and opens it by swapping the panes', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${viewer.url}#rollout=0`);
    await page.locator(`${pane}[data-entry="0"]`).waitFor();
    const row = page.locator('.tab-rollouts .vlist .vrow[data-entry="3"]');
    await row.hover();
    await page.locator(`${spare}[data-prepared="3"]`).waitFor({ state: 'attached' });
    const spareTitle = page.locator(`${spare} .detail-title .title-main`);
    const expectedTitle = await spareTitle.textContent();
    // Hidden from sight, pointer, focus and assistive technology; `.detail-pane` selectors see only the shown pane.
    expect(await hiddenness(page, spare)).toEqual({ contentVisibility: 'hidden', ariaHidden: 'true', buttonShown: false, buttonFocused: false, hitInside: false });
    expect(await hiddenness(page, pane)).toEqual({ contentVisibility: 'visible', ariaHidden: null, buttonShown: true, buttonFocused: true, hitInside: true });
    expect(await page.locator(pane).count()).toBe(1);
    expect(await page.locator(`${pane} .detail-title .title-main`).textContent()).not.toBe(expectedTitle);
    await page.locator(spare).evaluate((e) => ((e as HTMLElement & { marked?: boolean }).marked = true));

    await row.click();
    await page.locator(`${pane}[data-entry="3"]`).waitFor();
    // The shown pane is the one drawn ahead; the other one is the spare now, without the shown one's marks.
    expect(await page.locator(pane).evaluate((e) => (e as HTMLElement & { marked?: boolean }).marked === true)).toBe(true);
    expect(await page.locator(`${pane} .detail-title .title-main`).textContent()).toBe(expectedTitle);
    expect(await page.locator(spare).evaluate((e) => [(e as HTMLElement).dataset.entry ?? null, (e as HTMLElement).dataset.shown ?? null])).toEqual([null, null]);
    expect(await hiddenness(page, spare)).toEqual({ contentVisibility: 'hidden', ariaHidden: 'true', buttonShown: false, buttonFocused: false, hitInside: false });
    expect(await page.locator(pane).getAttribute('data-prepared')).toBeNull();
    expect(await hiddenness(page, pane)).toEqual({ contentVisibility: 'visible', ariaHidden: null, buttonShown: true, buttonFocused: true, hitInside: true });

    // The swapped-in pane answers clicks: a turn link marks its turn.
    await page.locator(`${pane} .conversation .turn-link`).first().click();
    await expect.poll(() => page.locator(pane).getAttribute('data-turn')).not.toBeNull();

    // j opens the next rollout, drawn ahead while the page was idle.
    await page.locator(`${spare}[data-prepared="4"]`).waitFor({ state: 'attached' });
    await page.locator(spare).evaluate((e) => ((e as HTMLElement & { marked?: boolean }).marked = true));
    await page.locator('.tab-rollouts .vlist').focus();
    await page.keyboard.press('j');
    await page.locator(`${pane}[data-entry="4"]`).waitFor();
    expect(await page.locator(pane).evaluate((e) => (e as HTMLElement & { marked?: boolean }).marked === true)).toBe(true);

    // Raw text instead of Markdown: the spare pane drawn with Markdown is not used.
    await page.locator(`${pane} .markdown-toggle`).click();
    await row.hover();
    await page.waitForTimeout(300);
    await row.click();
    await page.locator(`${pane}[data-entry="3"]`).waitFor();
    expect(await page.locator(`${pane} .markdown-toggle`).getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator(`${pane} .msg-text.md`).count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});
