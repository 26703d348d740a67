import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRollouts } from '../../../src/core/viewer/compare';
import { JoinedRollouts } from '../../../src/core/viewer/joined_rollouts';
import { RolloutIndex } from '../../../src/core/viewer/rollout_index';
import { pValueText } from '../../../webview/compare_figures';
import { generateRolloutSet, jsonlText, makeRollout, makeTask, makeTempDir, Random, serialize, writeJsonl, type FixtureValue } from '../../support/rollout_fixtures';
import { launchBrowser, openPage, screenshot, type LaunchedBrowser, type Page } from './support/browser';
import { startNgViewer, type RunningViewer } from './support/viewer_process';
import { buildWebviewBundle } from './support/webview_bundle';

/**
 * Reading one rollout in a real Chromium served by the real ng_viewer: Markdown messages (and the HTML and
 * script payloads in them staying text), word-level state diffs, deep links, the raw line, the failures tab,
 * and the compare tab's paired statistics.
 */

const PAYLOAD = '<script>window.__pwned=20</script><img src=x onerror="window.__pwned=21"><iframe srcdoc="<script>parent.__pwned=22</script>"></iframe>';
const MARKDOWN = [
  '**Done.** The steps:',
  '',
  '1. searched the inbox',
  '2. deleted the email',
  '',
  '| table | rows |',
  '|---|--:|',
  '| email | 1 |',
  '',
  'See [the runbook](https://example.invalid/runbook) and `email_delete_email`.',
  '',
  PAYLOAD,
  '',
  '[a script link](javascript:window.__pwned=23)',
].join('\n');

const BODY_EXPECTED = 'Hi Raj,\nthe quarterly budget review moves to Friday at 10am in room 4.\nThanks';
const BODY_PREDICTED = 'Hi Raj,\nthe quarterly budget review moves to Monday at 10am in room 4.\nThanks';
const TABLE_SUMMARY = 'email: row 00000042 body is the Monday text but the ground truth expects the Friday text.';

function explanationWithLongCell(): FixtureValue {
  const wide: Record<string, FixtureValue> = { email_id: '00000099' };
  for (const column of ['inbox', 'sender', 'recipient', 'subject', 'sent_date', 'body', 'cc', 'bcc', 'labels', 'thread', 'priority', 'folder']) wide[column] = `${column} value that is rather long`;
  return {
    reward: 0,
    tables: [
      {
        table: 'email',
        added: [{ label: 9, key: '00000099', values: wide }],
        removed: [],
        changed: [{ key: '00000042', expectedLabel: 4, predictedLabel: 4, cells: [{ column: 'body', expected: BODY_EXPECTED, predicted: BODY_PREDICTED }] }],
        orderOrLabelsDiffer: false,
        summary: TABLE_SUMMARY,
      },
    ],
    skippedPredictedCalls: [],
    skippedGroundTruthCalls: [],
    summary: `Reward 0: 1 of the five compared tables differs from the ground truth's end state. ${TABLE_SUMMARY}`,
  };
}

interface Fixture {
  dir: string;
  primary: string;
  lines: string[];
  markdownEntry: number;
  diffEntry: number;
  /** Entry of task 4, repeat 1 (the set's lines are in completion order). */
  linkedEntry: number;
}

function makeFixture(): Fixture {
  const dir = makeTempDir('gym-viewer-reading-');
  const set = generateRolloutSet({ tasks: 12, repeats: 2, withIndices: true, datasetFields: true, reasoning: true, completionOrder: true, seed: 707 });
  const rng = new Random(11);
  const markdown = serialize(makeRollout({ task: makeTask(200, rng), rng, datasetFields: true, taskIndex: 200, rolloutIndex: 0, finalMessage: MARKDOWN }), 'compact');
  const diff = serialize(
    makeRollout({ task: makeTask(201, rng), rng, outcome: 'wrong-arguments', datasetFields: true, taskIndex: 201, rolloutIndex: 0, extra: { reward_explanation: explanationWithLongCell() } }),
    'compact',
  );
  const lines = [...set.lines, markdown, diff];
  const primary = writeJsonl(join(dir, 'reading_rollouts.jsonl'), lines);
  writeFileSync(join(dir, 'reading_rollouts_materialized_inputs.jsonl'), jsonlText(set.materializedInputs));
  writeFileSync(
    join(dir, 'reading_rollouts_failures.jsonl'),
    jsonlText([
      JSON.stringify({ _ng_task_index: 7, _ng_rollout_index: 1, _ng_attempt_index: 2, _ng_failure_class: 'model_error', _ng_failure_message: `HTTP 429 from the policy endpoint after 3 attempts ${'(rate limited) '.repeat(30)}`, _ng_failure_terminal: false, upstream_status: 429 }),
      JSON.stringify({ _ng_task_index: 3, _ng_rollout_index: 0, _ng_attempt_index: 0, _ng_failure_class: 'model_timeout', _ng_failure_message: 'no answer in 600 s', _ng_failure_terminal: false }),
      JSON.stringify({ _ng_task_index: 5, _ng_rollout_index: 1, _ng_attempt_index: 2, _ng_failure_class: 'model_error', _ng_failure_message: 'HTTP 500', _ng_failure_terminal: true, upstream_status: 500 }),
    ]),
  );
  const linkedEntry = set.lines.findIndex((line) => {
    const record = JSON.parse(line) as { _ng_task_index: number; _ng_rollout_index: number };
    return record._ng_task_index === 4 && record._ng_rollout_index === 1;
  });
  return { dir, primary, lines, markdownEntry: set.lines.length, diffEntry: set.lines.length + 1, linkedEntry };
}

async function openRollout(page: Page, url: string, fragment: string, entry: number): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${url}#${fragment}`);
  await page.locator(`.tab-rollouts .detail-pane[data-entry="${entry}"]`).waitFor();
}

const pane = '.tab-rollouts .detail-pane';

describe('reading rollouts in a browser', () => {
  let fixture: Fixture;
  let viewer: RunningViewer;
  let browser: LaunchedBrowser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    process.env.GYM_ROLLOUTS_WEBVIEW_DIR = await buildWebviewBundle();
    fixture = makeFixture();
    const baseline = writeJsonl(join(fixture.dir, 'baseline_rollouts.jsonl'), generateRolloutSet({ tasks: 12, repeats: 2, withIndices: true, datasetFields: true, seed: 808 }).lines);
    viewer = await startNgViewer([fixture.primary, '--compare', baseline], fixture.dir);
    browser = await launchBrowser({ colorScheme: 'dark' });
    ({ page, problems } = await openPage(browser));
  });

  afterAll(async () => {
    await browser?.close();
    expect(await viewer?.stop()).toBe(0);
  });

  it('renders message Markdown as elements, keeps HTML and script payloads as text, and leaves links inert', async () => {
    await openRollout(page, viewer.url, `rollout=${fixture.markdownEntry}`, fixture.markdownEntry);
    const message = page.locator(`${pane} .msg.assistant .msg-text.md`).last();
    expect(await message.locator('strong').first().textContent()).toBe('Done.');
    expect(await message.locator('ol > li').allTextContents()).toEqual(['searched the inbox', 'deleted the email']);
    expect(await message.locator('table td.align-right').textContent()).toBe('1');
    expect(await message.locator('code.md-code').textContent()).toBe('email_delete_email');
    // The payloads are text in a paragraph, not elements; nothing ran.
    expect(await message.textContent()).toContain(PAYLOAD);
    expect(await page.evaluate(() => document.querySelectorAll('#app script, #app img, #app iframe, #app a[href], #app [onerror]').length)).toBe(0);
    // markdown-it refuses javascript: links: that one stays text.
    expect(await message.textContent()).toContain('[a script link](javascript:window.__pwned=23)');
    const links = message.locator('.md-link');
    expect(await links.count()).toBe(1);
    await links.first().click();
    await page.locator(`${pane} .detail-notice .link-address`).waitFor();
    expect(await page.locator(`${pane} .detail-notice .link-address`).textContent()).toBe('https://example.invalid/runbook');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(page.url()).toContain(viewer.base);
    await screenshot(page, 'markdown-dark');

    await page.locator(`${pane} .markdown-toggle`).click();
    const raw = page.locator(`${pane} .msg.assistant .msg-text`).last();
    await page.waitForFunction((selector) => document.querySelectorAll(selector).length === 0, `${pane} .msg-text.md`);
    expect(await raw.textContent()).toBe(MARKDOWN);
    await page.locator(`${pane} .markdown-toggle`).click();
    await page.locator(`${pane} .msg.assistant .msg-text.md strong`).first().waitFor();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  });

  it('shows the line as written when asked for the raw line', async () => {
    await page.locator(`${pane} .detail-header .raw-line-button`).click();
    await page.locator(`${pane} .detail-notice .raw-line`).waitFor();
    expect(await page.locator(`${pane} .detail-notice`).getAttribute('data-line')).toBe(String(fixture.markdownEntry + 1));
    expect(await page.locator(`${pane} .detail-notice .raw-line`).textContent()).toBe(fixture.lines[fixture.markdownEntry]);
  });

  it('marks the changed words of a long cell on each side, once, with line breaks as line breaks and nothing struck through', async () => {
    await openRollout(page, viewer.url, `rollout=${fixture.diffEntry}`, fixture.diffEntry);
    const changed = page.locator(`${pane} .state-table.changed`);
    await changed.waitFor();
    expect(await changed.locator('td.expected mark.diff-expected').allTextContents()).toEqual(['Friday']);
    expect(await changed.locator('td.predicted mark.diff-predicted').allTextContents()).toEqual(['Monday']);
    expect(await changed.locator('td.expected').textContent()).toBe(BODY_EXPECTED);
    expect(await changed.locator('td.predicted').textContent()).toContain('\n');
    expect(await changed.textContent()).not.toContain('\\n');
    expect(await page.locator(`${pane} .verification del, ${pane} .verification ins`).count()).toBe(0);
    const struck = await page.locator(`${pane} .verification mark`).evaluateAll((marks) => marks.filter((m) => getComputedStyle(m).textDecorationLine.includes('line-through')).length);
    expect(struck).toBe(0);
    // The table summary is shown under its table, not again in the explanation's lead sentence.
    expect(await page.locator(`${pane} .explanation .verdict`).textContent()).toBe("Reward 0: 1 of the five compared tables differs from the ground truth's end state.");
    const explanation = (await page.locator(`${pane} .explanation`).textContent()) ?? '';
    expect(explanation.split(TABLE_SUMMARY).length - 1).toBe(1);
    // The wide added row scrolls sideways in its own box instead of squeezing its twelve columns.
    const wide = page.locator(`${pane} .state-table.added`).locator('xpath=..');
    expect(await wide.evaluate((box) => box.scrollWidth > box.clientWidth && getComputedStyle(box).overflowX === 'auto')).toBe(true);
    // The conversation and the verification scroll on their own.
    const scrolled = await page.evaluate((selector) => {
      const conversation = document.querySelector(`${selector} .conversation`) as HTMLElement;
      const verification = document.querySelector(`${selector} .verification`) as HTMLElement;
      conversation.scrollTop = 150;
      return { conversation: conversation.scrollTop, verification: verification.scrollTop, separate: getComputedStyle(verification).overflowY === 'auto' };
    }, pane);
    expect(scrolled).toEqual({ conversation: 150, verification: 0, separate: true });
    await screenshot(page, 'state-diff-dark');
  });

  it('opens a deep link by task and repeat at a turn, and keeps the address on what is shown', async () => {
    await openRollout(page, viewer.url, 'rollout=4:1&turn=2', fixture.linkedEntry);
    const detail = page.locator(pane);
    await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('data-turn') === '2', pane);
    expect(await detail.locator('.turn-target').first().getAttribute('data-turn')).toBe('2');
    expect(await detail.locator('.title-main').textContent()).toContain('repeat 1');
    expect(new URL(page.url()).hash).toBe(`#rollout=${fixture.linkedEntry}&turn=2`);
    // j opens the next rollout of the list, and the address follows.
    await page.locator('.tab-rollouts .vlist').focus();
    await page.keyboard.press('j');
    await page.waitForFunction(({ selector, from }) => document.querySelector(selector)?.getAttribute('data-entry') !== String(from), { selector: pane, from: fixture.linkedEntry });
    const entry = await detail.getAttribute('data-entry');
    expect(new URL(page.url()).hash).toBe(`#rollout=${entry}`);
    // A turn label is a link to that turn.
    await detail.locator('.turn-link[data-turn-link="1"]').first().click();
    expect(new URL(page.url()).hash).toBe(`#rollout=${entry}&turn=1`);
  });

  it('shows the failures file as a tab: counts by class, each failure, and the input row of its task', async () => {
    await page.goto('about:blank');
    await page.goto(`${viewer.url}#tab=failures`);
    const tab = page.locator('.tab-failures');
    await tab.locator('.failure-row').first().waitFor();
    const chips = await tab.locator('.failure-classes .chip').evaluateAll((list) => list.map((chip) => chip.textContent));
    expect(chips).toEqual(['All3', 'model_error2', 'model_timeout1']);
    expect(await tab.locator('.failure-row').count()).toBe(3);
    const first = tab.locator('.failure-row[data-task="7"]');
    expect(await first.locator('.failure-facts').textContent()).toBe('3 attempts · upstream HTTP 429');
    // A long message wraps inside its row.
    expect(await first.locator('.failure-message').evaluate((m) => m.scrollWidth <= m.clientWidth + 1)).toBe(true);
    await tab.locator('.chip[data-failure-class="model_timeout"]').click();
    await page.waitForFunction(() => document.querySelectorAll('.tab-failures .failure-row').length === 1);
    await tab.locator('.chip[data-failure-class=""]').click();
    await first.click();
    await tab.locator('.failure-input .input-json').waitFor();
    expect(await tab.locator('.failure-input .input-json').textContent()).toContain('"_ng_task_index": 7');
    expect(await tab.locator('.failure-input .file-path').textContent()).toContain('reading_rollouts_materialized_inputs.jsonl');
    await screenshot(page, 'failures-dark');
  });

  it('compares per task over repeats with a paired bootstrap and a sign test', async () => {
    const primary = new JoinedRollouts(await RolloutIndex.open(fixture.primary));
    const baseline = new JoinedRollouts(await RolloutIndex.open(join(fixture.dir, 'baseline_rollouts.jsonl')));
    const expected = compareRollouts(primary, baseline, { primary: 'a', compare: 'b' });
    await page.goto('about:blank');
    await page.goto(`${viewer.url}#tab=compare`);
    const block = page.locator('.compare-significance');
    await block.waitFor();
    expect(Number(await block.getAttribute('data-p-bootstrap'))).toBe(expected.significance?.bootstrap.pValue);
    expect(Number(await block.getAttribute('data-p-sign'))).toBe(expected.significance?.signTest.pValue);
    const text = (await block.textContent()) ?? '';
    expect(text).toContain('95% CI');
    expect(text).toContain(pValueText(expected.significance?.signTest.pValue ?? 1));
    expect(text).toContain(`over ${expected.significance?.tasks} tasks`);
    expect(expected.k).toBe(2);
    expect(await page.locator('.compare-rates th', { hasText: 'pass@2' }).count()).toBe(1);
    // The two tasks only in this file are listed apart from the figures.
    expect(await page.locator('.compare-unpaired').textContent()).toContain('2 tasks only in this file');
    await screenshot(page, 'compare-statistics-dark');
  });

  it('logged no errors and no Content-Security-Policy violations', () => {
    expect(problems).toEqual([]);
  });
});
