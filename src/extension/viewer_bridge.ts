/**
 * The one place the extension's glue meets the rollout viewer (built in `src/extension/viewer/`): registration
 * at activation and opening a file at a rollout, a turn, a tab, or compared with another. `entry` is the
 * rollout's position among the output file's non-empty lines (0-based), which is what the viewer's index calls
 * an entry.
 */
import type * as vscode from 'vscode';
import type { ViewerTab } from '../core/viewer/protocol';
import { openRolloutPanel, registerRolloutViewer } from './viewer';

export { ROLLOUT_VIEWER_TYPE } from './viewer_constants';

export interface OpenViewerOptions {
  /** The rollout to open (0-based entry among the file's non-empty lines). */
  entry?: number;
  /** The turn (model call, 1-based as the viewer numbers them) to scroll to in that rollout. */
  turn?: number;
  /** The tab to show: `failures` for `<stem>_failures.jsonl`, `compare` (with `compareWith`), `summary`, `rollouts`. */
  tab?: ViewerTab;
  /** A second rollout file, the baseline: the panel compares the two and opens on the compare tab. */
  compareWith?: vscode.Uri;
}

export function registerViewer(context: vscode.ExtensionContext): vscode.Disposable[] {
  return registerRolloutViewer(context);
}

/** `openViewer(context, file)`, `openViewer(context, file, entry)`, or `openViewer(context, file, { tab: 'failures' })`. */
export async function openViewer(context: vscode.ExtensionContext, file: vscode.Uri, target?: number | OpenViewerOptions): Promise<void> {
  const options: OpenViewerOptions = typeof target === 'number' ? { entry: target } : (target ?? {});
  await openRolloutPanel(context, file, {
    entry: options.entry ?? null,
    turn: options.turn ?? null,
    tab: options.tab ?? null,
    compareWith: options.compareWith ?? null,
  });
}
