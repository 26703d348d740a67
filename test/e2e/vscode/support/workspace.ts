/** The workspace the editor tests open: task files (from NeMo Gym's example and WorkBench data), a broken file, settings. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWorkbenchTasks, WORKPLACE_DATA_DIR } from '../../../support/paths';

type Row = Record<string, unknown> & { responses_create_params: Record<string, unknown> & { input: unknown }; ground_truth: { name: string; arguments: string }[] | string };

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

export interface TestWorkspace {
  folder: string;
  /** Every task row of every task file (for the fake model's oracle). */
  taskRows: Row[];
  files: { tasks: string; moreTasks: string; longTasks: string; broken: string };
  counts: { tasks: number; moreTasks: number; longTasks: number };
}

/** Lines of the broken file, with the problems each should produce. */
function brokenLines(valid: Row): { text: string; expect: string }[] {
  const clone = (): Row => JSON.parse(JSON.stringify(valid)) as Row;
  const withToolKey = clone();
  (withToolKey.responses_create_params.tools as Record<string, unknown>[])[0]!.database = 'email';
  const badInput = clone();
  badInput.id = 101;
  badInput.responses_create_params.input = 5;
  const unknownTool = clone();
  unknownTool.id = 102;
  unknownTool.ground_truth = [{ name: 'email_teleport', arguments: '{}' }];
  const badArguments = clone();
  badArguments.id = 103;
  badArguments.ground_truth = [{ name: 'email_send_email', arguments: '{"recipient": ' }];
  const duplicate = clone();
  duplicate.category = 'workplace_assistant_duplicate';
  return [
    { text: JSON.stringify(valid), expect: '' },
    { text: '{"id": 100, "responses_create_params": {"input": "hi"},, }', expect: 'invalid JSON' },
    { text: JSON.stringify(badInput), expect: 'expected a string or a list of input items' },
    { text: JSON.stringify({ ...withToolKey, id: 104 }), expect: 'non-standard key "database"' },
    { text: JSON.stringify(unknownTool), expect: '"email_teleport" is neither' },
    { text: JSON.stringify(badArguments), expect: 'arguments are not valid JSON' },
    { text: JSON.stringify(duplicate), expect: 'is also the id of line 1' },
  ];
}

export const BROKEN_EXPECTATIONS = ['invalid JSON', 'expected a string or a list of input items', 'non-standard key "database"', '"email_teleport" is neither', 'arguments are not valid JSON', 'is also the id of line 1'];

export function createWorkspace(settings: Record<string, unknown>): TestWorkspace {
  const folder = mkdtempSync(join(tmpdir(), 'gym-e2e-workspace-'));
  const example = lines(readFileSync(join(WORKPLACE_DATA_DIR, 'example.jsonl'), 'utf8'));
  // WorkBench tasks whose ground truth changes something, so a reward of 1 is earned.
  const workbench = lines(readWorkbenchTasks()).filter((line) => {
    const row = JSON.parse(line) as Row;
    return Array.isArray(row.ground_truth) && row.ground_truth.length >= 1 && row.ground_truth.length <= 2;
  });
  const tasks = example.slice(0, 3);
  const moreTasks = example.slice(3, 5);
  const longTasks = workbench.slice(0, 6);
  const files = {
    tasks: join(folder, 'tasks.jsonl'),
    moreTasks: join(folder, 'more_tasks.jsonl'),
    longTasks: join(folder, 'long_tasks.jsonl'),
    broken: join(folder, 'broken.jsonl'),
  };
  writeFileSync(files.tasks, `${tasks.join('\n')}\n`);
  writeFileSync(files.moreTasks, `${moreTasks.join('\n')}\n`);
  writeFileSync(files.longTasks, `${longTasks.join('\n')}\n`);
  writeFileSync(files.broken, `${brokenLines(JSON.parse(example[0]!) as Row).map((line) => line.text).join('\n')}\n`);
  mkdirSync(join(folder, '.vscode'));
  writeFileSync(join(folder, '.vscode/settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  return {
    folder,
    taskRows: [...example, ...longTasks].map((line) => JSON.parse(line) as Row),
    files,
    counts: { tasks: tasks.length, moreTasks: moreTasks.length, longTasks: longTasks.length },
  };
}

/** User settings that keep the workbench quiet and predictable. */
export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  // code-server offers to forward every port a server opens; the head server would trigger it.
  'remote.autoForwardPorts': false,
  'remote.autoForwardPortsSource': 'process',
};

/** Changes one setting in the workspace's .vscode/settings.json (undefined removes it); the editor picks it up. */
export function setWorkspaceSetting(folder: string, key: string, value: unknown): void {
  const path = join(folder, '.vscode/settings.json');
  let settings: Record<string, unknown> = {};
  try {
    settings = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    mkdirSync(join(folder, '.vscode'), { recursive: true });
  }
  if (value === undefined) delete settings[key];
  else settings[key] = value;
  writeFileSync(path, `${JSON.stringify(settings, null, 2)}\n`);
}
