/**
 * The one table of the extension's commands: id, title, icon and where each appears. `package.json`'s
 * `contributes.commands` and `contributes.menus` must say the same (a unit test compares them), and the
 * handlers are a `Record<CommandId, ...>`, so a command cannot exist without a handler. Editor-free on purpose.
 */

export const COMMAND_CATEGORY = 'Gym Rollouts';

/** View ids (also `package.json` `contributes.views`). */
export const VIEW_IDS = { servers: 'gymRollouts.servers', runs: 'gymRollouts.runs' } as const;

/** Tree item `contextValue` tokens menus match with `viewItem =~ /\btoken\b/`. */
export const RUN_CONTEXT = {
  run: 'gymRun',
  running: 'running',
  resumable: 'resumable',
  finished: 'finished',
  hasOutput: 'hasOutput',
  rollout: 'gymRollout',
} as const;

const JSONL_FILE = 'resourceExtname == .jsonl';

interface MenuPlacement {
  /** A `contributes.menus` key, e.g. `explorer/context`. */
  menu: string;
  when?: string;
  group?: string;
}

export interface CommandSpec {
  id: string;
  title: string;
  /** A codicon (`$(play)`), shown in view toolbars and inline actions. */
  icon?: string;
  /** False hides it from the command palette (item actions that need a tree item). */
  palette?: boolean | string;
  menus?: readonly MenuPlacement[];
}

const fileMenus = (group: string): MenuPlacement[] => [
  { menu: 'explorer/context', when: JSONL_FILE, group },
  { menu: 'editor/title/context', when: JSONL_FILE, group },
];

const serversToolbar = (group: string): MenuPlacement => ({ menu: 'view/title', when: `view == ${VIEW_IDS.servers}`, group });
const runAction = (token: string, group: string): MenuPlacement => ({
  menu: 'view/item/context',
  when: `view == ${VIEW_IDS.runs} && viewItem =~ /\\b${token}\\b/`,
  group,
});

export const COMMANDS = [
  { id: 'gymRollouts.collectRollouts', title: 'Collect Rollouts', icon: '$(play)', menus: [...fileMenus('gymRollouts@1'), { menu: 'view/title', when: `view == ${VIEW_IDS.runs}`, group: 'navigation@1' }] },
  { id: 'gymRollouts.validateDataset', title: 'Validate Dataset', icon: '$(checklist)', menus: fileMenus('gymRollouts@2') },
  { id: 'gymRollouts.openRolloutViewer', title: 'Open Rollout Viewer', icon: '$(preview)', menus: fileMenus('gymRollouts@3') },
  { id: 'gymRollouts.writeSanitizedCopy', title: 'Write Sanitized Copy of Dataset', menus: fileMenus('gymRollouts@4') },
  { id: 'gymRollouts.generateTrainingTasks', title: 'Generate Training Tasks', icon: '$(sparkle)' },
  { id: 'gymRollouts.startServers', title: 'Start Servers', icon: '$(debug-start)', menus: [serversToolbar('navigation@1')] },
  { id: 'gymRollouts.stopServers', title: 'Stop Servers', icon: '$(debug-stop)', menus: [serversToolbar('navigation@2')] },
  { id: 'gymRollouts.restartServers', title: 'Restart Servers', icon: '$(debug-restart)', menus: [serversToolbar('navigation@3')] },
  { id: 'gymRollouts.showServerStatus', title: 'Show Server Status', icon: '$(info)', menus: [serversToolbar('1_status@1')] },
  { id: 'gymRollouts.dumpConfig', title: 'Dump Config', icon: '$(file-code)', menus: [serversToolbar('1_status@2')] },
  { id: 'gymRollouts.setApiKey', title: 'Set API Key', icon: '$(key)', menus: [serversToolbar('2_settings@1')] },
  { id: 'gymRollouts.clearApiKey', title: 'Clear Stored API Key', menus: [serversToolbar('2_settings@2')] },
  { id: 'gymRollouts.selectModel', title: 'Select Policy Model', menus: [serversToolbar('2_settings@3')] },
  { id: 'gymRollouts.showLogs', title: 'Show Logs', icon: '$(output)', menus: [serversToolbar('1_status@3')] },
  { id: 'gymRollouts.cancelRun', title: 'Cancel Run', icon: '$(debug-stop)', palette: false, menus: [runAction(RUN_CONTEXT.running, 'inline@1'), runAction(RUN_CONTEXT.running, '0_run@1')] },
  { id: 'gymRollouts.resumeRun', title: 'Resume Run', icon: '$(debug-continue)', palette: false, menus: [runAction(RUN_CONTEXT.resumable, 'inline@1'), runAction(RUN_CONTEXT.resumable, '0_run@1')] },
  { id: 'gymRollouts.openRunInViewer', title: 'Open in Rollout Viewer', icon: '$(preview)', palette: false, menus: [runAction(RUN_CONTEXT.hasOutput, 'inline@2'), runAction(RUN_CONTEXT.hasOutput, '1_open@0'), runAction(RUN_CONTEXT.rollout, 'inline@1')] },
  { id: 'gymRollouts.openRunOutput', title: 'Open Output File', icon: '$(go-to-file)', palette: false, menus: [runAction(RUN_CONTEXT.hasOutput, '1_open@1')] },
  { id: 'gymRollouts.revealRunFailures', title: 'Reveal Failures', palette: false, menus: [runAction(RUN_CONTEXT.hasOutput, '1_open@2')] },
  { id: 'gymRollouts.removeRun', title: 'Remove from List', palette: false, menus: [runAction(RUN_CONTEXT.run, '9_remove@1')] },
  { id: 'gymRollouts.runAgain', title: 'Run Again', icon: '$(refresh)', palette: false, menus: [runAction(RUN_CONTEXT.finished, 'inline@3'), runAction(RUN_CONTEXT.finished, '0_run@2')] },
  // The viewer's commands: compare two files (explorer: only with two selected) or two runs; a rollout by link.
  {
    id: 'gymRollouts.compareRolloutFiles',
    title: 'Compare Rollout Files',
    icon: '$(diff)',
    menus: [
      { menu: 'explorer/context', when: `${JSONL_FILE} && listMultiSelection`, group: 'gymRollouts@5' },
      runAction(RUN_CONTEXT.hasOutput, '1_open@3'),
    ],
  },
  { id: 'gymRollouts.openRollout', title: 'Open Rollout', palette: false },
  // Verify a rollout file again with the current environment; the rewards that flipped.
  {
    id: 'gymRollouts.reverifyRollouts',
    title: 'Reverify Rollouts',
    icon: '$(verified)',
    menus: [{ menu: 'explorer/context', when: JSONL_FILE, group: 'gymRollouts@6' }, runAction(RUN_CONTEXT.hasOutput, '1_open@4')],
  },
] as const satisfies readonly CommandSpec[];

export type CommandId = (typeof COMMANDS)[number]['id'];

/** What `package.json` `contributes.commands` must hold, derived from the table. */
export function manifestCommands(): { command: string; title: string; category: string; icon?: string }[] {
  return COMMANDS.map((spec: CommandSpec) => ({ command: spec.id, title: spec.title, category: COMMAND_CATEGORY, ...(spec.icon ? { icon: spec.icon } : {}) }));
}

/** What `package.json` `contributes.menus` must hold, derived from the table (commandPalette hides item actions). */
export function manifestMenus(): Record<string, { command: string; when?: string; group?: string }[]> {
  const menus: Record<string, { command: string; when?: string; group?: string }[]> = {};
  const add = (menu: string, entry: { command: string; when?: string; group?: string }) => (menus[menu] ??= []).push(entry);
  for (const spec of COMMANDS as readonly CommandSpec[]) {
    if (spec.palette === false) add('commandPalette', { command: spec.id, when: 'false' });
    else if (typeof spec.palette === 'string') add('commandPalette', { command: spec.id, when: spec.palette });
    for (const placement of spec.menus ?? []) {
      add(placement.menu, { command: spec.id, ...(placement.when ? { when: placement.when } : {}), ...(placement.group ? { group: placement.group } : {}) });
    }
  }
  return menus;
}
