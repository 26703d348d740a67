/**
 * The rollout viewer of the packaged extension in a real VS Code (code-server) driven by Chromium: Compare
 * Rollout Files from the explorer (two selected files) and from the Runs view (two runs), the failures tab with
 * a task's input row, jump to the raw line, the turn timeline of rollouts the collector wrote, Reverify Rollouts
 * (explorer and Runs view), Reveal Failures on the failures tab, and every view in the light, dark and high-contrast
 * themes.
 * Screenshots go to .test-artifacts/vscode-viewer/.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compareRollouts } from '../../../src/core/viewer/compare';
import { JoinedRollouts } from '../../../src/core/viewer/joined_rollouts';
import { RolloutIndex } from '../../../src/core/viewer/rollout_index';
import { oracleScript, startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake_openai';
import { outputPaths } from '../../../src/core/collect/output_paths';
import { generateRolloutSet, jsonlText, makeRollout, makeTask, Random, serialize } from '../../support/rollout_fixtures';
import { collectTimelineRollouts } from '../../support/timeline_rollouts';
import { ensureCodeServer, installExtension, startCodeServer, type CodeServerDirectories, type RunningCodeServer } from './support/code_server';
import { packageVsix, REPO_ROOT } from './support/package_vsix';
import {
  answerQuickInput,
  chooseMenuItem,
  clearNotifications,
  contextMenuShown,
  listRowTexts,
  openFile,
  openWorkbench,
  poll,
  rowTexts,
  runCommand,
  showGymRollouts,
  viewRows,
  waitForNotification,
  waitForQuickInput,
  waitForThemeClass,
  webviewFrames,
  type Workbench,
} from './support/workbench';
import { createWorkspace, setWorkspaceSetting, USER_SETTINGS, type TestWorkspace } from './support/workspace';

const ARTIFACTS = join(REPO_ROOT, '.test-artifacts/vscode-viewer');
const API_KEY = 'e2e-viewer-key-7d41c0';
const THEMES = [
  { name: 'light', setting: 'Default Light Modern', workbenchClass: 'vs' },
  { name: 'dark', setting: 'Default Dark Modern', workbenchClass: 'vs-dark' },
  { name: 'high-contrast', setting: 'Default High Contrast', workbenchClass: 'hc-black' },
] as const;

let fake: FakeOpenAIServer;
let workspace: TestWorkspace;
let directories: CodeServerDirectories;
let codeServer: RunningCodeServer;
let workbench: Workbench;
let files: { a: string; b: string };
const TIMELINE_FILE = 'timeline_rollouts.jsonl';

/**
 * Rollouts the collector writes against a local OpenAI-compatible server (a retried model call, a tool refused with
 * HTTP 422, a max_steps stop, a cut answer); task 0's input row then expects no writes, so reverifying flips its
 * reward from 0 to 1.
 */
async function writeTimelineRollouts(folder: string): Promise<void> {
  const file = join(folder, TIMELINE_FILE);
  await collectTimelineRollouts(file);
  const inputs = outputPaths(file).materializedInputs;
  const rows = readFileSync(inputs, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  writeFileSync(inputs, jsonlText(rows.map((row) => JSON.stringify(row._ng_task_index === 0 ? { ...row, ground_truth: [] } : row))));
}

/** Clicks a button of the notification that says `text`. */
async function notificationAction(text: string | RegExp, action: string): Promise<void> {
  const toast = await waitForNotification(workbench.page, text, 180_000);
  await toast.locator('.monaco-button', { hasText: action }).first().click();
}

/** Runs a palette command with the focus in the workbench (a focused webview may keep F1 to itself). */
async function command(title: string): Promise<void> {
  await workbench.page.locator('.part.statusbar').click({ position: { x: 5, y: 5 } });
  await runCommand(workbench.page, title);
}

function log(message: string): void {
  process.stdout.write(`[vscode viewer e2e] ${message}\n`);
}

/** Two runs of the same twelve tasks, three repeats each; the first with a failures file and its inputs. */
function writeRolloutFiles(folder: string): { a: string; b: string } {
  const first = generateRolloutSet({ tasks: 12, repeats: 3, withIndices: true, datasetFields: true, reasoning: true, seed: 31 });
  const second = generateRolloutSet({ tasks: 12, repeats: 3, withIndices: true, datasetFields: true, reasoning: true, seed: 32, passRate: 0.4 });
  const rng = new Random(5);
  const markdown = serialize(
    makeRollout({ task: makeTask(12, rng), rng, datasetFields: true, taskIndex: 12, rolloutIndex: 0, finalMessage: '**Done.** Deleted:\n\n- the email from *Raj*\n\nSee [the runbook](https://example.invalid/runbook). <script>window.__pwned=1</script>' }),
    'compact',
  );
  const a = join(folder, 'run_a_rollouts.jsonl');
  const b = join(folder, 'run_b_rollouts.jsonl');
  writeFileSync(a, jsonlText([...first.lines, markdown]));
  writeFileSync(b, jsonlText(second.lines));
  writeFileSync(join(folder, 'run_a_rollouts_materialized_inputs.jsonl'), jsonlText(first.materializedInputs));
  writeFileSync(
    join(folder, 'run_a_rollouts_failures.jsonl'),
    jsonlText([
      JSON.stringify({ _ng_task_index: 13, _ng_rollout_index: 0, _ng_attempt_index: 2, _ng_failure_class: 'model_error', _ng_failure_message: 'HTTP 429 from the policy endpoint after 3 attempts: rate limited', upstream_status: 429 }),
      JSON.stringify({ _ng_task_index: 2, _ng_rollout_index: 1, _ng_attempt_index: 0, _ng_failure_class: 'model_timeout', _ng_failure_message: 'no answer in 600 s' }),
    ]),
  );
  return { a, b };
}

/** Switches the color theme in the workspace settings (the editor applies them as they change; no reload). */
async function useTheme(theme: (typeof THEMES)[number]): Promise<void> {
  setWorkspaceSetting(workspace.folder, 'workbench.colorTheme', theme.setting);
  await waitForThemeClass(workbench.page, theme.workbenchClass);
  await showGymRollouts(workbench.page);
}

/** Selects the two rollout files in the explorer and runs Compare Rollout Files from its context menu. */
async function compareFromExplorer(screenshot: string | null): Promise<void> {
  const { page } = workbench;
  await command('View: Show Explorer');
  const explorer = page.locator('.explorer-folders-view');
  await poll('the rollout files in the explorer', () => listRowTexts(explorer.locator('.monaco-list-row')), (rows) => rows.some((row) => row.startsWith('run_b_rollouts.jsonl')), 30_000);
  const first = explorer.getByRole('treeitem', { name: 'run_a_rollouts.jsonl', exact: true });
  const second = explorer.getByRole('treeitem', { name: 'run_b_rollouts.jsonl', exact: true });
  const selected = () => explorer.locator('.monaco-list-row[aria-selected="true"]').count();
  // Right after a window reload the explorer may still re-render and drop a selection: select again until both hold.
  for (let attempt = 1; ; attempt++) {
    // A right click selects without opening (a click would open the file, and its viewer would take the focus).
    await first.click({ button: 'right' });
    await contextMenuShown(page);
    await page.keyboard.press('Escape');
    // Ctrl+click adds the second file to the selection without opening it.
    await second.click({ modifiers: ['Control'] });
    try {
      await poll('two selected files', selected, (count) => count === 2, 5_000);
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  // A hover of the first file may still cover the second: move away and let it go.
  await page.mouse.move(900, 700);
  await page.locator('.context-view .hover-contents').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
  await second.click({ button: 'right' });
  await contextMenuShown(page);
  if (screenshot) await workbench.screenshot(screenshot);
  await chooseMenuItem(page, 'Compare Rollout Files');
}

/** Opens a file of the workspace folder by double-clicking it in the explorer. */
async function openFromExplorer(name: string): Promise<void> {
  const { page } = workbench;
  await command('View: Show Explorer');
  await page.locator('.explorer-folders-view').getByRole('treeitem', { name, exact: true }).dblclick();
  await page.locator('.tab', { hasText: name }).first().waitFor({ state: 'visible', timeout: 30_000 });
}

async function viewerFrame(selector: string, what: string) {
  const frames = await poll(what, () => webviewFrames(workbench.page, selector), (found) => found.length > 0, 90_000);
  return frames[0]!;
}

/** Steps through the Collect Rollouts input, giving the output file at the last step. */
async function collect(output: string): Promise<void> {
  const { page } = workbench;
  await openFile(page, 'tasks.jsonl');
  await command('Gym Rollouts: Collect Rollouts');
  // Agent, rows, repeats, parallelism, temperature, max output tokens, output, then the summary to confirm.
  for (let step = 1; step <= 8; step += 1) {
    await waitForQuickInput(page, `Collect Rollouts (${step}/8)`);
    await answerQuickInput(page, step === 3 ? '2' : step === 7 ? output : undefined);
  }
}

beforeAll(async () => {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const binary = ensureCodeServer(log);
  const vsix = packageVsix(ARTIFACTS);
  log(`packaged ${vsix.path}: ${vsix.bytes} bytes`);
  const base = join(tmpdir(), `gym-e2e-viewer-${process.pid}`);
  rmSync(base, { recursive: true, force: true });
  directories = { userDataDir: join(base, 'user-data'), extensionsDir: join(base, 'extensions'), configHome: join(base, 'xdg') };
  mkdirSync(join(directories.userDataDir, 'User'), { recursive: true });
  writeFileSync(join(directories.userDataDir, 'User/settings.json'), JSON.stringify({ ...USER_SETTINGS, 'workbench.colorTheme': 'Default Dark Modern' }, null, 2));
  installExtension(binary, directories, vsix.path);
  fake = await startFakeOpenAIServer({ script: async () => ({ items: [] }), apiKey: API_KEY, models: ['test-model'] });
  workspace = createWorkspace({ 'gymRollouts.policy.baseUrl': fake.url, 'gymRollouts.policy.modelName': 'test-model', 'gymRollouts.collection.parallelism': 2 });
  fake.setScript(oracleScript(workspace.taskRows));
  files = writeRolloutFiles(workspace.folder);
  await writeTimelineRollouts(workspace.folder);
  codeServer = await startCodeServer(binary, directories, workspace.folder, { NVIDIA_API_KEY: '', OPENAI_API_KEY: '', GYM_ROLLOUTS_CACHE: join(base, 'user-cache') });
  workbench = await openWorkbench(codeServer.url, workspace.folder, ARTIFACTS);
}, 20 * 60_000);

afterAll(async () => {
  await workbench?.close().catch(() => undefined);
  await codeServer?.stop();
  await fake?.close();
  if (codeServer) writeFileSync(join(ARTIFACTS, 'code-server.log'), codeServer.output.join(''));
  if (directories) rmSync(join(directories.userDataDir, '..'), { recursive: true, force: true });
  if (workspace) rmSync(workspace.folder, { recursive: true, force: true });
}, 120_000);

beforeEach((context) => {
  context.onTestFailed(async () => {
    await workbench?.screenshot(`FAILED-${context.task.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
  });
});

describe('the rollout viewer in code-server', () => {
  it('compares two rollout files selected in the explorer, opening on the compare tab', async () => {
    const { page } = workbench;
    // The extension's menus are there once its container is.
    await showGymRollouts(page);
    await poll('the dark theme', () => page.locator('.monaco-workbench').first().getAttribute('class'), (value) => (value ?? '').includes('vs-dark'), 60_000);
    await command('View: Show Explorer');
    const explorer = page.locator('.explorer-folders-view');
    const first = explorer.getByRole('treeitem', { name: 'run_a_rollouts.jsonl', exact: true });
    await poll('the rollout files in the explorer', () => listRowTexts(explorer.locator('.monaco-list-row')), (rows) => rows.some((row) => row.startsWith('run_b_rollouts.jsonl')), 30_000);
    // One file selected: the command is not offered (it needs two).
    await first.click({ button: 'right' });
    await contextMenuShown(page);
    await page.locator('.context-view .monaco-menu .action-label', { hasText: 'Open Rollout Viewer' }).waitFor();
    expect(await page.locator('.context-view .monaco-menu .action-label', { hasText: 'Compare Rollout Files' }).count()).toBe(0);
    await page.keyboard.press('Escape');
    await compareFromExplorer('explorer-compare-menu');

    const viewer = await viewerFrame('.compare-significance', 'the compare tab');
    expect(await viewer.locator('.tab-compare').isVisible()).toBe(true);
    expect(await viewer.locator('.compare-file b').allTextContents()).toEqual(['run_a_rollouts.jsonl', 'run_b_rollouts.jsonl']);
    const expected = compareRollouts(new JoinedRollouts(await RolloutIndex.open(files.a)), new JoinedRollouts(await RolloutIndex.open(files.b)), { primary: 'a', compare: 'b' });
    const block = viewer.locator('.compare-significance');
    expect(Number(await block.getAttribute('data-p-bootstrap'))).toBe(expected.significance?.bootstrap.pValue);
    expect(Number(await block.getAttribute('data-p-sign'))).toBe(expected.significance?.signTest.pValue);
    expect(await viewer.locator('.compare-rates th', { hasText: 'pass@3' }).count()).toBe(1);
    expect(await viewer.locator('.chip[data-filter="regression"] .chip-count').textContent()).toBe(String(expected.counts.regression));
    await workbench.screenshot('compare-from-explorer-dark');
  });

  it('shows the failures file in the failures tab, with the input row of a failed task', async () => {
    const { page } = workbench;
    await command('View: Close All Editors');
    await command('View: Show Explorer');
    await page.locator('.explorer-folders-view').getByRole('treeitem', { name: 'run_a_rollouts.jsonl', exact: true }).dblclick();
    const viewer = await viewerFrame('vscode-tab-header[data-tab="failures"]', 'the rollout editor');
    await viewer.locator('vscode-tab-header[data-tab="failures"]').click();
    const rows = viewer.locator('.tab-failures .failure-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    expect(await viewer.locator('.tab-failures .failure-classes .chip').allTextContents()).toEqual(['All2', 'model_error1', 'model_timeout1']);
    await viewer.locator('.tab-failures .failure-row[data-task="2"]').click();
    await viewer.locator('.tab-failures .input-json').waitFor();
    expect(await viewer.locator('.tab-failures .input-json').textContent()).toContain('"_ng_task_index": 2');
    // Task 13 is in no input row: the tab says so rather than showing nothing.
    await viewer.locator('.tab-failures .failure-row[data-task="13"]').click();
    await viewer.locator('.tab-failures .failure-input .warn-text', { hasText: 'Task 13 is not in' }).waitFor();
    await viewer.locator('.tab-failures .failure-row[data-task="2"]').click();
    await viewer.locator('.tab-failures .input-json').waitFor();
    await workbench.screenshot('failures-tab-dark');
  });

  it('renders a message as Markdown and opens the JSONL at the rollout line', async () => {
    const { page } = workbench;
    const viewer = await viewerFrame('vscode-tab-header[data-tab="rollouts"]', 'the rollout editor');
    await viewer.locator('vscode-tab-header[data-tab="rollouts"]').click();
    const last = 36;
    await viewer.locator('.tab-rollouts .vlist').focus();
    await viewer.locator('.tab-rollouts .vlist').press('End');
    await viewer.locator(`.tab-rollouts .detail-pane[data-entry="${last}"]`).waitFor();
    const message = viewer.locator('.tab-rollouts .detail-pane .msg.assistant .msg-text.md').last();
    expect(await message.locator('strong').textContent()).toBe('Done.');
    expect(await message.textContent()).toContain('<script>window.__pwned=1</script>');
    expect(await viewer.locator('#app script, #app a[href]').count()).toBe(0);
    await workbench.screenshot('markdown-dark');
    // Figures for the benchmark section (not asserted): request-to-DOM times the page recorded in the real webview.
    for (let k = 0; k < 20; k++) await viewer.locator('.tab-rollouts .vlist').press(k % 2 === 0 ? 'Home' : 'End');
    await viewer.locator(`.tab-rollouts .detail-pane[data-entry="${last}"]`).waitFor();
    const perf = await viewer.evaluate(() => (window as unknown as { gymRolloutsViewer: { perf: unknown } }).gymRolloutsViewer.perf);
    writeFileSync(join(ARTIFACTS, 'webview-perf.json'), `${JSON.stringify(perf, null, 1)}\n`);
    await viewer.locator('.tab-rollouts .detail-pane .detail-header .raw-line-button').click();
    // A text editor beside the viewer, on line 37.
    const editor = page.locator('.editor-group-container .tab', { hasText: 'run_a_rollouts.jsonl' });
    await poll('the JSONL in a text editor', () => editor.count(), (count) => count >= 2, 30_000);
    await poll('line 37 in the status bar', () => page.locator('.statusbar-item', { hasText: /Ln 37, Col 1/ }).count(), (count) => count > 0, 30_000);
    await workbench.screenshot('raw-line-in-editor');
    await command('View: Close Editor');
  });

  it('shows a viewer that was hidden again from the host\'s snapshot: its rows at once, then the live list', async () => {
    const { page } = workbench;
    await command('View: Close All Editors');
    await openFromExplorer('run_a_rollouts.jsonl');
    await viewerFrame('.tab-rollouts .vrow .pill:not(.none)', 'the rollout editor');
    // Another editor in the same group hides the viewer; VS Code drops its page.
    await openFromExplorer('tasks.jsonl');
    await page.locator('.tab', { hasText: 'run_a_rollouts.jsonl' }).first().click();
    const viewer = await viewerFrame('#viewer-boot', 'the viewer shown again, with the host\'s snapshot in its page');
    await viewer.locator('.boot-preview').waitFor({ state: 'hidden' });
    await viewer.locator('.tab-rollouts .vrow .pill:not(.none)').first().waitFor();
    expect(await viewer.locator('.tab-rollouts .list-status').textContent()).toContain('37 rollouts');
    const perf = await poll(
      'the page\'s paint times',
      () => viewer.evaluate(() => (window as unknown as { gymRolloutsViewer: { perf: { firstRowsAt: number | null; liveRowsAt: number | null } } }).gymRolloutsViewer.perf),
      (p) => p.liveRowsAt !== null,
      30_000,
    );
    expect(perf.firstRowsAt).not.toBeNull();
    expect(perf.firstRowsAt as number).toBeLessThanOrEqual(perf.liveRowsAt as number);
    // The live list answers: a click opens the rollout.
    await viewer.locator('.tab-rollouts .vlist .vrow[data-entry="4"]').click();
    await viewer.locator('.tab-rollouts .detail-pane[data-entry="4"]').waitFor();
    await workbench.screenshot('viewer-shown-again-dark');
  });

  it('looks right in the light, dark and high-contrast themes', async () => {
    for (const theme of THEMES) {
      await useTheme(theme);
      await command('View: Close All Editors');
      await compareFromExplorer(null);
      const compare = await viewerFrame('.compare-significance', 'the compare tab');
      await compare.locator('.compare-row').first().click();
      await compare.locator('.tab-compare .detail-pane[data-entry]').waitFor();
      await workbench.screenshot(`viewer-compare-${theme.name}`);
      // Opened from the explorer: quick open ranks the files opened last first, whatever is typed.
      await command('View: Close All Editors');
      await openFromExplorer(TIMELINE_FILE);
      const timeline = await viewerFrame('vscode-tab-header[data-tab="rollouts"]', 'the rollout editor of the collected rollouts');
      await timeline.locator('vscode-tab-header[data-tab="rollouts"]').click();
      await timeline.locator('.tab-rollouts .detail-pane[data-entry="0"] .timeline .tl-item').first().waitFor();
      // In a narrow editor the verification comes first: bring the timeline into view.
      await timeline.locator('.tab-rollouts .detail-pane .timeline').scrollIntoViewIfNeeded();
      await workbench.screenshot(`viewer-timeline-${theme.name}`);
      await command('View: Close All Editors');
      await openFromExplorer('run_a_rollouts.jsonl');
      const viewer = await viewerFrame('vscode-tab-header[data-tab="failures"]', 'the rollout editor');
      for (const tab of ['summary', 'rollouts', 'failures'] as const) {
        await viewer.locator(`vscode-tab-header[data-tab="${tab}"]`).click();
        await viewer.locator(`.tab-${tab}`).waitFor({ state: 'visible' });
        if (tab === 'rollouts') await viewer.locator('.tab-rollouts .detail-pane[data-entry]').waitFor();
        if (tab === 'summary') await viewer.locator('.summary-view .card').first().waitFor();
        if (tab === 'failures') {
          await viewer.locator('.tab-failures .failure-row[data-task="2"]').click();
          await viewer.locator('.tab-failures .input-json').waitFor();
        }
        await workbench.screenshot(`viewer-${tab}-${theme.name}`);
      }
    }
    await useTheme(THEMES[1]);
  });

  it('shows the turn timeline of a collected rollout, each item leading to its place in the conversation', async () => {
    const { page } = workbench;
    await command('View: Close All Editors');
    await openFile(page, TIMELINE_FILE);
    const viewer = await viewerFrame('vscode-tab-header[data-tab="rollouts"]', 'the rollout editor of the collected rollouts');
    await viewer.locator('vscode-tab-header[data-tab="rollouts"]').click();
    const timeline = viewer.locator('.tab-rollouts .detail-pane[data-entry="0"] .timeline');
    await timeline.locator('.tl-item').first().waitFor();
    expect(await timeline.locator('.tl-item.model').count()).toBe(3);
    expect(await timeline.locator('.tl-item.model.retried .tl-mark.retried').textContent()).toBe('2 attempts');
    expect(await timeline.locator('.tl-item.tool.error .tl-mark.error').textContent()).toBe('HTTP 422');
    await timeline.scrollIntoViewIfNeeded();
    await workbench.screenshot('timeline-dark');
    await timeline.locator('.tl-item.tool.error').click();
    await viewer.locator('.tab-rollouts .detail-pane .conversation > .step[data-step="1"].turn-target').waitFor();
    await workbench.screenshot('timeline-step-dark');
    // The next rollout was stopped at max_steps.
    await viewer.locator('.tab-rollouts .vlist').focus();
    await viewer.locator('.tab-rollouts .vlist').press('j');
    await viewer.locator('.tab-rollouts .detail-pane[data-entry="1"] .timeline .tl-stop').waitFor();
    expect(await viewer.locator('.tab-rollouts .detail-pane .timeline .tl-stop').textContent()).toContain('Stopped at max_steps (6)');
    await workbench.screenshot('timeline-max-steps-dark');
  });

  it('reverifies a rollout file from the explorer, tells which rewards flipped, and compares the two', async () => {
    const { page } = workbench;
    await command('View: Close All Editors');
    await clearNotifications(page);
    await command('View: Show Explorer');
    const item = page.locator('.explorer-folders-view').getByRole('treeitem', { name: TIMELINE_FILE, exact: true });
    await item.click({ button: 'right' });
    await contextMenuShown(page);
    await chooseMenuItem(page, 'Reverify Rollouts');
    const flipped = /Reverified timeline_rollouts\.jsonl: 1 of 3 reward\(s\) changed: 1 now pass\./;
    await waitForNotification(page, flipped, 180_000);
    await workbench.screenshot('reverify-notification');
    await notificationAction(flipped, 'Compare in Viewer');
    const viewer = await viewerFrame('.compare-header .compare-file', 'the reverified file compared with the original');
    expect(await viewer.locator('.compare-file b').allTextContents()).toEqual(['timeline_rollouts_reverified.jsonl', TIMELINE_FILE]);
    await poll('one fix', () => viewer.locator('.chip[data-filter="fix"] .chip-count').textContent(), (count) => count === '1', 30_000);
    expect(await viewer.locator('.chip[data-filter="regression"] .chip-count').textContent()).toBe('0');
    await workbench.screenshot('reverify-compare-dark');
    expect(existsSync(join(workspace.folder, 'timeline_rollouts_reverified.jsonl'))).toBe(true);
  });

  it('compares two runs from the Runs view', async () => {
    const { page } = workbench;
    await command('View: Close All Editors');
    await command('Gym Rollouts: Set API Key');
    await waitForQuickInput(page, /API key of the policy endpoint/);
    await answerQuickInput(page, API_KEY);
    await waitForNotification(page, 'API key stored');
    await clearNotifications(page);
    const outputs = [join(workspace.folder, 'tasks_rollouts.jsonl'), join(workspace.folder, 'tasks_again_rollouts.jsonl')];
    for (const output of outputs) {
      await collect(output);
      const expected = workspace.counts.tasks * 2;
      await poll(`the rollouts of ${output}`, () => (existsSync(output) ? readFileSync(output, 'utf8').split('\n').filter(Boolean).length : 0), (lines) => lines >= expected, 240_000, 1_000);
      await showGymRollouts(page);
      await poll('the finished run', () => rowTexts(page, 'Runs'), (rows) => rows.filter((row) => row.includes('completed')).length >= outputs.indexOf(output) + 1, 60_000);
    }
    await viewRows(page, 'Runs').filter({ hasText: 'tasks_rollouts.jsonl' }).first().click({ button: 'right' });
    await contextMenuShown(page);
    await chooseMenuItem(page, 'Compare Rollout Files');
    await waitForQuickInput(page, /with which run/);
    await workbench.screenshot('runs-compare-pick');
    await answerQuickInput(page);
    const viewer = await viewerFrame('.compare-header .compare-file', 'the compare tab of two runs');
    await viewer.locator('.compare-significance, .compare-header .muted').first().waitFor();
    const names = await viewer.locator('.compare-file b').allTextContents();
    expect(new Set(names)).toEqual(new Set(['tasks_rollouts.jsonl', 'tasks_again_rollouts.jsonl']));
    expect(await viewer.locator('.tab-compare').isVisible()).toBe(true);
    // The oracle agent passes every task both times: nothing regressed.
    expect(await viewer.locator('.chip[data-filter="regression"] .chip-count').textContent()).toBe('0');
    await workbench.screenshot('compare-from-runs-dark');

    // Reverify a run from the Runs view: the oracle's rewards stay.
    await command('View: Close All Editors');
    await clearNotifications(page);
    await showGymRollouts(page);
    await viewRows(page, 'Runs').filter({ hasText: 'tasks_rollouts.jsonl' }).first().click({ button: 'right' });
    await contextMenuShown(page);
    await chooseMenuItem(page, 'Reverify Rollouts');
    await waitForNotification(page, new RegExp(`Reverified .*: No reward changed in ${workspace.counts.tasks * 2} rollout\\(s\\)\\.`), 180_000);
    await workbench.screenshot('reverify-from-runs');
    await clearNotifications(page);

    // Reveal Failures opens the viewer on its failures tab (the run's failures file, written here).
    for (const output of outputs) {
      writeFileSync(outputPaths(output).failures, jsonlText([JSON.stringify({ _ng_task_index: 1, _ng_rollout_index: 0, _ng_attempt_index: 2, _ng_failure_class: 'model_error', _ng_failure_message: 'HTTP 500 after 3 attempts', _ng_failure_terminal: false })]));
    }
    await viewRows(page, 'Runs').filter({ hasText: 'tasks_rollouts.jsonl' }).first().click({ button: 'right' });
    await contextMenuShown(page);
    await chooseMenuItem(page, 'Reveal Failures');
    const failures = await viewerFrame('.tab-failures .failure-row', 'the failures tab');
    expect(await failures.locator('.tab-failures').isVisible()).toBe(true);
    expect(await failures.locator('.tab-failures .failure-row').count()).toBe(1);
    await workbench.screenshot('reveal-failures-tab-dark');
  });
});
