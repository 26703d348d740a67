/** Compare Rollout Files: two JSONL files (explorer multi-selection or the palette) or two runs (Runs view) in the viewer's compare tab. */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { GymRolloutsExtension } from '../gym_extension';
import type { RunRecord } from '../runs/run_record';
import { openViewer } from '../viewer_bridge';
import { runTarget, type Handlers } from './shared';

export type CompareCommandId = 'gymRollouts.compareRolloutFiles';

/** The `.jsonl` files of an explorer invocation: `(clicked, selection)` for a multi-selection. */
export function selectedJsonlFiles(clicked: unknown, selection: unknown): vscode.Uri[] {
  const all = Array.isArray(selection) && selection.length > 0 ? (selection as unknown[]) : [clicked];
  const files = all.filter((value): value is vscode.Uri => value instanceof vscode.Uri && value.path.endsWith('.jsonl'));
  return [...new Map(files.map((uri) => [uri.toString(), uri])).values()];
}

function runLabel(record: RunRecord): string {
  return `${vscode.workspace.asRelativePath(record.inputPath)} → ${vscode.workspace.asRelativePath(record.outputPath)}`;
}

export function compareCommands(extension: GymRolloutsExtension): Handlers<CompareCommandId> {
  const { context } = extension;

  const compare = async (primary: vscode.Uri, baseline: vscode.Uri): Promise<void> => {
    if (primary.toString() === baseline.toString()) {
      void vscode.window.showWarningMessage('Choose two different rollout files to compare.');
      return;
    }
    await openViewer(context, primary, { compareWith: baseline, tab: 'compare' });
  };

  /** Runs with an output file, newest first; the clicked one is "this run", the picked one the baseline. */
  const compareRuns = async (first: RunRecord, second: RunRecord | undefined): Promise<void> => {
    let baseline = second;
    if (!baseline) {
      const others = extension.store.all().filter((record) => record.id !== first.id && record.outputPath !== first.outputPath && existsSync(record.outputPath));
      if (others.length === 0) {
        void vscode.window.showInformationMessage('No other run with rollouts to compare with.');
        return;
      }
      const picked = await vscode.window.showQuickPick(
        others.map((record) => ({ label: runLabel(record), description: `${record.status} · ${new Date(record.startedAt).toLocaleString()}`, record })),
        { title: `Compare ${vscode.workspace.asRelativePath(first.outputPath)} with which run?`, placeHolder: 'The baseline run' },
      );
      if (!picked) return;
      baseline = picked.record;
    }
    if (!existsSync(first.outputPath) || !existsSync(baseline.outputPath)) {
      void vscode.window.showWarningMessage('Both runs need an output file to compare.');
      return;
    }
    await compare(vscode.Uri.file(first.outputPath), vscode.Uri.file(baseline.outputPath));
  };

  const pickTwoFiles = async (): Promise<[vscode.Uri, vscode.Uri] | undefined> => {
    const picked = await vscode.window.showOpenDialog({ title: 'Two rollout files to compare (the first is compared with the second)', canSelectMany: true, filters: { 'JSON Lines': ['jsonl'] } });
    if (!picked || picked.length === 0) return undefined;
    const [first, second] = picked;
    if (first && second) return [first, second];
    const baseline = await vscode.window.showOpenDialog({ title: `Baseline to compare ${vscode.workspace.asRelativePath(picked[0] as vscode.Uri)} with`, canSelectMany: false, filters: { 'JSON Lines': ['jsonl'] } });
    return baseline?.[0] ? [picked[0] as vscode.Uri, baseline[0]] : undefined;
  };

  return {
    'gymRollouts.compareRolloutFiles': async (clicked?: unknown, selection?: unknown) => {
      // From the Runs view: one run (pick the other) or two selected runs.
      const runs = (Array.isArray(selection) && selection.length > 0 ? (selection as unknown[]) : [clicked])
        .map((value) => runTarget(value))
        .map((target) => (target ? extension.store.get(target.runId) : undefined))
        .filter((record): record is RunRecord => record !== undefined);
      if (runs.length > 0) return compareRuns(runs[0] as RunRecord, runs[1]);
      const files = selectedJsonlFiles(clicked, selection);
      if (files.length === 2) return compare(files[0] as vscode.Uri, files[1] as vscode.Uri);
      if (files.length > 2) {
        void vscode.window.showWarningMessage('Select exactly two rollout files to compare.');
        return;
      }
      const pair = await pickTwoFiles();
      if (pair) await compare(pair[0], pair[1]);
    },
  };
}
