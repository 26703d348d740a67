import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { ROLLOUT_VIEWER_TYPE } from '../viewer_constants';
import { RolloutEditorProvider } from './rollout_editor';
import { ROLLOUT_PANEL_TYPE, RolloutPanels, type PanelTarget } from './rollout_panel';

/**
 * The rollout viewer in VS Code: a read-only custom editor for rollout JSONL files and panels opened at a given
 * rollout. Custom editor priority is per contribution, so two view types share one provider:
 * `gymRollouts.rolloutViewer` (any `*.jsonl`, "Open With…") and `gymRollouts.rolloutFileViewer` (the default for
 * files named like rollout outputs).
 */

export { ROLLOUT_VIEWER_TYPE };
export const ROLLOUT_FILE_VIEWER_TYPE = 'gymRollouts.rolloutFileViewer';
export { ROLLOUT_PANEL_TYPE };

let panels: RolloutPanels | null = null;

function outputLogger(channel: vscode.LogOutputChannel): Logger {
  return {
    trace: (m) => channel.trace(m),
    debug: (m) => channel.debug(m),
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
  };
}

interface PanelState {
  /** Saved by the page (SavedState) when the file paths are known. */
  file?: unknown;
  compareFile?: unknown;
}

/** Registers the custom editors and the panel serializer; a second call (or one after openRolloutPanel) adds nothing. */
export function registerRolloutViewer(context: vscode.ExtensionContext): vscode.Disposable[] {
  if (panels) return [];
  const channel = vscode.window.createOutputChannel('Gym Rollouts Viewer', { log: true });
  const logger = outputLogger(channel);
  const provider = new RolloutEditorProvider(context, logger);
  const options = { supportsMultipleEditorsPerDocument: true, webviewOptions: { retainContextWhenHidden: false } };
  panels = new RolloutPanels(context, logger);
  const owned = panels;
  return [
    channel,
    vscode.window.registerCustomEditorProvider(ROLLOUT_VIEWER_TYPE, provider, options),
    vscode.window.registerCustomEditorProvider(ROLLOUT_FILE_VIEWER_TYPE, provider, options),
    vscode.window.registerWebviewPanelSerializer(ROLLOUT_PANEL_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const saved = state as PanelState | undefined;
        const compareFile = typeof saved?.compareFile === 'string' ? vscode.Uri.file(saved.compareFile) : null;
        if (typeof saved?.file === 'string') owned.adopt(panel, vscode.Uri.file(saved.file), { compareWith: compareFile });
        else panel.dispose();
      },
    }),
    owned,
    { dispose: () => (panels = panels === owned ? null : panels) },
  ];
}

/**
 * Opens (or reveals) a viewer panel for `file`: at rollout `entry` (0-based among the file's non-empty lines) and
 * `turn`, on `tab`, or comparing with a baseline file.
 */
export async function openRolloutPanel(context: vscode.ExtensionContext, file: vscode.Uri, target: PanelTarget = {}): Promise<void> {
  if (!panels) {
    const disposables = registerRolloutViewer(context);
    context.subscriptions.push(...disposables);
  }
  panels?.open(file, target);
}
