/**
 * The one place the extension's glue meets the rollout viewer (built in `src/extension/viewer/`): registration
 * at activation and opening a file at a rollout. `entry` is the rollout's position among the output file's
 * non-empty lines (0-based), which is what the viewer's index calls an entry.
 */
import type * as vscode from 'vscode';
import { openRolloutPanel, registerRolloutViewer } from './viewer';

export { ROLLOUT_VIEWER_TYPE } from './viewer_constants';

export function registerViewer(context: vscode.ExtensionContext): vscode.Disposable[] {
  return registerRolloutViewer(context);
}

export async function openViewer(context: vscode.ExtensionContext, file: vscode.Uri, entry?: number): Promise<void> {
  await openRolloutPanel(context, file, entry);
}
