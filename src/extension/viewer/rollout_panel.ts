import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import type { ViewerTab } from '../../core/viewer/protocol';
import { attachViewer, type AttachedViewer } from './webview_session';

/**
 * Panels opened by command (e.g. from the Runs view) at a given rollout, turn or tab; one per file (or pair of
 * files compared), revealed when reopened.
 */

export interface PanelTarget {
  entry?: number | null;
  /** Or the rollout by task and repeat (looked up by the page). */
  rollout?: { taskIndex: number; rolloutIndex: number | null } | null;
  turn?: number | null;
  tab?: ViewerTab | null;
  /** The baseline to compare with: the panel opens on the compare tab unless another is asked for. */
  compareWith?: vscode.Uri | null;
}

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

  open(file: vscode.Uri, target: PanelTarget = {}): void {
    const compareWith = target.compareWith ?? null;
    const tab = target.tab ?? (compareWith ? 'compare' : null);
    const key = panelKey(file, compareWith);
    const existing = this.panels.get(key);
    if (existing) {
      existing.panel.reveal();
      if (target.entry != null || target.rollout || tab !== null) existing.viewer.reveal({ entry: target.entry ?? null, rollout: target.rollout ?? null, turn: target.turn ?? null, tab });
      return;
    }
    const panel = vscode.window.createWebviewPanel(ROLLOUT_PANEL_TYPE, title(file, compareWith), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview')],
    });
    this.adopt(panel, file, { ...target, tab, compareWith });
  }

  /** Takes over a panel VS Code restored after a reload (see the serializer in index.ts). */
  adopt(panel: vscode.WebviewPanel, file: vscode.Uri, target: PanelTarget): void {
    const key = panelKey(file, target.compareWith ?? null);
    const viewer = attachViewer(this.context, panel, file, {
      initialEntry: target.entry ?? null,
      initialTurn: target.turn ?? null,
      initialRollout: target.rollout ?? null,
      initialTab: target.tab ?? null,
      compareWith: target.compareWith ?? null,
      logger: this.logger,
    });
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

function panelKey(file: vscode.Uri, compareWith: vscode.Uri | null): string {
  return compareWith ? `${file.toString()}\n${compareWith.toString()}` : file.toString();
}

function title(file: vscode.Uri, compareWith: vscode.Uri | null): string {
  const name = (uri: vscode.Uri) => uri.path.split('/').pop() ?? uri.path;
  return compareWith ? `Compare: ${name(file)} ↔ ${name(compareWith)}` : `Rollouts: ${name(file)}`;
}
