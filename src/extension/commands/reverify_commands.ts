/**
 * Reverify Rollouts: a rollout file (explorer, palette) or a run's output (Runs view) verified again by the host
 * process with the current environment, then which rewards flipped: a notification with the counts, the viewer
 * comparing the reverified file with the original, and a Markdown report.
 */
import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { outputPaths } from '../../core/collect/output_paths';
import { flipCounts, reverifyReportMarkdown, reverifySummary } from '../../core/reverify/reverify_report';
import { defaultReverifyOutput } from '../../core/reverify/reverify_rollouts';
import * as protocol from '../../host/protocol';
import type { GymRolloutsExtension } from '../gym_extension';
import { openViewer } from '../viewer_bridge';
import { pickJsonl, runTarget, targetFile, type Handlers } from './shared';

export type ReverifyCommandId = 'gymRollouts.reverifyRollouts';

const REVERIFY_TIMEOUT_MS = 60 * 60_000;

export function reverifyCommands(extension: GymRolloutsExtension): Handlers<ReverifyCommandId> {
  const { context } = extension;

  const fileOf = async (argument: unknown): Promise<vscode.Uri | undefined> => {
    const target = runTarget(argument);
    if (target) {
      const record = extension.store.get(target.runId);
      if (!record) void vscode.window.showWarningMessage('Choose a run in the Runs view.');
      return record ? vscode.Uri.file(record.outputPath) : undefined;
    }
    return targetFile(argument) ?? (await pickJsonl('Rollout file to verify again'));
  };

  return {
    'gymRollouts.reverifyRollouts': async (argument) => {
      const file = await fileOf(argument);
      if (!file) return;
      const rolloutsPath = file.fsPath;
      const name = vscode.workspace.asRelativePath(rolloutsPath);
      if (!existsSync(rolloutsPath)) {
        void vscode.window.showWarningMessage(`${name} does not exist (yet).`);
        return;
      }
      const inputsPath = outputPaths(rolloutsPath).materializedInputs;
      if (!existsSync(inputsPath)) {
        void vscode.window.showWarningMessage(`Reverify needs the rollouts' input rows, ${basename(inputsPath)}, beside ${basename(rolloutsPath)} (the collector writes it).`);
        return;
      }
      const outputPath = defaultReverifyOutput(rolloutsPath);
      // The host reads the API key from its environment when it starts: one started only for this (before a key
      // was set) is stopped again, so the next collection starts a host that has the key.
      const hostWasStopped = extension.host.hostState.kind === 'stopped';
      let done: protocol.ReverifyDone;
      try {
        done = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Reverifying ${name}`, cancellable: true },
          (_progress, token) =>
            extension.host.request(protocol.reverifyRollouts, { rolloutsPath, inputsPath, outputPath, cwd: extension.workspaceFolder() ?? dirname(rolloutsPath) }, { timeoutMs: REVERIFY_TIMEOUT_MS, token }),
        );
      } finally {
        const busy = extension.host.servers?.state === 'running' || extension.host.servers?.state === 'starting' || extension.store.all().some((record) => record.status === 'running');
        if (hostWasStopped && !busy) await extension.host.stop().catch(() => undefined);
      }
      const summary = reverifySummary(done.verified, done.failed, done.changes);
      extension.log.info(`Reverified ${rolloutsPath} into ${done.outputPath}: ${summary}`);
      const actions = done.changes.length > 0 ? (['Compare in Viewer', 'Show Report'] as const) : (['Show Report'] as const);
      const show = flipCounts(done.changes).nowFailing > 0 || done.failed > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
      const choice = await show(`Reverified ${name}: ${summary}`, ...actions);
      if (choice === 'Compare in Viewer') {
        // The reverified file against the original: regressions are the rewards that now fail, fixes those that now pass.
        await openViewer(context, vscode.Uri.file(done.outputPath), { compareWith: file, tab: 'compare' });
      } else if (choice === 'Show Report') {
        const content = reverifyReportMarkdown(
          { rollouts: name, inputs: vscode.workspace.asRelativePath(inputsPath), output: vscode.workspace.asRelativePath(done.outputPath), metrics: done.metricsPath && vscode.workspace.asRelativePath(done.metricsPath), failures: vscode.workspace.asRelativePath(done.failuresPath) },
          done,
        );
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content }), { preview: false });
      }
    },
  };
}
