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
  webviewFrames,
  type Workbench,
} from './support/workbench';
import { BROKEN_EXPECTATIONS, createWorkspace, USER_SETTINGS, type TestWorkspace } from './support/workspace';

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

/** Steps through the Collect Rollouts input: agent, limit, repeats, parallelism, temperature, max tokens, output. */
async function answerCollectWizard(page: Workbench['page'], answers: { repeats?: string } = {}): Promise<void> {
  for (let step = 1; step <= 7; step += 1) {
    await waitForQuickInput(page, `Collect Rollouts (${step}/7)`);
    await answerQuickInput(page, step === 3 ? answers.repeats : undefined);
  }
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
    await answerCollectWizard(page, { repeats: '2' });
    await workbench.screenshot('collect-started');
    const output = join(workspace.folder, 'tasks_rollouts.jsonl');
    const expected = workspace.counts.tasks * 2;
    const lines = await poll('the output file', () => outputLines(output), (found) => found.length >= expected, 240_000, 1_000);
    expect(lines).toHaveLength(expected);
    expect(lines.map((line) => line.reward)).toEqual(Array(expected).fill(1));
    await showGymRollouts(page);
    const run = await poll('the finished run in the Runs view', () => rowTexts(page, 'Runs'), (rows) => rows.some((row) => row.includes('tasks.jsonl') && row.includes('completed') && row.includes('mean 1.00')), 60_000);
    expect(run.join('\n')).toContain(`${expected}/${expected}`);
    expect(fake.modelRequests().every((request) => request.authorization === 'matched')).toBe(true);
    await workbench.screenshot('collect-finished');

    // Children: categories, then tasks with their rewards.
    await expandRow(viewRows(page, 'Runs').filter({ hasText: 'tasks.jsonl' }).first());
    await poll('categories of the run', () => rowTexts(page, 'Runs'), (rows) => rows.some((row) => row.startsWith('workplace_assistant_email')), 30_000);
    await expandRow(viewRows(page, 'Runs').filter({ hasText: 'workplace_assistant_email' }).first());
    await poll('tasks with rewards', () => rowTexts(page, 'Runs'), (rows) => rows.some((row) => /task \d+.*rewards 1, 1/.test(row)), 30_000);
    await workbench.screenshot('run-tree');
  });

  it('shows the server status and dumps the config, with the key masked', async () => {
    const { page } = workbench;
    // Editors render spaces as no-break spaces.
    const editorText = async () => (await page.locator('.editor-instance .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
    await runCommand(page, 'Gym Rollouts: Show Server Status');
    const status = await poll('the status page', editorText, (text) => text.includes('server status') && text.includes('workplace_assistant_simple_agent') && text.includes('success'), 30_000);
    // The tables shipped in the .vsix, found with no setting, no NeMo Gym checkout and an empty user cache
    // (the editor wraps long lines, so whitespace is ignored).
    expect(status.replace(/\s+/g, '')).toContain(`**Datadirectory:**${directories.extensionsDir}/gym-rollouts.gym-rollouts-0.1.0/data/workplace_assistant`);
    await workbench.screenshot('server-status');
    await runCommand(page, 'Gym Rollouts: Dump Config');
    await poll('the config dump', editorText, (text) => text.includes('Config served by the head server') && text.includes('policy_model:'), 30_000);
    await workbench.screenshot('dump-config');
    const documents = await page.locator('.editor-instance .view-lines').allInnerTexts();
    expect(documents.join('\n')).not.toContain(API_KEY);
    await runCommand(page, 'View: Revert and Close Editor');
    await runCommand(page, 'View: Revert and Close Editor');
  });

  it('opens the viewer at a chosen rollout', async () => {
    const { page } = workbench;
    await viewRows(page, 'Runs').filter({ hasText: 'tasks.jsonl' }).first().click({ button: 'right' });
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
    // Rollout outputs open in the viewer by default: a double click in the explorer is all it takes.
    await runCommand(page, 'View: Show Explorer');
    const explorer = page.locator('.explorer-folders-view');
    const item = explorer.getByRole('treeitem', { name: 'tasks_rollouts.jsonl', exact: true });
    await item.waitFor();
    await item.dblclick();
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
    expect((await viewer.locator('.tab-rollouts .reward-big').textContent())?.trim()).toBe('1.0');
    expect(await viewer.locator('.tab-rollouts .detail-pane .step').count()).toBeGreaterThan(0);
    await workbench.screenshot('viewer-editor-rollout');
    await runCommand(page, 'View: Close All Editors');
  });

  it('collects rollouts through the explorer context menu', async () => {
    const { page } = workbench;
    await runCommand(page, 'View: Show Explorer');
    const explorer = page.locator('.explorer-folders-view');
    await explorer.getByRole('treeitem', { name: 'tasks_rollouts.jsonl', exact: true }).waitFor();
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
    const output = join(workspace.folder, 'more_tasks_rollouts.jsonl');
    const lines = await poll('the output file', () => outputLines(output), (found) => found.length >= workspace.counts.moreTasks, 240_000, 1_000);
    expect(lines.map((line) => line.reward)).toEqual(Array(workspace.counts.moreTasks).fill(1));
    await showGymRollouts(page);
    await poll('the second run', () => rowTexts(page, 'Runs'), (rows) => rows.some((row) => row.includes('more_tasks.jsonl') && row.includes('completed')), 60_000);
    await workbench.screenshot('explorer-collect-finished');
  });

  it('resumes a run after the host process is killed, writing every rollout once', async () => {
    const { page } = workbench;
    fake.setFaults({ decide: () => ({ kind: 'slow', delayMs: 600 }) });
    await openFile(page, 'long_tasks.jsonl');
    await runCommand(page, 'Gym Rollouts: Collect Rollouts');
    await answerCollectWizard(page, { repeats: '2' });
    const output = join(workspace.folder, 'long_tasks_rollouts.jsonl');
    const expected = workspace.counts.longTasks * 2;
    await poll('the first rollouts', () => outputLines(output), (found) => found.length >= 2, 240_000, 250);
    await showGymRollouts(page);
    const hostRow = (await rowTexts(page, 'Servers')).find((row) => row.includes('Host process')) ?? '';
    const pid = Number(/pid (\d+)/.exec(hostRow)?.[1]);
    expect(pid).toBeGreaterThan(0);
    await workbench.screenshot('before-kill');
    process.kill(pid, 'SIGKILL');
    log(`killed the host process ${pid} with ${outputLines(output).length} of ${expected} rollouts written`);
    await poll('a new host process', () => rowTexts(page, 'Servers'), (rows) => rows.some((row) => /running \(pid (\d+)\)/.test(row) && !row.includes(`pid ${pid})`)), 120_000);
    await workbench.screenshot('host-restarted');
    const lines = await poll('the resumed run to finish', () => outputLines(output), (found) => found.length >= expected, 300_000, 1_000);
    fake.setFaults(undefined);
    const keys = lines.map((line) => `${line._ng_task_index}:${line._ng_rollout_index}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(expected);
    await poll('the resumed run completed in the Runs view', () => rowTexts(page, 'Runs'), (rows) => rows.some((row) => row.includes('long_tasks.jsonl') && row.includes('completed')), 60_000);
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
    const rows = await poll('the runs after reload', () => rowTexts(page, 'Runs'), (found) => ['tasks.jsonl', 'more_tasks.jsonl', 'long_tasks.jsonl'].every((name) => found.some((row) => row.startsWith(name))), 60_000);
    expect(rows.filter((row) => row.includes('completed')).length).toBe(3);
    await expandRow(viewRows(page, 'Runs').filter({ hasText: 'more_tasks.jsonl' }).first());
    await poll('categories read from the output file', () => rowTexts(page, 'Runs'), (found) => found.some((row) => row.startsWith('workplace_assistant_customer_relationship_manager')), 30_000);
    await workbench.screenshot('runs-after-reload');
  });

  it('never writes the API key into a log', () => {
    const logs = filesUnder(join(directories.userDataDir, 'logs')).filter((file) => statSync(file).size < 50_000_000);
    expect(logs.length).toBeGreaterThan(0);
    for (const file of logs) expect(readFileSync(file, 'utf8').includes(API_KEY), file).toBe(false);
  });
});
