/**
 * `gymRollouts.openRollout`: a rollout at a turn, as a command URI that Markdown (hovers, notifications, README
 * files) can carry:
 *   command:gymRollouts.openRollout?<encodeURIComponent(JSON.stringify({ file, entry, turn }))>
 * with `file` an absolute path or a file URI, and either `entry` (0-based among the file's non-empty lines) or
 * `task` and `repeat` (`_ng_task_index`, `_ng_rollout_index`); `turn` is optional, `tab` too.
 */
import * as vscode from 'vscode';
import { VIEWER_TABS, type ViewerTab } from '../../core/viewer/protocol';
import type { GymRolloutsExtension } from '../gym_extension';
import { openRolloutPanel } from '../viewer';
import type { Handlers } from './shared';

export type DeepLinkCommandId = 'gymRollouts.openRollout';

export interface RolloutLink {
  file: vscode.Uri;
  entry: number | null;
  rollout: { taskIndex: number; rolloutIndex: number | null } | null;
  turn: number | null;
  tab: ViewerTab | null;
}

function count(value: unknown): number | null {
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

/** The link's arguments, checked: they may come from any Markdown a user opens. */
export function parseRolloutLink(argument: unknown): RolloutLink | null {
  if (typeof argument !== 'object' || argument === null) return null;
  const value = argument as Record<string, unknown>;
  if (typeof value.file !== 'string' || value.file === '') return null;
  const file = /^[a-z][\w+.-]*:/i.test(value.file) && !/^[a-z]:[\\/]/i.test(value.file) ? vscode.Uri.parse(value.file, true) : vscode.Uri.file(value.file);
  if (file.scheme !== 'file' || !file.path.endsWith('.jsonl')) return null;
  const task = count(value.task);
  const tab = typeof value.tab === 'string' && (VIEWER_TABS as readonly string[]).includes(value.tab) ? (value.tab as ViewerTab) : null;
  return {
    file,
    entry: count(value.entry),
    rollout: task !== null ? { taskIndex: task, rolloutIndex: count(value.repeat) } : null,
    turn: count(value.turn),
    tab,
  };
}

/** The command URI that opens `link` (for Markdown the extension writes). */
export function rolloutLinkUri(link: { file: string; entry?: number; task?: number; repeat?: number; turn?: number }): string {
  return `command:gymRollouts.openRollout?${encodeURIComponent(JSON.stringify(link))}`;
}

export function deepLinkCommands(extension: GymRolloutsExtension): Handlers<DeepLinkCommandId> {
  return {
    'gymRollouts.openRollout': async (argument?: unknown) => {
      const link = parseRolloutLink(argument);
      if (!link) {
        void vscode.window.showWarningMessage('Gym Rollouts: the rollout link names no .jsonl file on disk.');
        return;
      }
      await openRolloutPanel(extension.context, link.file, { entry: link.entry, rollout: link.entry === null ? link.rollout : null, turn: link.turn, tab: link.tab });
    },
  };
}
