import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_TRAJECTORY } from '../../../src/core/viewer/timeline';
import { makeRollout, makeTask, makeTempDir, Random, serialize } from '../../support/rollout_fixtures';
import { collectTimelineRollouts, TIMELINE_TOOL, type TimelineRollouts } from '../../support/timeline_rollouts';
import { launchBrowser, openPage, screenshot, type LaunchedBrowser, type Page } from './support/browser';
import { startNgViewer, type RunningViewer } from './support/viewer_process';
import { buildWebviewBundle } from './support/webview_bundle';

/**
 * The turn timeline in a real Chromium served by ng_viewer, on rollouts the collector wrote against a local
 * OpenAI-compatible server: a model call retried after an HTTP 500 and a tool call refused with HTTP 422; a
 * rollout stopped at max_steps; an answer cut at max_output_tokens; and an older line without ng_trajectory.
 */

const pane = '.tab-rollouts .detail-pane';

async function openRollout(page: Page, url: string, entry: number): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${url}#rollout=${entry}`);
  await page.locator(`${pane}[data-entry="${entry}"]`).waitFor();
}

/** True when the element's top is inside its scrolling conversation column. */
async function inConversationView(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((s) => {
    const element = document.querySelector(s);
    const column = element?.closest('.conversation');
    if (!element || !column) return false;
    const box = element.getBoundingClientRect();
    const view = column.getBoundingClientRect();
    return box.top >= view.top - 1 && box.top < view.bottom;
  }, selector);
}

describe('the turn timeline', () => {
  let fixture: TimelineRollouts;
  let viewer: RunningViewer;
  let browser: LaunchedBrowser;
  let page: Page;
  let problems: string[];
  let olderEntry: number;

  beforeAll(async () => {
    process.env.GYM_ROLLOUTS_WEBVIEW_DIR = await buildWebviewBundle();
    const dir = makeTempDir('gym-viewer-timeline-');
    const file = join(dir, 'timeline_rollouts.jsonl');
    fixture = await collectTimelineRollouts(file);
    // A line as written before the collector recorded trajectories.
    const rng = new Random(3);
    appendFileSync(file, `${serialize(makeRollout({ task: makeTask(40, rng), rng, datasetFields: true, taskIndex: 40, rolloutIndex: 0 }), 'compact')}\n`);
    olderEntry = fixture.rows.length;
    viewer = await startNgViewer([file], dir);
    // Tall enough that the conversation can scroll the timeline out of view.
    browser = await launchBrowser({ colorScheme: 'light', height: 820 });
    ({ page, problems } = await openPage(browser));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    expect(await viewer?.stop()).toBe(0);
  });

  it('shows a retried model call and a tool refused with HTTP 422 on the time axis, each leading to its place in the conversation', async () => {
    const entry = fixture.entries['retried-and-tool-error'];
    await openRollout(page, viewer.url, entry);
    const timeline = page.locator(`${pane} .timeline`);
    const items = timeline.locator('.tl-item');
    expect(await items.evaluateAll((list) => list.map((item) => `${(item as HTMLElement).dataset.kind}:${item.classList.contains('error') ? 'error' : 'ok'}`))).toEqual([
      'model:ok',
      'tool:error',
      'model:ok',
      'tool:ok',
      'model:ok',
    ]);
    const first = items.nth(0);
    expect(await first.getAttribute('class')).toContain('retried');
    expect(await first.locator('.tl-mark.retried').textContent()).toBe('2 attempts');
    expect(await items.nth(1).locator('.tl-name').textContent()).toBe(TIMELINE_TOOL);
    expect(await items.nth(1).locator('.tl-mark.error').textContent()).toBe('HTTP 422');
    expect(await timeline.locator('.timeline-summary').textContent()).toMatch(/^3 model calls · 2 tool calls · .+ · 1 error · 1 retried$/);
    // Durations and tokens per model call, from the trajectory.
    expect(await first.locator('.tl-fact').first().textContent()).toMatch(/\d+(\.\d+)? (ms|s)$/);
    expect(await first.locator('.tl-facts').textContent()).toMatch(/ in · \d+ out/);
    // Bars are placed along the axis in time order.
    const lefts = await items.locator('.tl-bar').evaluateAll((bars) => bars.map((bar) => bar.getBoundingClientRect().left));
    expect(lefts).toEqual([...lefts].sort((a, b) => a - b));
    await screenshot(page, 'timeline-light');

    // The refused tool call leads to step 1 and its error output.
    await page.locator(`${pane} .conversation`).evaluate((c) => (c.scrollTop = c.scrollHeight));
    await items.nth(1).click();
    const step = `${pane} .conversation > .step[data-step="1"]`;
    await page.locator(`${step}.turn-target`).waitFor();
    expect(await page.locator(`${step} .step-output.error`).count()).toBe(1);
    expect(await inConversationView(page, step)).toBe(true);
    // The third model call leads to its turn, and the address follows.
    await items.nth(4).click();
    await page.locator(`${pane} .conversation > .msg.assistant[data-turn="3"].turn-target`).waitFor();
    expect(await inConversationView(page, `${pane} .conversation > .msg.assistant[data-turn="3"]`)).toBe(true);
    await expect.poll(() => page.url()).toContain('turn=3');
  });

  it('marks the stop at max_steps at the end of the axis', async () => {
    const entry = fixture.entries['max-steps'];
    await openRollout(page, viewer.url, entry);
    const timeline = page.locator(`${pane} .timeline`);
    expect(await timeline.locator('.tl-item.model').count()).toBe(6);
    expect(await timeline.locator('.tl-item.tool').count()).toBe(6);
    expect(await timeline.locator('.tl-stop[data-code="max_steps_reached"]').textContent()).toContain('Stopped at max_steps (6)');
    expect(await timeline.locator('.timeline-summary').textContent()).toContain('incomplete');
    await screenshot(page, 'timeline-max-steps-light');
  });

  it('marks an answer cut at max_output_tokens', async () => {
    const entry = fixture.entries.cut;
    await openRollout(page, viewer.url, entry);
    const cut = page.locator(`${pane} .timeline .tl-item.model.cut`);
    expect(await cut.count()).toBe(1);
    expect(await cut.locator('.tl-mark.cut').textContent()).toBe('cut at max_output_tokens');
    expect(await page.locator(`${pane} .timeline .timeline-summary`).textContent()).toContain('1 cut short');
  });

  it('says in one line why an older line has no timeline', async () => {
    await openRollout(page, viewer.url, olderEntry);
    expect(await page.locator(`${pane} .timeline .tl-item`).count()).toBe(0);
    expect(await page.locator(`${pane} .timeline-absent`).textContent()).toBe(NO_TRAJECTORY);
  });

  it('reads well in the dark theme too', async () => {
    const dark = await launchBrowser({ colorScheme: 'dark', height: 820 });
    try {
      const { page: darkPage, problems: darkProblems } = await openPage(dark);
      await openRollout(darkPage, viewer.url, fixture.entries['retried-and-tool-error']);
      await screenshot(darkPage, 'timeline-dark');
      await openRollout(darkPage, viewer.url, fixture.entries['max-steps']);
      await screenshot(darkPage, 'timeline-max-steps-dark');
      expect(darkProblems).toEqual([]);
    } finally {
      await dark.close();
    }
    expect(problems).toEqual([]);
  });
});
