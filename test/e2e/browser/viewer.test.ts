import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRollouts } from '../../../src/core/viewer/compare';
import { JoinedRollouts } from '../../../src/core/viewer/joined_rollouts';
import { RolloutIndex } from '../../../src/core/viewer/rollout_index';
import { fmtDelta, fmtMean, fmtPercent } from '../../../webview/format';
import { generateRolloutSet, jsonlText, makeRollout, makeTask, makeTempDir, Random, serialize, writeJsonl, xssRollout } from '../../support/rollout_fixtures';
import { launchBrowser, openPage, screenshot, type LaunchedBrowser, type Page } from './support/browser';
import { startNgViewer, type RunningViewer } from './support/viewer_process';
import { buildWebviewBundle } from './support/webview_bundle';

/**
 * The viewer in a real Chromium, served by the real ng_viewer: what a person sees on generated rollout files.
 */

const MARKER = 'Quixotic marker sentence';

interface Fixture {
  dir: string;
  primary: string;
  baseline: string;
  lines: string[];
  baselineLines: string[];
  rewards: (number | null)[];
  xssEntry: number;
  brokenEntry: number;
  failedWithExplanation: number;
  markerEntries: number[];
}

function makeFixture(): Fixture {
  const dir = makeTempDir('gym-viewer-e2e-');
  const set = generateRolloutSet({ tasks: 30, repeats: 3, withIndices: true, datasetFields: true, reasoning: true, completionOrder: true, seed: 101 });
  const base = generateRolloutSet({ tasks: 30, repeats: 3, withIndices: true, datasetFields: true, reasoning: true, seed: 202 });
  const rng = new Random(5);
  const markers = [0, 1, 2].map((k) => serialize(makeRollout({ task: makeTask(100 + k, rng), rng, datasetFields: true, taskIndex: 100 + k, rolloutIndex: 0, finalMessage: `${MARKER} number ${k}.` }), 'compact'));
  const lines = [...set.lines, ...markers, serialize(xssRollout(), 'compact'), '{"reward": 1.0, "response": {"output": [truncated'];
  const rewards: (number | null)[] = [...set.rewards, 1, 1, 1, 0, null];
  const primary = writeJsonl(join(dir, 'rollouts.jsonl'), lines);
  const baseline = writeJsonl(join(dir, 'baseline.jsonl'), base.lines);
  writeFileSync(
    join(dir, 'rollouts_failures.jsonl'),
    jsonlText([
      JSON.stringify({ _ng_task_index: 7, _ng_rollout_index: 2, _ng_failure_class: 'model_timeout', _ng_failure_message: 'no answer in 600 s', _ng_failure_terminal: false }),
      JSON.stringify({ _ng_task_index: 9, _ng_rollout_index: 0, _ng_failure_class: 'model_error', _ng_failure_message: 'HTTP 429 after 3 attempts', _ng_failure_terminal: true }),
    ]),
  );
  const failedWithExplanation = set.lines.findIndex((line) => line.includes('"reward_explanation"') && line.includes('(edited)'));
  return {
    dir,
    primary,
    baseline,
    lines,
    baselineLines: base.lines,
    rewards,
    xssEntry: set.lines.length + 3,
    brokenEntry: set.lines.length + 4,
    failedWithExplanation,
    markerEntries: [set.lines.length, set.lines.length + 1, set.lines.length + 2],
  };
}

async function cardValue(page: Page, label: string): Promise<string> {
  return ((await page.locator('.card', { has: page.locator('.card-label', { hasText: new RegExp(`^${label}$`) }) }).locator('.card-value').textContent()) ?? '').trim();
}

async function openTab(page: Page, name: string): Promise<void> {
  await page.locator('vscode-tab-header', { hasText: name }).click();
}

async function listShown(page: Page): Promise<number> {
  return Number(await page.locator('.list-status').getAttribute('data-shown'));
}

async function pickOption(page: Page, label: string, option: string): Promise<void> {
  const select = page.locator(`.list-pane vscode-single-select[aria-label="${label}"]`);
  await select.click();
  await select.locator('li[role="option"]', { hasText: option }).click();
}

/** Loads the viewer afresh with a deep link to one rollout. */
async function openRollout(page: Page, url: string, entry: number): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${url}#rollout=${entry}`);
  await page.locator(`.tab-rollouts .detail-pane[data-entry="${entry}"]`).waitFor();
}

describe('rollout viewer in a browser', () => {
  let fixture: Fixture;
  let viewer: RunningViewer;
  let browser: LaunchedBrowser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    process.env.GYM_ROLLOUTS_WEBVIEW_DIR = await buildWebviewBundle();
    fixture = makeFixture();
    viewer = await startNgViewer([fixture.primary, '--compare', fixture.baseline], fixture.dir);
    browser = await launchBrowser({ colorScheme: 'dark' });
    ({ page, problems } = await openPage(browser));
  });

  afterAll(async () => {
    await browser?.close();
    expect(await viewer?.stop()).toBe(0);
  });

  it('refuses requests without the token', async () => {
    const other = await browser.context.newPage();
    const response = await other.goto(`${viewer.base}/`);
    expect(response?.status()).toBe(403);
    expect(await other.textContent('body')).toMatch(/forbidden/);
    for (const path of ['/viewer.js', '/api/events', '/?token=nope']) {
      const reply = await fetch(`${viewer.base}${path}`);
      expect(reply.status, path).toBe(403);
    }
    await other.close();
  });

  it('shows summary figures that match the file', async () => {
    await page.goto(viewer.url);
    await openTab(page, 'Summary');
    await page.locator('.summary-view .card').first().waitFor();
    const scored = fixture.rewards.filter((r): r is number => r !== null);
    const mean = scored.reduce((a, b) => a + b, 0) / scored.length;
    expect(await cardValue(page, 'Rollouts')).toBe(String(fixture.lines.length));
    expect(await cardValue(page, 'Mean reward')).toBe(fmtMean(mean));
    expect(await page.locator('.card', { hasText: 'Mean reward' }).locator('.card-sub').textContent()).toBe(`${scored.filter((r) => r === 1).length} of ${scored.length} passed`);
    expect(await cardValue(page, 'Failures')).toBe('2');
    // 30 tasks with 3 repeats, 3 marker tasks and the XSS task with one each: pass@1 is the mean over tasks.
    const pass1 = await cardValue(page, 'pass@1');
    expect(pass1).toMatch(/^\d+\.\d%$/);
    expect(await page.locator('table.categories tbody tr').count()).toBe(6);
    expect(await page.locator('.histogram').first().getAttribute('aria-label')).toBe(`Reward: 0.0: ${scored.filter((r) => r === 0).length}, 1.0: ${scored.filter((r) => r === 1).length}`);
    await screenshot(page, 'summary-dark');
  });

  it('filters the list by reward, category and errors', async () => {
    await openTab(page, 'Rollouts');
    await page.waitForFunction(() => document.querySelectorAll('.vrow .pill:not(.none)').length > 0);
    expect(await listShown(page)).toBe(fixture.lines.length);
    await pickOption(page, 'Reward', 'Failed (0)');
    const failing = fixture.rewards.filter((r) => r === 0).length;
    await page.waitForFunction((n) => document.querySelector('.list-status')?.getAttribute('data-shown') === String(n), failing);
    const pills = await page.locator('.vrow .pill').allTextContents();
    expect(pills.length).toBeGreaterThan(5);
    expect(new Set(pills)).toEqual(new Set(['0.0']));
    await pickOption(page, 'Category', 'email');
    await page.waitForFunction(() => [...document.querySelectorAll('.vrow .c-category')].every((e) => e.textContent === 'email') && document.querySelectorAll('.vrow .c-category').length > 0);
    await pickOption(page, 'Reward', 'All rewards');
    await pickOption(page, 'Category', 'All categories');
    await pickOption(page, 'Errors', 'With errors');
    // The list answers asynchronously: wait for the filtered count, not for any count.
    await page.waitForFunction((all) => {
      const shown = Number(document.querySelector('.list-status')?.getAttribute('data-shown'));
      return shown > 0 && shown < all;
    }, fixture.lines.length);
    const withErrors = await listShown(page);
    expect(withErrors).toBeLessThan(fixture.lines.length);
    expect(await page.locator('.vrow .flag').count()).toBe(Math.min(withErrors, await page.locator('.vrow').count()));
    await pickOption(page, 'Errors', 'Errors: any');
    await page.waitForFunction((n) => document.querySelector('.list-status')?.getAttribute('data-shown') === String(n), fixture.lines.length);
  });

  it('searches messages, arguments and tool outputs on the host', async () => {
    await page.keyboard.press('/');
    await page.keyboard.type(MARKER.toLowerCase());
    await page.waitForFunction(
      (n) => /matches? in/.test(document.querySelector('.list-status')?.textContent ?? '') && document.querySelectorAll('.vrow').length === n,
      fixture.markerEntries.length,
    );
    const entries = await page.locator('.vrow').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.entry)).sort((a, b) => a - b));
    expect(entries).toEqual(fixture.markerEntries);
    expect(await page.locator('.vrow .snippet mark').first().textContent()).toBe(MARKER);
    expect(await page.locator('.vrow .snippet .where').first().textContent()).toBe('assistant');
    await screenshot(page, 'search-dark');

    await page.locator('vscode-textfield.search-field').evaluate((field) => {
      (field as HTMLElement & { value: string }).value = '';
    });
    await page.locator('vscode-textfield.search-field').click();
    await page.keyboard.type('Unique ID of the email to be deleted');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /^0 matches in/.test(document.querySelector('.list-status')?.textContent ?? ''));
    await page.locator('vscode-textfield.search-field').click();
    await page.keyboard.press('Escape');
    await page.waitForFunction((n) => document.querySelector('.list-status')?.getAttribute('data-shown') === String(n), fixture.lines.length);
  });

  it('moves through the list with the keyboard and opens with Enter', async () => {
    await page.locator('.tab-rollouts .vlist').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    await page.locator('.tab-rollouts .detail-pane[data-entry="2"]').waitFor();
    expect(await page.locator('.vrow.cursor').getAttribute('data-entry')).toBe('2');
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.locator('.tab-rollouts .detail-pane[data-entry="3"]').waitFor();
  });

  it('shows why a reward-0 rollout failed: ground-truth alignment and the verifier state diff', async () => {
    const entry = fixture.failedWithExplanation;
    expect(entry).toBeGreaterThanOrEqual(0);
    await openRollout(page, viewer.url, entry);
    const record = JSON.parse(fixture.lines[entry] as string) as { reward_explanation: { summary: string; tables: { table: string }[] } };
    expect(await page.locator('.tab-rollouts .detail-pane .reward-big').textContent()).toBe('0.0');
    const differs = page.locator('.tab-rollouts .detail-pane .gt-row.differs');
    expect(await differs.count()).toBe(1);
    expect(await differs.locator('tr.arg.differs mark.diff-predicted').first().textContent()).toContain('(edited)');
    expect(await differs.locator('del, ins').count()).toBe(0);
    expect(await page.locator('.tab-rollouts .detail-pane .explanation .verdict').textContent()).toBe(record.reward_explanation.summary);
    expect(await page.locator('.tab-rollouts .detail-pane .state-diff .table-name').first().textContent()).toBe(record.reward_explanation.tables[0]?.table.replace(/_/g, ' '));
    expect(await page.locator('.tab-rollouts .detail-pane .state-table.added tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('.tab-rollouts .detail-pane .step.writes').count()).toBeGreaterThan(0);
    await screenshot(page, 'rollout-failed-dark');
  });

  it('shows a broken line as an error entry with its line number', async () => {
    await openRollout(page, viewer.url, fixture.brokenEntry);
    expect(await page.locator('.tab-rollouts .detail-pane .detail-body').textContent()).toContain(`Line ${fixture.brokenEntry + 1} is not a readable rollout`);
  });

  it('compares two files task by task', async () => {
    const primary = new JoinedRollouts(await RolloutIndex.open(fixture.primary));
    const baseline = new JoinedRollouts(await RolloutIndex.open(fixture.baseline));
    const expected = compareRollouts(primary, baseline, { primary: 'a', compare: 'b' });
    await page.goto(viewer.url);
    await openTab(page, 'Compare');
    await page.locator('.compare-row').first().waitFor();
    const chip = async (filter: string) => Number(await page.locator(`.chip[data-filter="${filter}"] .chip-count`).textContent());
    expect(await chip('regression')).toBe(expected.counts.regression);
    expect(await chip('fix')).toBe(expected.counts.fix);
    expect(await chip('all')).toBe(expected.rows.length);
    expect(await page.locator('.compare-delta').textContent()).toBe(fmtDelta((expected.primaryMean ?? 0) - (expected.compareMean ?? 0)));
    await page.locator('.chip[data-filter="regression"]').click();
    await page.waitForFunction((n) => document.querySelector('.compare-list')?.getAttribute('data-count') === String(n), expected.counts.regression);
    const worst = Math.min(...expected.rows.map((r) => r.delta ?? 0));
    expect(await page.locator('.compare-row').first().locator('.delta').textContent()).toBe(fmtDelta(worst));
    const deltas = await page.locator('.compare-row .delta').allTextContents();
    expect(deltas.every((d) => d.startsWith('−'))).toBe(true);
    await page.locator('.compare-row').first().locator('.sq.compare').first().click();
    await page.locator('.tab-compare .detail-pane[data-role="compare"]').waitFor();
    await screenshot(page, 'compare-dark');
    await page.locator('.chip[data-filter="fix"]').click();
    await page.waitForFunction((n) => document.querySelector('.compare-list')?.getAttribute('data-count') === String(n), expected.counts.fix);
    expect(fmtPercent(0.5)).toBe('50.0%');
  });

  it('renders HTML and script payloads as text and runs nothing', async () => {
    const title = 'rollouts.jsonl — Gym Rollouts';
    await openRollout(page, viewer.url, fixture.xssEntry);
    await page.locator('.tab-rollouts .detail-pane .state-diff').waitFor();
    await page.locator('.tab-rollouts .detail-pane details.collapsible > summary').first().click();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.title()).toBe(title);
    const text = (await page.locator('.tab-rollouts .detail-pane .detail-body').textContent()) ?? '';
    expect(text).toContain('<script>window.__pwned=2;document.title="pwned"</script>');
    expect(text).toContain('<img src=x onerror=');
    // The page's own DOM (the controls' shadow roots hold only their icons): no element came from the data.
    const injected = await page.evaluate(() => document.querySelectorAll('#app script, #app img, #app iframe, #app svg, #app object, #app embed, #app [onerror], #app [onload], #app [onmouseover], #app a[href]').length);
    expect(injected).toBe(0);
    await openTab(page, 'Summary');
    await page.locator('table.categories').waitFor();
    expect(await page.locator('table.categories').textContent()).toContain('<b onmouseover="window.__pwned=3">xss</b>');
    await page.locator('table.categories tr', { hasText: 'onmouseover' }).hover();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await openRollout(page, viewer.url, fixture.xssEntry);
    await screenshot(page, 'xss-dark');
  });

  it('logged no errors and no Content-Security-Policy violations', () => {
    expect(problems).toEqual([]);
  });

  it('looks right in the light palette too', async () => {
    const light = await launchBrowser({ colorScheme: 'light' });
    const { page: lightPage, problems: lightProblems } = await openPage(light);
    await openRollout(lightPage, viewer.url, fixture.failedWithExplanation);
    const background = await lightPage.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(255, 255, 255)');
    await screenshot(lightPage, 'rollout-failed-light');
    await openTab(lightPage, 'Summary');
    await lightPage.locator('.summary-view .card').first().waitFor();
    await screenshot(lightPage, 'summary-light');
    expect(lightProblems).toEqual([]);
    await light.close();
  });
});

describe('live updates while a collection appends', () => {
  it('shows appended rollouts without a reload, waiting for a half-written line', async () => {
    const dir = makeTempDir('gym-viewer-live-');
    const set = generateRolloutSet({ tasks: 8, repeats: 1, withIndices: true, datasetFields: true, seed: 303 });
    const path = join(dir, 'live_rollouts.jsonl');
    writeFileSync(path, jsonlText(set.lines.slice(0, 2)));
    const viewer = await startNgViewer([path], dir);
    const browser = await launchBrowser();
    try {
      const { page, problems } = await openPage(browser);
      await page.goto(viewer.url);
      await openTab(page, 'Rollouts');
      await page.waitForFunction(() => document.querySelector('.list-status')?.getAttribute('data-shown') === '2');
      await page.evaluate(() => Object.assign(window, { __sameDocument: true }));

      const third = set.lines[2] as string;
      appendFileSync(path, third.slice(0, 2000));
      await page.waitForFunction(() => /line 3 is being written/.test(document.querySelector('.list-status')?.textContent ?? ''), undefined, { timeout: 15_000 });
      expect(await listShown(page)).toBe(2);

      appendFileSync(path, `${third.slice(2000)}\n${jsonlText(set.lines.slice(3, 6))}`);
      await page.waitForFunction(() => document.querySelector('.list-status')?.getAttribute('data-shown') === '6', undefined, { timeout: 15_000 });
      expect(await page.locator('.file-chip').getAttribute('data-rollouts')).toBe('6');
      expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
      await page.waitForFunction(() => document.querySelectorAll('.vrow .pill:not(.none)').length === 6);
      await screenshot(page, 'live-dark');

      await openTab(page, 'Summary');
      await page.locator('.summary-view .card').first().waitFor();
      appendFileSync(path, jsonlText(set.lines.slice(6)));
      await page.waitForFunction(() => document.querySelector('.summary-view')?.getAttribute('data-rollouts') === '8', undefined, { timeout: 15_000 });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      await viewer.stop();
    }
  });
});
