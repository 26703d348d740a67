import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS, VIEW_IDS } from '../../../src/extension/commands/command_table';
import { manifestConfiguration, SETTING_SPECS, SETTINGS_SECTION } from '../../../src/extension/config/settings';
import { ACTIVATION_EVENTS, manifestContributes } from '../../../src/extension/manifest';

const root = resolve(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
  main: string;
  activationEvents: string[];
  contributes: Record<string, unknown> & {
    commands: { command: string; title: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    views: Record<string, { id: string }[]>;
    configuration: { properties: Record<string, unknown> };
    customEditors: { viewType: string; selector: { filenamePattern: string }[]; priority: string }[];
  };
};
const SYNC = 'run: flock /tmp/gym-npm.lock node scripts/dev/extension_sync_manifest.mjs';

describe('package.json contributions', () => {
  it('hold exactly the command table’s commands', () => {
    expect(pkg.contributes.commands, SYNC).toEqual(manifestContributes().commands);
    expect(new Set(pkg.contributes.commands.map((command) => command.command))).toEqual(new Set(COMMANDS.map((command) => command.id)));
  });

  it('hold exactly the command table’s menus', () => {
    expect(pkg.contributes.menus, SYNC).toEqual(manifestContributes().menus);
  });

  it('hold exactly the declared settings', () => {
    expect(pkg.contributes.configuration, SYNC).toEqual(manifestConfiguration());
    expect(Object.keys(pkg.contributes.configuration.properties)).toEqual(SETTING_SPECS.map((spec) => `${SETTINGS_SECTION}.${spec.key}`));
  });

  it('are entirely generated (views, custom editor, activation)', () => {
    expect(pkg.contributes, SYNC).toEqual(manifestContributes());
    expect(pkg.activationEvents).toEqual([...ACTIVATION_EVENTS]);
    expect(pkg.main).toBe('./dist/extension.js');
  });

  it('offer Collect Rollouts, Validate Dataset and the viewer on .jsonl files in the explorer and editor title menus', () => {
    for (const menu of ['explorer/context', 'editor/title/context']) {
      const entries = pkg.contributes.menus[menu] ?? [];
      for (const id of ['gymRollouts.collectRollouts', 'gymRollouts.validateDataset', 'gymRollouts.openRolloutViewer']) {
        expect(entries).toContainEqual(expect.objectContaining({ command: id, when: 'resourceExtname == .jsonl' }));
      }
    }
  });

  it('put view actions only on views that exist, and hide item actions from the palette', () => {
    const viewIds = new Set(Object.values(pkg.contributes.views).flat().map((view) => view.id));
    expect(viewIds).toEqual(new Set(Object.values(VIEW_IDS)));
    for (const menu of ['view/title', 'view/item/context']) {
      for (const entry of pkg.contributes.menus[menu] ?? []) {
        const view = /view == ([\w.]+)/.exec(entry.when ?? '')?.[1];
        expect(viewIds.has(view ?? ''), `${entry.command} in ${menu}`).toBe(true);
      }
    }
    const hidden = new Set((pkg.contributes.menus.commandPalette ?? []).filter((entry) => entry.when === 'false').map((entry) => entry.command));
    // Compare Rollout Files and Reverify Rollouts also work from the palette (they ask for the files).
    const alsoWithoutItem = new Set(['gymRollouts.compareRolloutFiles', 'gymRollouts.reverifyRollouts']);
    for (const entry of pkg.contributes.menus['view/item/context'] ?? []) expect(hidden.has(entry.command) || alsoWithoutItem.has(entry.command), entry.command).toBe(true);
  });

  it('register the rollout viewer for .jsonl files as an option, and as the default for rollout outputs', () => {
    expect(pkg.contributes.customEditors).toEqual([
      expect.objectContaining({ viewType: 'gymRollouts.rolloutViewer', selector: [{ filenamePattern: '*.jsonl' }], priority: 'option' }),
      expect.objectContaining({ viewType: 'gymRollouts.rolloutFileViewer', selector: [{ filenamePattern: '*rollouts.jsonl' }], priority: 'default' }),
    ]);
    // The viewer registers a provider for each of them.
    const viewer = readFileSync(resolve(root, 'src/extension/viewer/index.ts'), 'utf8');
    expect(viewer).toContain('registerCustomEditorProvider(ROLLOUT_VIEWER_TYPE');
    expect(viewer).toContain('registerCustomEditorProvider(ROLLOUT_FILE_VIEWER_TYPE');
  });

  it('have a handler for every command (the handler map is typed by the table; this checks the source too)', () => {
    const folder = resolve(root, 'src/extension/commands');
    const source = readdirSync(folder)
      .filter((name) => name.endsWith('_commands.ts'))
      .map((name) => readFileSync(resolve(folder, name), 'utf8'))
      .join('\n');
    const handled = new Set([...source.matchAll(/^\s+'(gymRollouts\.\w+)':/gm)].map((match) => match[1]));
    expect(handled).toEqual(new Set(COMMANDS.map((command) => command.id)));
  });
});
