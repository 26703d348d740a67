/**
 * The `package.json` contributions, derived from the command table and the settings declarations so they are
 * declared once. `scripts/dev/extension_sync_manifest.mjs` writes them into `package.json`; a unit test fails
 * when the two differ. Editor-free.
 */
import { COMMAND_CATEGORY, manifestCommands, manifestMenus, VIEW_IDS } from './commands/command_table';
import { manifestConfiguration } from './config/settings';
import { ROLLOUT_FILE_PATTERNS, ROLLOUT_FILE_VIEWER_TYPE, ROLLOUT_VIEWER_TYPE } from './viewer_constants';

export const VIEW_CONTAINER_ID = 'gymRollouts';

export function manifestContributes(): Record<string, unknown> {
  return {
    viewsContainers: { activitybar: [{ id: VIEW_CONTAINER_ID, title: COMMAND_CATEGORY, icon: '$(beaker)' }] },
    views: {
      [VIEW_CONTAINER_ID]: [
        { id: VIEW_IDS.servers, name: 'Servers', icon: '$(server-process)', contextualTitle: COMMAND_CATEGORY },
        { id: VIEW_IDS.runs, name: 'Runs', icon: '$(list-tree)', contextualTitle: COMMAND_CATEGORY },
      ],
    },
    viewsWelcome: [
      {
        view: VIEW_IDS.runs,
        contents: 'No collections yet.\n[Collect Rollouts](command:gymRollouts.collectRollouts)\nOr right-click a task .jsonl file in the Explorer and choose Collect Rollouts.',
      },
    ],
    commands: manifestCommands(),
    menus: manifestMenus(),
    configuration: manifestConfiguration(),
    customEditors: [
      {
        viewType: ROLLOUT_VIEWER_TYPE,
        displayName: 'Rollout Viewer',
        selector: [{ filenamePattern: '*.jsonl' }],
        priority: 'option',
      },
      {
        viewType: ROLLOUT_FILE_VIEWER_TYPE,
        displayName: 'Rollout Viewer',
        selector: ROLLOUT_FILE_PATTERNS.map((filenamePattern) => ({ filenamePattern })),
        priority: 'default',
      },
    ],
  };
}

/** Besides the implicit ones (views, commands, custom editor): the status bar and on-save validation need an early start. */
export const ACTIVATION_EVENTS: readonly string[] = ['onStartupFinished'];
