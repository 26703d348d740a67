/**
 * The packaged extension in a real VS Code (code-server) driven through headless Chromium: install the .vsix,
 * open a workspace with task files, collect rollouts from the command palette and the explorer context menu
 * against a local OpenAI-compatible server, watch the Runs view, open the viewer, validate a broken dataset,
 * kill the host mid-run and see the run resume. Screenshots of every step go to .test-artifacts/vscode/.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { oracleScript, startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake_openai';
import { ensureCodeServer, installExtension, startCodeServer, type CodeServerDirectories, type RunningCodeServer } from './support/code_server';
import { packageVsix, REPO_ROOT, type PackagedVsix } from './support/package_vsix';
import {
  answerQuickInput,
  chooseMenuItem,
  clearNotifications,
  contextMenuShown,
  expandRow,
  listRowTexts,
  openFile,
  openWorkbench,
  poll,
  problemsText,
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
import { BROKEN_EXPECTATIONS, createWorkspace, setWorkspaceSetting, USER_SETTINGS, type TestWorkspace } from './support/workspace';

const ARTIFACTS = join(REPO_ROOT, '.test-artifacts/vscode');
const API_KEY = 'e2e-test-key-5f0c2a9d1b';

let vsix: PackagedVsix;
let fake: FakeOpenAIServer;
let workspace: TestWorkspace;
let directories: CodeServerDirectories;
let codeServer: RunningCodeServer;
let workbench: Workbench;

function log(message: string): void {
  process.stdout.write(`[vscode e2e] ${message}\n`);
}

interface OutputLine {
  reward: number;
  _ng_task_index: number;
  _ng_rollout_index: number;
}

function outputLines(path: string): OutputLine[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as OutputLine];
      } catch {
        return [];
      }
    });
}

/**
 * Steps through the Collect Rollouts input (agent, limit, repeats, parallelism, temperature, max tokens, output),
 * then the summary, whose first choice starts the collection.
 */
async function answerCollectWizard(page: Workbench['page'], answers: { repeats?: string; beforeStart?: () => Promise<void> } = {}): Promise<void> {
  for (let step = 1; step <= 7; step += 1) {
    await waitForQuickInput(page, `Collect Rollouts (${step}/8)`);
    await answerQuickInput(page, step === 3 ? answers.repeats : undefined);
  }
  await waitForQuickInput(page, 'Collect Rollouts (8/8)');
  await answers.beforeStart?.();
  await page.keyboard.press('Enter');
}

/** The output a run of `stem.jsonl` wrote into `folder` (named `<stem>_<start time>_rollouts.jsonl`), newest first. */
function runOutputs(folder: string, stem: string): string[] {
  if (!existsSync(folder)) return [];
  const pattern = new RegExp(`^${stem}_\\d{8}-\\d{6}_rollouts\\.jsonl$`);
  return readdirSync(folder).filter((name) => pattern.test(name)).sort().reverse().map((name) => join(folder, name));
}

/** A run's row in the Runs view: its label is the output file, `<stem>_<start time>_rollouts.jsonl`. */
const runRow = (stem: string) => new RegExp(`^${stem}_\\d{8}-\\d{6}_rollouts\\.jsonl`);

/** Puts the workspace in a color theme (undefined: the default) and waits until the workbench wears it. */
async function wearColorTheme(page: Page, theme: string | undefined, workbenchClass: string): Promise<void> {
  setWorkspaceSetting(workspace.folder, 'workbench.colorTheme', theme);
  await waitForThemeClass(page, workbenchClass);
}

/** Opens a file of the workspace from the Explorer (Quick Open does not list files it has not indexed yet). */
async function openFromExplorer(page: Workbench['page'], folder: string, name: string): Promise<void> {
  await runCommand(page, 'View: Show Explorer');
  const explorer = page.locator('.explorer-folders-view');
  const folderItem = explorer.getByRole('treeitem', { name: folder, exact: true });
  await folderItem.waitFor({ timeout: 60_000 });
  if ((await folderItem.getAttribute('aria-expanded')) !== 'true') await folderItem.click();
  const item = explorer.getByRole('treeitem', { name, exact: true });
  await item.waitFor({ timeout: 60_000 });
  await item.dblclick();
}

/** Clicks a button of the modal dialog showing `text`. */
async function answerDialog(page: Workbench['page'], text: string | RegExp, button: string): Promise<void> {
  const dialog = page.locator('.monaco-dialog-box', { hasText: text });
  await dialog.waitFor({ state: 'visible', timeout: 60_000 });
  await dialog.locator('.monaco-button', { hasText: button }).first().click();
  await dialog.waitFor({ state: 'hidden' });
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function filesUnder(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

beforeAll(async () => {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const binary = ensureCodeServer(log);
  vsix = packageVsix(ARTIFACTS);
  log(`packaged ${vsix.path}: ${vsix.bytes} bytes, ${vsix.files.length} files`);
  writeFileSync(join(ARTIFACTS, 'vsix-contents.txt'), `${vsix.bytes} bytes\n${vsix.files.join('\n')}\n`);

  const base = join(tmpdir(), `gym-e2e-vscode-${process.pid}`);
  rmSync(base, { recursive: true, force: true });
  directories = { userDataDir: join(base, 'user-data'), extensionsDir: join(base, 'extensions'), configHome: join(base, 'xdg') };
  mkdirSync(join(directories.userDataDir, 'User'), { recursive: true });
  writeFileSync(join(directories.userDataDir, 'User/settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  installExtension(binary, directories, vsix.path);

  fake = await startFakeOpenAIServer({ script: async () => ({ items: [] }), apiKey: API_KEY, models: ['test-model', 'test-model-large'] });
  workspace = createWorkspace({
    'gymRollouts.policy.baseUrl': fake.url,
    'gymRollouts.policy.modelName': 'test-model',
    'gymRollouts.collection.parallelism': 2,
  });
  fake.setScript(oracleScript(workspace.taskRows));

  // The key must come from secret storage (Set API Key), not from the environment of the test run. No data
  // directory is set and the user cache is empty, so the servers use the tables shipped in the .vsix.
  codeServer = await startCodeServer(binary, directories, workspace.folder, { NVIDIA_API_KEY: '', OPENAI_API_KEY: '', GYM_ROLLOUTS_CACHE: join(base, 'user-cache') });
  workbench = await openWorkbench(codeServer.url, workspace.folder, ARTIFACTS);
}, 20 * 60_000);

afterAll(async () => {
  await workbench?.close().catch(() => undefined);
  await codeServer?.stop();
  await fake?.close();
  if (codeServer) writeFileSync(join(ARTIFACTS, 'code-server.log'), codeServer.output.join(''));
  // The extension host's log and our output channel, for reading after a failure.
  const logs = join(directories?.userDataDir ?? '/nonexistent', 'logs');
  for (const file of filesUnder(logs)) {
    if (/remoteexthost|Gym Rollouts/.test(file)) writeFileSync(join(ARTIFACTS, `log-${file.slice(logs.length + 1).replaceAll('/', '-')}`), readFileSync(file));
  }
  if (directories) rmSync(join(directories.userDataDir, '..'), { recursive: true, force: true });
  if (workspace) rmSync(workspace.folder, { recursive: true, force: true });
}, 120_000);

beforeEach((context) => {
  context.onTestFailed(async () => {
    await workbench?.screenshot(`FAILED-${context.task.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
  });
});

describe('the packaged extension in code-server', () => {
  it('holds only what it needs in the .vsix', () => {
    const listed = vsix.files.join('\n');
    expect(listed).toContain('dist/extension.js');
    expect(listed).toContain('dist/host.js');
    expect(listed).toContain('dist/regex_worker.js');
    expect(listed).toContain('dist/THIRD_PARTY_NOTICES.txt');
    expect(listed).toContain('configs/openai_model.yaml');
    expect(listed).not.toMatch(/(^|\n)(src|test|node_modules|bench)\//);
    expect(listed).not.toMatch(/\.map(\n|$)/);
    expect(listed).not.toContain('shared');
    expect(listed).not.toContain('fixtures');
    for (const file of ['analytics_data.csv', 'calendar_events.csv', 'customer_relationship_manager_data.csv', 'emails.csv', 'project_tasks.csv', 'NOTICE', 'LICENSE']) {
      expect(vsix.files).toContain(`data/workplace_assistant/${file}`);
    }
  });

  it('shows its activity-bar container with the Servers and Runs views', async () => {
    const { page } = workbench;
    await showGymRollouts(page);
    await poll('the Servers view', () => rowTexts(page, 'Servers'), (rows) => rows.some((row) => row.includes('Host process')));
    const servers = await rowTexts(page, 'Servers');
    expect(servers.join('\n')).toContain('not running');
    expect(servers.join('\n')).toContain('test-model');
    await page.locator('.statusbar-item', { hasText: 'Gym: servers stopped' }).first().waitFor();
    await workbench.screenshot('views');
  });

  it('stores the API key with Set API Key and never shows it', async () => {
    const { page } = workbench;
    await runCommand(page, 'Gym Rollouts: Set API Key');
    await waitForQuickInput(page, /API key of the policy endpoint/);
    await answerQuickInput(page, API_KEY);
    await waitForNotification(page, 'API key stored');
    await poll('the key source in the Servers view', () => rowTexts(page, 'Servers'), (rows) => rows.some((row) => row.includes('secret storage')));
    expect((await rowTexts(page, 'Servers')).join('\n')).not.toContain(API_KEY);
    await workbench.screenshot('api-key-stored');
    await clearNotifications(page);
  });

  it('puts the problems of a broken task file in the Problems panel', async () => {
    const { page } = workbench;
    await openFile(page, 'broken.jsonl');
    await runCommand(page, 'Gym Rollouts: Validate Dataset');
    const problems = await poll('the Problems panel', () => problemsText(page), (rows) => BROKEN_EXPECTATIONS.every((text) => rows.some((row) => row.includes(text))), 60_000);
    expect(problems.join('\n')).toContain('Gym Rollouts');
    await workbench.screenshot('validate-dataset-problems');
  });

  it('offers a Quick Fix that writes a sanitized copy', async () => {
    const { page } = workbench;
    // The problem's entry puts the cursor on the "database" key; Ctrl+. shows the fixes there.
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'non-standard key "database"' }).first().click();
    const fix = page.getByText('Write a sanitized copy of this dataset').first();
    await poll(
      'the Quick Fix menu',
      async () => {
        if (!(await fix.isVisible())) await page.keyboard.press('Control+.');
        return fix.isVisible();
      },
      Boolean,
      30_000,
      1_500,
    );
    await workbench.screenshot('quick-fix');
    await fix.click();
    const copy = join(workspace.folder, 'broken.sanitized.jsonl');
    await poll('the sanitized copy', () => existsSync(copy), Boolean, 30_000);
    expect(readFileSync(copy, 'utf8')).not.toContain('"database"');
    expect(readFileSync(workspace.files.broken, 'utf8')).toContain('"database"');
    await page.locator('.tab', { hasText: 'broken.sanitized.jsonl' }).first().waitFor();
    await workbench.screenshot('sanitized-copy');
    await runCommand(page, 'View: Close All Editors');
    // The Problems panel has served its purpose; Ctrl+J hides it so the next steps have room.
    if (await page.locator('.part.panel').isVisible()) await page.keyboard.press('Control+J');
  });

  it('collects rollouts from the command palette and shows the finished run', async () => {
    const { page } = workbench;
    await openFile(page, 'tasks.jsonl');
    await runCommand(page, 'Gym Rollouts: Collect Rollouts');
    await answerCollectWizard(page, { repeats: '2', beforeStart: () => workbench.screenshot('collect-summary').then(() => undefined) });
    await workbench.screenshot('collect-started');
    // The default output folder: rollouts/, the file named by input and start time.
    const [output] = await poll('the output file in rollouts/', () => runOutputs(join(workspace.folder, 'rollouts'), 'tasks'), (found) => found.length === 1, 60_000);
    const expected = workspace.counts.tasks * 2;
    const lines = await poll('the output file', () => outputLines(output!), (found) => found.length >= expected, 240_000, 1_000);
    expect(lines).toHaveLength(expected);
    expect(lines.map((line) => line.reward)).toEqual(Array(expected).fill(1));
    await waitForNotification(page, new RegExp(`Collected ${expected}/${expected} rollouts into rollouts/tasks_\\d{8}-\\d{6}_rollouts\\.jsonl`));
    await showGymRollouts(page);
    const run = await poll('the finished run in the Runs view', () => rowTexts(page, 'Runs'), (rows) => rows.some((row) => runRow('tasks').test(row) && row.includes('completed') && row.includes('mean 1.00')), 60_000);
    expect(run.join('\n')).toContain(`${expected}/${expected}`);
    expect(run.join('\n')).toContain('workplace_assistant_simple_agent · test-model');
    expect(fake.modelRequests().every((request) => request.authorization === 'matched')).toBe(true);
    await workbench.screenshot('collect-finished');
    await clearNotifications(page);

    // Children: categories, then tasks with their rewards and what they ask.
    await expandRow(viewRows(page, 'Runs').filter({ hasText: runRow('tasks') }).first());
    await poll('categories of the run', () => rowTexts(page, 'Runs'), (rows) => rows.some((row) => row.startsWith('workplace_assistant_email')), 30_000);
    await expandRow(viewRows(page, 'Runs').filter({ hasText: 'workplace_assistant_email' }).first());
    await poll('tasks with rewards and prompts', () => rowTexts(page, 'Runs'), (rows) => rows.some((row) => /task \d+.*rewards 1, 1 · \S/.test(row)), 30_000);
    await workbench.screenshot('run-tree');
  });

  it('shows the server status and dumps the config, with the key masked', async () => {
    const { page } = workbench;
    // Editors render spaces as no-break spaces.
    const editorText = async () => (await page.locator('.editor-instance .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
    // The status opens as a Markdown preview of a read-only document, not as an unsaved Untitled file.
    await runCommand(page, 'Gym Rollouts: Show Server Status');
    const previewText = async () => {
      for (const frame of await webviewFrames(page, 'body')) {
        const text = await frame.locator('body').innerText().catch(() => '');
        if (text.includes('server status')) return text;
      }
      return '';
    };
    const status = await poll('the status preview', previewText, (text) => text.includes('workplace_assistant_simple_agent') && text.includes('success'), 30_000);
    // The tables shipped in the .vsix, found with no setting, no NeMo Gym checkout and an empty user cache
    // (the editor wraps long lines, so whitespace is ignored).
    expect(status.replace(/\s+/g, '')).toContain(`Datadirectory:${directories.extensionsDir}/gym-rollouts.gym-rollouts-0.1.0/data/workplace_assistant`);
    expect(await page.locator('.tab', { hasText: 'Untitled' }).count()).toBe(0);
    await workbench.screenshot('server-status');
    await runCommand(page, 'Gym Rollouts: Dump Config');
    await poll('the config dump', editorText, (text) => text.includes('Config served by the head server') && text.includes('policy_model:'), 30_000);
    await workbench.screenshot('dump-config');
    const documents = await page.locator('.editor-instance .view-lines').allInnerTexts();
    expect(documents.join('\n')).not.toContain(API_KEY);
    expect(await page.locator('.tab', { hasText: 'Untitled' }).count()).toBe(0);
    await runCommand(page, 'View: Close All Editors');
  });

  it('opens the viewer at a chosen rollout', async () => {
    const { page } = workbench;
    await viewRows(page, 'Runs').filter({ hasText: runRow('tasks') }).first().click({ button: 'right' });
    await chooseMenuItem(page, 'Open in Rollout Viewer');
    await waitForQuickInput(page, /Open which rollout/);
    await answerQuickInput(page);
    const frames = await poll('the viewer webview', () => webviewFrames(page, '#app *'), (found) => found.length > 0, 60_000);
    const text = await frames[0]!.locator('#app').innerText();
    expect(text.length).toBeGreaterThan(20);
    await workbench.screenshot('viewer');
    await runCommand(page, 'View: Close All Editors');
  });

  it('opens a rollout file in the viewer editor: the summary, then one rollout', async () => {
    const { page } = workbench;
    await runCommand(page, 'View: Close All Editors');
    // Rollout outputs (`*rollouts.jsonl`) open in the viewer by default: a double click is all it takes.
    const [output] = runOutputs(join(workspace.folder, 'rollouts'), 'tasks');
    await openFromExplorer(page, 'rollouts', output!.slice(output!.lastIndexOf('/') + 1));
    const frames = await poll('the rollout editor', () => webviewFrames(page, '.summary-view .card, .vrow'), (found) => found.length > 0, 60_000);
    const viewer = frames[0]!;
    await viewer.locator('vscode-tab-header', { hasText: 'Summary' }).click();
    const card = (label: string) => viewer.locator('.card', { has: viewer.locator('.card-label', { hasText: new RegExp(`^${label}$`, 'i') }) }).locator('.card-value');
    await card('Rollouts').waitFor();
    expect((await card('Rollouts').textContent())?.trim()).toBe('6');
    expect((await card('Mean reward').textContent())?.trim()).toBe('1.000');
    await workbench.screenshot('viewer-editor-summary');
    await viewer.locator('vscode-tab-header', { hasText: 'Rollouts' }).click();
    await viewer.locator('.vrow[data-entry="3"]').click();
    await viewer.locator('.tab-rollouts .detail-pane[data-entry="3"]').waitFor();
    expect((await viewer.locator('.tab-rollouts .detail-pane .reward-big').textContent())?.trim()).toBe('1.0');
    expect(await viewer.locator('.tab-rollouts .detail-pane .step').count()).toBeGreaterThan(0);
    await workbench.screenshot('viewer-editor-rollout');
    await runCommand(page, 'View: Close All Editors');
  });

  it('collects rollouts through the explorer context menu', async () => {
    const { page } = workbench;
    await runCommand(page, 'View: Show Explorer');
    const explorer = page.locator('.explorer-folders-view');
    await explorer.getByRole('treeitem', { name: 'more_tasks.jsonl', exact: true }).waitFor();
    // The explorer re-renders as files appear: wait until it lists every file of the workspace.
    const files = readdirSync(workspace.folder);
    await poll('every workspace file in the explorer', () => listRowTexts(explorer.locator('.monaco-list-row')), (rows) => files.every((file) => rows.some((row) => row.split('\n')[0]?.trim() === file)), 30_000);
    const item = explorer.getByRole('treeitem', { name: 'more_tasks.jsonl', exact: true });
    await item.click({ button: 'right' });
    await poll('the right-clicked file to be selected', () => item.getAttribute('aria-selected'), (selected) => selected === 'true', 10_000);
    await contextMenuShown(page);
    await workbench.screenshot('explorer-context-menu');
    await chooseMenuItem(page, 'Collect Rollouts');
    await answerCollectWizard(page);
    const [output] = await poll('the output file in rollouts/', () => runOutputs(join(workspace.folder, 'rollouts'), 'more_tasks'), (found) => found.length === 1, 60_000);
    const lines = await poll('the output file', () => outputLines(output!), (found) => found.length >= workspace.counts.moreTasks, 240_000, 1_000);
    expect(lines.map((line) => line.reward)).toEqual(Array(workspace.counts.moreTasks).fill(1));
    await showGymRollouts(page);
    await poll('the second run', () => rowTexts(page, 'Runs'), (rows) => rows.some((row) => runRow('more_tasks').test(row) && row.includes('completed')), 60_000);
    await workbench.screenshot('explorer-collect-finished');
  });

  it('asks before collecting a file with invalid rows, then collects the valid ones and says so loudly', async () => {
    const { page } = workbench;
    await runCommand(page, 'View: Close All Editors');
    await openFile(page, 'broken.jsonl');
    await runCommand(page, 'Gym Rollouts: Collect Rollouts');
    await page.locator('.monaco-dialog-box', { hasText: 'that make rows invalid' }).waitFor({ timeout: 60_000 });
    await workbench.screenshot('invalid-rows-question');
    await answerDialog(page, 'that make rows invalid', 'Collect Valid Rows');
    await answerCollectWizard(page);
    const [output] = await poll('the output file in rollouts/', () => runOutputs(join(workspace.folder, 'rollouts'), 'broken'), (found) => found.length === 1, 60_000);
    const failuresPath = output!.replace(/\.jsonl$/, '_failures.jsonl');
    const failures = await poll(
      'the invalid rows in the failures file',
      () => outputLines(failuresPath) as unknown as { _ng_failure_class: string; input_line: number }[],
      (found) => found.length >= 3,
      120_000,
    );
    expect(failures.every((failure) => failure._ng_failure_class === 'invalid_row' && failure.input_line > 1)).toBe(true);
    await poll('the valid rows collected', () => outputLines(output!), (found) => found.length >= 1, 120_000);
    // Finished, but not clean: a warning with the way to the failures, not a green check.
    const toast = await waitForNotification(page, /Collected rollouts\/broken_\d{8}-\d{6}_rollouts\.jsonl with failures/);
    await toast.locator('.monaco-button', { hasText: 'Show Failures' }).first().waitFor();
    await showGymRollouts(page);
    await poll('the run marked as completed with failures', () => rowTexts(page, 'Runs'), (rows) => rows.some((row) => runRow('broken').test(row) && row.includes('completed with failures')), 60_000);
    const icon = await viewRows(page, 'Runs').filter({ hasText: runRow('broken') }).first().locator('.codicon-warning').count();
    expect(icon).toBe(1);
    await workbench.screenshot('invalid-rows-collected');
    await clearNotifications(page);
  });

  it('offers Collect · Validate · Open Results as CodeLens on a task file', async () => {
    const { page } = workbench;
    await runCommand(page, 'View: Close All Editors');
    await openFile(page, 'tasks.jsonl');
    const lens = (title: string) => page.locator('.codelens-decoration a', { hasText: title }).first();
    for (const title of ['Collect Rollouts', 'Validate', 'Open Results']) await lens(title).waitFor({ timeout: 60_000 });
    await workbench.screenshot('codelens');
    await lens('Validate').click();
    await waitForNotification(page, 'tasks.jsonl: no problems found.');
    await lens('Open Results').click();
    await poll('the viewer from the CodeLens', () => webviewFrames(page, '#app *'), (found) => found.length > 0, 60_000);
    await workbench.screenshot('codelens-open-results');
    await runCommand(page, 'View: Close All Editors');
    await clearNotifications(page);

    // Collect from the CodeLens, with the output folder set to results/ (the wizard shows where it will write;
    // the editor reads the changed settings file a moment later, so the lens is tried until it does).
    setWorkspaceSetting(workspace.folder, 'gymRollouts.collection.outputFolder', 'results');
    await openFile(page, 'more_tasks.jsonl');
    await poll(
      'the wizard to write into results/',
      async () => {
        await lens('Collect Rollouts').click();
        for (let step = 1; step <= 6; step += 1) {
          await waitForQuickInput(page, `Collect Rollouts (${step}/8)`);
          await answerQuickInput(page);
        }
        await waitForQuickInput(page, 'Collect Rollouts (7/8)');
        const value = await page.locator('.quick-input-widget input').inputValue();
        if (value.includes('/results/')) return true;
        await page.keyboard.press('Escape');
        return false;
      },
      Boolean,
      60_000,
      1_000,
    );
    await answerQuickInput(page);
    await waitForQuickInput(page, 'Collect Rollouts (8/8)');
    await page.keyboard.press('Enter');
    const [output] = await poll('the output file in results/', () => runOutputs(join(workspace.folder, 'results'), 'more_tasks'), (found) => found.length === 1, 60_000);
    await poll('the run into results/ to finish', () => outputLines(output!), (found) => found.length >= workspace.counts.moreTasks, 240_000, 1_000);
    setWorkspaceSetting(workspace.folder, 'gymRollouts.collection.outputFolder', undefined);
    await runCommand(page, 'View: Close All Editors');
    await clearNotifications(page);
  });

  it('runs a finished collection again, with the same options, into a new output', async () => {
    const { page } = workbench;
    await showGymRollouts(page);
    await viewRows(page, 'Runs').filter({ hasText: runRow('tasks') }).first().click({ button: 'right' });
    await contextMenuShown(page);
    await workbench.screenshot('run-again-menu');
    await chooseMenuItem(page, 'Run Again');
    const outputs = await poll('a second output of tasks.jsonl', () => runOutputs(join(workspace.folder, 'rollouts'), 'tasks'), (found) => found.length === 2, 60_000);
    const expected = workspace.counts.tasks * 2;
    const lines = await poll('the second run to finish', () => outputLines(outputs[0]!), (found) => found.length >= expected, 240_000, 1_000);
    expect(lines).toHaveLength(expected);
    await poll('both runs in the Runs view', () => rowTexts(page, 'Runs'), (rows) => rows.filter((row) => runRow('tasks').test(row) && row.includes('completed')).length === 2, 60_000);
    await workbench.screenshot('run-again-finished');
    await clearNotifications(page);
  });

  it('resumes a run after the host process is killed, writing every rollout once', async () => {
    const { page } = workbench;
    fake.setFaults({ decide: () => ({ kind: 'slow', delayMs: 600 }) });
    await openFile(page, 'long_tasks.jsonl');
    await runCommand(page, 'Gym Rollouts: Collect Rollouts');
    await answerCollectWizard(page, { repeats: '2' });
    const [output] = await poll('the output file in rollouts/', () => runOutputs(join(workspace.folder, 'rollouts'), 'long_tasks'), (found) => found.length === 1, 60_000);
    const expected = workspace.counts.longTasks * 2;
    await poll('the first rollouts', () => outputLines(output!), (found) => found.length >= 2, 240_000, 250);
    await showGymRollouts(page);
    const hostRow = (await rowTexts(page, 'Servers')).find((row) => row.includes('Host process')) ?? '';
    const pid = Number(/pid (\d+)/.exec(hostRow)?.[1]);
    expect(pid).toBeGreaterThan(0);
    await workbench.screenshot('before-kill');
    process.kill(pid, 'SIGKILL');
    log(`killed the host process ${pid} with ${outputLines(output!).length} of ${expected} rollouts written`);
    // The death is announced even though the host restarts by itself.
    await waitForNotification(page, /the host process stopped \(SIGKILL\); restarting it\. 1 running collection will resume/);
    await poll('a new host process', () => rowTexts(page, 'Servers'), (rows) => rows.some((row) => /running \(pid (\d+)\)/.test(row) && !row.includes(`pid ${pid})`)), 120_000);
    await workbench.screenshot('host-restarted');
    const lines = await poll('the resumed run to finish', () => outputLines(output!), (found) => found.length >= expected, 300_000, 1_000);
    fake.setFaults(undefined);
    const keys = lines.map((line) => `${line._ng_task_index}:${line._ng_rollout_index}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(expected);
    await poll('the resumed run completed in the Runs view', () => rowTexts(page, 'Runs'), (rows) => rows.some((row) => runRow('long_tasks').test(row) && row.includes('completed')), 60_000);
    await clearNotifications(page);
    await workbench.screenshot('resumed-run-completed');
  });

  it('shows a host that died again with its last lines, and restarts it on request', async () => {
    const { page } = workbench;
    const hostPid = async () => Number(/pid (\d+)/.exec((await rowTexts(page, 'Servers')).find((row) => row.includes('Host process')) ?? '')?.[1]);
    const pid = await hostPid();
    expect(pid).toBeGreaterThan(0);
    // The automatic restart was used by the previous test; a second death waits for the user.
    process.kill(pid, 'SIGKILL');
    await poll('the dead host in the Servers view', () => rowTexts(page, 'Servers'), (rows) => rows.some((row) => row.includes('stopped unexpectedly (killed by SIGKILL)')), 60_000);
    await waitForNotification(page, 'the host process stopped unexpectedly');
    // Its last log lines are listed under it.
    await poll('the last lines of the dead host', () => rowTexts(page, 'Servers'), (rows) => rows.length > 5 && rows.some((row) => row.includes('Collection') && row.includes('completed')), 30_000);
    await page.locator('.statusbar-item', { hasText: 'Gym: host stopped' }).first().waitFor();
    await workbench.screenshot('host-died');
    await clearNotifications(page);
    await runCommand(page, 'Gym Rollouts: Restart Servers');
    await poll('a restarted host with its servers', () => rowTexts(page, 'Servers'), (rows) => rows.some((row) => /running \(pid \d+\) · servers running/.test(row)), 120_000);
    expect(await hostPid()).not.toBe(pid);
    await workbench.screenshot('host-restarted-on-request');
  });

  it('stops the host cleanly on reload, and lists runs of earlier sessions read back from their output files', async () => {
    const { page } = workbench;
    const hostRow = (await rowTexts(page, 'Servers')).find((row) => row.includes('Host process')) ?? '';
    const pid = Number(/pid (\d+)/.exec(hostRow)?.[1]);
    expect(pid).toBeGreaterThan(0);
    await runCommand(page, 'Developer: Reload Window');
    await poll('the old host process to exit', () => processExists(pid), (exists) => !exists, 60_000);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await showGymRollouts(page);
    const rows = await poll('the runs after reload', () => rowTexts(page, 'Runs'), (found) => ['tasks', 'more_tasks', 'long_tasks'].every((stem) => found.some((row) => runRow(stem).test(row))), 60_000);
    expect(rows.filter((row) => /_rollouts\.jsonl\s*completed/.test(row)).length).toBeGreaterThanOrEqual(3);
    await expandRow(viewRows(page, 'Runs').filter({ hasText: runRow('more_tasks') }).first());
    await poll('categories read from the output file', () => rowTexts(page, 'Runs'), (found) => found.some((row) => row.startsWith('workplace_assistant_customer_relationship_manager')), 30_000);
    await workbench.screenshot('runs-after-reload');
  });

  it('reads well in light, dark and high-contrast themes', async () => {
    const { page } = workbench;
    const themes: [string, string][] = [
      ['Default Light Modern', 'vs'],
      ['Default Dark Modern', 'vs-dark'],
      ['Default High Contrast', 'hc-black'],
    ];
    const [output] = runOutputs(join(workspace.folder, 'rollouts'), 'broken');
    const initialClass = await page.evaluate(() => ['vs', 'vs-dark', 'hc-black', 'hc-light'].find((name) => document.querySelector('.monaco-workbench')?.classList.contains(name)) ?? 'vs');
    for (const [theme, workbenchClass] of themes) {
      await wearColorTheme(page, theme, workbenchClass);
      await runCommand(page, 'View: Close All Editors');
      await openFromExplorer(page, 'rollouts', output!.slice(output!.lastIndexOf('/') + 1));
      await poll('the viewer', () => webviewFrames(page, '.summary-view .card, .vrow'), (found) => found.length > 0, 60_000);
      await showGymRollouts(page);
      await workbench.screenshot(`theme-${workbenchClass}`);
    }
    await wearColorTheme(page, undefined, initialClass);
    await runCommand(page, 'View: Close All Editors');
  });

  it('never writes the API key into a log', () => {
    const logs = filesUnder(join(directories.userDataDir, 'logs')).filter((file) => statSync(file).size < 50_000_000);
    expect(logs.length).toBeGreaterThan(0);
    for (const file of logs) expect(readFileSync(file, 'utf8').includes(API_KEY), file).toBe(false);
  });
});
