/**
 * CodeLens on the first line of a task file: Collect Rollouts · Validate · Open Results (the latest run's
 * rollouts, when there is one). Rollout files and other JSONL files get none.
 */
import * as vscode from 'vscode';
import type { RunStore } from '../runs/run_store';
import { jsonlKindOf } from './task_file_kind';

const HEAD_LINES = 5;

export class TaskFileLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly runs: RunStore) {
    // "Open Results" appears once a run of the file exists.
    this.subscription = runs.onDidChange(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const head: string[] = [];
    for (let line = 0; line < Math.min(document.lineCount, HEAD_LINES); line += 1) head.push(document.lineAt(line).text);
    if (jsonlKindOf(head) !== 'tasks') return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = [
      new vscode.CodeLens(top, { title: '$(play) Collect Rollouts', command: 'gymRollouts.collectRollouts', arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: '$(checklist) Validate', command: 'gymRollouts.validateDataset', arguments: [document.uri] }),
    ];
    const latest = this.runs.all().find((record) => record.inputPath === document.uri.fsPath);
    if (latest) lenses.push(new vscode.CodeLens(top, { title: '$(preview) Open Results', command: 'gymRollouts.openRunInViewer', arguments: [{ runId: latest.id }] }));
    return lenses;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
