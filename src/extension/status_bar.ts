/** The status bar item: servers' state or the running collection's progress; a click reveals the Runs view. */
import * as vscode from 'vscode';
import { VIEW_IDS } from './commands/command_table';
import { statusBarView, type StatusBarView } from './status_text';

export class GymStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('gymRollouts.status', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'Gym Rollouts';
    this.item.command = `${VIEW_IDS.runs}.focus`;
  }

  show(...args: Parameters<typeof statusBarView>): StatusBarView {
    const view = statusBarView(...args);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = view.alert ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
    return view;
  }

  dispose(): void {
    this.item.dispose();
  }
}
