/** Commands on a run of the Runs view: cancel, resume, open its rollouts, output or failures, remove it. */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { CollectionOptions } from '../../core/collect/api';
import { outputPaths } from '../../core/collect/output_paths';
import { nextOutputPath } from '../collect/collect_choices';
import { isOracleAgent } from '../runs/run_record';
import type { GymRolloutsExtension } from '../gym_extension';
import { openViewer } from '../viewer_bridge';
import { runTarget, type Handlers } from './shared';

export type RunCommandId =
  | 'gymRollouts.runAgain'
  | 'gymRollouts.cancelRun'
  | 'gymRollouts.resumeRun'
  | 'gymRollouts.openRunInViewer'
  | 'gymRollouts.openRunOutput'
  | 'gymRollouts.revealRunFailures'
  | 'gymRollouts.removeRun';

export function runCommands(extension: GymRolloutsExtension): Handlers<RunCommandId> {
  const { context } = extension;

  const runOf = (argument: unknown) => {
    const target = runTarget(argument);
    const record = target ? extension.store.get(target.runId) : undefined;
    if (!record) void vscode.window.showWarningMessage('Choose a run in the Runs view.');
    return record;
  };

  const openRunInViewer = async (argument?: unknown) => {
    const target = runTarget(argument);
    const record = runOf(argument);
    if (!record || !target) return;
    if (!existsSync(record.outputPath)) {
      void vscode.window.showWarningMessage(`${record.outputPath} does not exist (yet).`);
      return;
    }
    await extension.runs.loadResults(record.id);
    const results = extension.runsModel.resultsOf(record.id);
    let entry: number | null | undefined;
    if (target.taskIndex !== undefined && target.rolloutIndex !== undefined) {
      entry = results?.allTasks().find((task) => task.taskIndex === target.taskIndex)?.rollouts.find((rollout) => rollout.rolloutIndex === target.rolloutIndex)?.entry;
    } else {
      const rollouts = (results?.allTasks() ?? []).flatMap((task) => task.rollouts.filter((rollout) => rollout.entry !== null).map((rollout) => ({ task, rollout })));
      if (rollouts.length > 1) {
        const picked = await vscode.window.showQuickPick(
          rollouts.map(({ task, rollout }) => ({
            label: `task ${task.taskIndex}${task.taskId !== null ? ` (id ${task.taskId})` : ''} · rollout ${rollout.rolloutIndex}`,
            description: `reward ${rollout.reward ?? '—'} · ${task.category}`,
            entry: rollout.entry,
          })),
          { title: 'Open which rollout?', placeHolder: 'Rollout to show first' },
        );
        if (!picked) return;
        entry = picked.entry;
      } else entry = rollouts[0]?.rollout.entry;
    }
    await openViewer(context, vscode.Uri.file(record.outputPath), entry ?? undefined);
  };

  /** The same collection again (same input and options) into a new output beside the old one. */
  const runAgain = async (argument?: unknown) => {
    const record = runOf(argument);
    if (!record) return;
    const settings = extension.settings();
    const options: CollectionOptions = { ...(record.options as unknown as CollectionOptions), outputJsonlPath: nextOutputPath(record.outputPath, record.inputPath), resumeFromCache: false };
    const external = record.externalHeadServerUrl;
    await extension.runs.start({ options, agentName: record.agentName, modelName: external || isOracleAgent(record.agentName) ? null : settings.policyModelName, externalHeadServerUrl: external });
  };

  return {
    'gymRollouts.runAgain': runAgain,
    'gymRollouts.cancelRun': async (argument) => {
      const record = runOf(argument);
      if (record) await extension.runs.cancel(record.id);
    },
    'gymRollouts.resumeRun': async (argument) => {
      const record = runOf(argument);
      if (record) await extension.runs.resume(record.id);
    },
    'gymRollouts.openRunInViewer': openRunInViewer,
    'gymRollouts.openRunOutput': async (argument) => {
      const record = runOf(argument);
      if (record) await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(record.outputPath), 'default');
    },
    'gymRollouts.revealRunFailures': async (argument) => {
      const record = runOf(argument);
      if (!record) return;
      const failures = outputPaths(record.outputPath).failures;
      if (!existsSync(failures)) {
        void vscode.window.showInformationMessage(`No failures recorded for ${vscode.workspace.asRelativePath(record.inputPath)}.`);
        return;
      }
      // The viewer's failures tab (counts by class, each failure, its task's input row); the raw JSONL when the
      // run wrote no rollouts to open the viewer on.
      if (existsSync(record.outputPath)) await openViewer(context, vscode.Uri.file(record.outputPath), { tab: 'failures' });
      else await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(failures), 'default');
    },
    'gymRollouts.removeRun': (argument) => {
      const record = runOf(argument);
      if (!record) return;
      if (record.status === 'running') {
        void vscode.window.showWarningMessage('Cancel the run before removing it from the list.');
        return;
      }
      extension.store.remove(record.id);
      extension.runsModel.forget(record.id);
    },
  };
}
