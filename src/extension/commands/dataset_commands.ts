/** Commands on task and rollout files: collect, validate, sanitize, open in the viewer. */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { writeSanitizedCopy } from '../../core/dataset/sanitize';
import { defaultChoices, RememberedChoices } from '../collect/collect_choices';
import { askCollectChoices, confirmCollection } from '../collect/collect_wizard';
import type { ExtensionSettings } from '../config/settings';
import type { CollectChoices } from '../config/settings_to_config';
import { isOracleAgent } from '../runs/run_record';
import { collectionOptions } from '../config/settings_to_config';
import { generateTrainingTasks } from '../dataset/generate_tasks_flow';
import { jsonlKindOf } from '../dataset/task_file_kind';
import type { GymRolloutsExtension } from '../gym_extension';
import { openViewer } from '../viewer_bridge';
import { VIEW_IDS } from './command_table';
import { firstLinesOf, pickJsonl, targetFile, type Handlers } from './shared';

export type DatasetCommandId = 'gymRollouts.collectRollouts' | 'gymRollouts.validateDataset' | 'gymRollouts.writeSanitizedCopy' | 'gymRollouts.openRolloutViewer' | 'gymRollouts.generateTrainingTasks';

export function datasetCommands(extension: GymRolloutsExtension): Handlers<DatasetCommandId> {
  const { context, log } = extension;
  const remembered = new RememberedChoices(context.workspaceState);

  const knownAgents = (): string[] => {
    const running = extension.host.servers?.servers.filter((server) => server.kind === 'responses_api_agents').map((server) => server.name) ?? [];
    return [...new Set([extension.settings().defaultAgent, ...running, 'workplace_assistant_simple_agent', 'workplace_assistant_oracle_agent'])];
  };

  const collectRollouts = async (argument?: unknown) => {
    const file = targetFile(argument) ?? (await pickJsonl('Task file to collect rollouts for'));
    if (!file) return;
    if (jsonlKindOf(firstLinesOf(file.fsPath)) === 'rollouts') {
      const choice = await vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(file)} looks like rollouts, not tasks.`, 'Collect Anyway', 'Open in Viewer');
      if (choice === 'Open in Viewer') return openViewer(context, file);
      if (choice !== 'Collect Anyway') return;
    }
    const skipInvalidRows = await askAboutInvalidRows(file);
    if (skipInvalidRows === undefined) return;
    const settings = extension.settings();
    const start = remembered.get(file.fsPath, { ...defaultChoices(file.fsPath, settings, extension.workspaceFolder()), skipInvalidRows });
    const choices = await askCollectChoices(file.fsPath, start, knownAgents(), extension.workspaceFolder() ?? dirname(file.fsPath));
    if (!choices) return;
    await remembered.remember(file.fsPath, choices);
    const external = settings.externalHeadServerUrl || null;
    const modelName = external || isOracleAgent(choices.agentName) ? null : settings.policyModelName;
    if (!(await confirmCollection(summaryLines(file.fsPath, choices, settings, modelName)))) return;
    await vscode.commands.executeCommand(`${VIEW_IDS.runs}.focus`);
    const record = await extension.runs.start({ options: collectionOptions(file.fsPath, choices, settings), agentName: choices.agentName, modelName, externalHeadServerUrl: external });
    log.info(`Collection ${record.id} started: ${record.inputPath} → ${record.outputPath}`);
  };

  /**
   * A file with invalid rows asks first: collect the valid rows (the invalid ones go to the failures file) or fix
   * the file. Returns whether to skip invalid rows, or undefined to stop here.
   */
  const askAboutInvalidRows = async (file: vscode.Uri): Promise<boolean | undefined> => {
    const summary = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Checking the task file…' }, () => extension.diagnostics.validate(file));
    if (summary.errors === 0) return false;
    const name = vscode.workspace.asRelativePath(file);
    const choice = await vscode.window.showWarningMessage(
      `${name} has ${summary.errors} problem${summary.errors === 1 ? '' : 's'} that make rows invalid.`,
      {
        modal: true,
        detail: 'Invalid rows are never sent to the model. Collect the valid rows (each invalid one is recorded in the failures file, with its line and field), or fix the file first: the problems are in the Problems panel.',
      },
      'Collect Valid Rows',
      'Show Problems',
    );
    if (choice === 'Collect Valid Rows') return true;
    if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
    return undefined;
  };

  const validateDataset = async (argument?: unknown) => {
    const file = targetFile(argument) ?? (await pickJsonl('Task file to validate'));
    if (!file) return;
    const summary = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Validating dataset…' }, () => extension.diagnostics.validate(file));
    const name = vscode.workspace.asRelativePath(file);
    if (summary.errors + summary.warnings + summary.information === 0) {
      void vscode.window.showInformationMessage(`${name}: no problems found.`);
      return;
    }
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    void vscode.window.showWarningMessage(`${name}: ${summary.errors} error(s), ${summary.warnings} warning(s), ${summary.information} note(s) — see the Problems panel.`);
  };

  const sanitize = async (argument?: unknown) => {
    const file = targetFile(argument) ?? (await pickJsonl('Task file to sanitize'));
    if (!file) return;
    const report = await writeSanitizedCopy(file.fsPath);
    const copy = vscode.Uri.file(report.outputPath);
    log.info(`Sanitized copy written: ${report.outputPath} (${report.rowsChanged} of ${report.rows} rows changed, ${report.blankLinesRemoved} blank lines removed)`);
    await vscode.window.showTextDocument(copy, { preview: false });
    void extension.diagnostics.validate(copy);
    void vscode.window.showInformationMessage(`Wrote ${vscode.workspace.asRelativePath(copy)}: ${report.rowsChanged} of ${report.rows} rows repaired; the original is unchanged.`);
  };

  const openRolloutViewer = async (argument?: unknown) => {
    let file = targetFile(argument);
    if (file && jsonlKindOf(firstLinesOf(file.fsPath)) === 'tasks') {
      // A task file: show the rollouts of its latest run, if there is one.
      const latest = extension.store.all().find((record) => record.inputPath === file!.fsPath && existsSync(record.outputPath));
      if (latest) file = vscode.Uri.file(latest.outputPath);
    }
    file ??= await pickJsonl('Rollout file to open');
    if (file) await openViewer(context, file);
  };

  const generateTasks = async () => {
    const folder = extension.workspaceFolder() ?? homedir();
    const configured = extension.settings().dataDirectory;
    await generateTrainingTasks({
      folder,
      configuredDataDirectory: configured ? (isAbsolute(configured) ? configured : join(folder, configured)) : null,
      logger: { trace: () => {}, debug: () => {}, info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) },
      ui: {
        ask: (prompt, value, validate) => Promise.resolve(vscode.window.showInputBox({ prompt, value, validateInput: validate, ignoreFocusOut: true })),
        askOutputPath: async (defaultPath) => (await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(defaultPath), filters: { 'JSON Lines': ['jsonl'] }, title: 'Where to write the generated tasks' }))?.fsPath,
        withProgress: (title, work) => Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, work)),
        openFile: async (path) => void (await vscode.window.showTextDocument(vscode.Uri.file(path), { preview: false })),
        info: (message) => void vscode.window.showInformationMessage(message),
        error: (message) => void vscode.window.showErrorMessage(message),
      },
    });
  };

  return {
    'gymRollouts.generateTrainingTasks': generateTasks,
    'gymRollouts.collectRollouts': collectRollouts,
    'gymRollouts.validateDataset': validateDataset,
    'gymRollouts.writeSanitizedCopy': sanitize,
    'gymRollouts.openRolloutViewer': openRolloutViewer,
  };
}

function summaryLines(inputPath: string, choices: CollectChoices, settings: ExtensionSettings, modelName: string | null) {
  const rows = choices.limit === null ? 'every row' : `the first ${choices.limit}`;
  return {
    endpoint: settings.externalHeadServerUrl ? `the deployment at ${settings.externalHeadServerUrl}` : settings.policyBaseUrl,
    model: isOracleAgent(choices.agentName) ? 'none: the oracle replays each row’s ground truth' : (modelName ?? 'the deployment’s'),
    agent: choices.agentName,
    size: `${rows} × ${choices.numRepeats} repeat${choices.numRepeats === 1 ? '' : 's'}, ${choices.parallelism} at once${choices.skipInvalidRows ? ', invalid rows recorded as failures' : ''}`,
    input: vscode.workspace.asRelativePath(inputPath),
    output: vscode.workspace.asRelativePath(choices.outputPath),
  };
}
