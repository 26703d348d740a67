import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { attachViewer, type AttachedViewer } from './webview_session';

/** Panels opened by command (e.g. from the Runs view) at a given rollout; one per file, revealed when reopened. */

export const ROLLOUT_PANEL_TYPE = 'gymRollouts.rolloutPanel';

interface OpenPanel {
  panel: vscode.WebviewPanel;
  viewer: AttachedViewer;
}

export class RolloutPanels implements vscode.Disposable {
  private readonly panels = new Map<string, OpenPanel>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly logger: Logger,
  ) {}

  open(file: vscode.Uri, entry?: number): void {
    const key = file.toString();
    const existing = this.panels.get(key);
    if (existing) {
      existing.panel.reveal();
      if (entry !== undefined) existing.viewer.reveal(entry);
      return;
    }
    const panel = vscode.window.createWebviewPanel(ROLLOUT_PANEL_TYPE, title(file), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview')],
    });
    this.adopt(panel, file, entry ?? null);
  }

  /** Takes over a panel VS Code restored after a reload (see the serializer in index.ts). */
  adopt(panel: vscode.WebviewPanel, file: vscode.Uri, entry: number | null): void {
    const key = file.toString();
    const viewer = attachViewer(this.context, panel, file, { initialEntry: entry, logger: this.logger });
    this.panels.set(key, { panel, viewer });
    panel.onDidDispose(() => {
      viewer.dispose();
      if (this.panels.get(key)?.panel === panel) this.panels.delete(key);
    });
  }

  dispose(): void {
    for (const { panel } of this.panels.values()) panel.dispose();
    this.panels.clear();
  }
}

function title(file: vscode.Uri): string {
  return `Rollouts: ${file.path.split('/').pop() ?? file.path}`;
}
