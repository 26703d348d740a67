/**
 * The handler of every command in the command table. The map is typed `Record<CommandId, …>`, so adding a
 * command to the table without a handler (or the reverse) fails the type check.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { outputPaths } from '../../core/collect/output_paths';
import { writeSanitizedCopy } from '../../core/dataset/sanitize';
import * as protocol from '../../host/protocol';
import { defaultChoices, RememberedChoices } from '../collect/collect_choices';
import { askCollectChoices } from '../collect/collect_wizard';
import { SETTINGS_SECTION } from '../config/settings';
import { collectionOptions } from '../config/settings_to_config';
import { jsonlKindOf } from '../dataset/task_file_kind';
import type { GymRolloutsExtension } from '../gym_extension';
import { listEndpointModels, modelChoices } from '../models/endpoint_models';
import { apiKeyProblem } from '../secrets/api_key_store';
import { describeHost } from '../trees/servers_model';
import { openViewer } from '../viewer_bridge';
import { COMMANDS, VIEW_IDS, type CommandId } from './command_table';
import { renderServerStatus } from './server_status_text';

type Handler = (...args: unknown[]) => unknown;

/** What a Runs view action receives: a tree node, or the arguments of a tree item's own command. */
interface RunTarget {
  runId: string;
  taskIndex?: number;
  rolloutIndex?: number;
}

function runTarget(value: unknown): RunTarget | undefined {
  if (value && typeof value === 'object' && typeof (value as RunTarget).runId === 'string') return value as RunTarget;
  return undefined;
}

/** The `.jsonl` file a command is about: the right-clicked one, else the active editor's (if it is one). */
function targetFile(argument: unknown): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri) return argument;
  const active = vscode.window.activeTextEditor?.document.uri ?? activeCustomEditorUri();
  return active?.fsPath.endsWith('.jsonl') ? active : undefined;
}

function activeCustomEditorUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) return input.uri;
  return undefined;
}

async function pickJsonl(title: string): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ title, canSelectMany: false, filters: { 'JSON Lines': ['jsonl'] } });
  return picked?.[0];
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function openUntitled(content: string, language: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ content, language });
  await vscode.window.showTextDocument(document, { preview: false });
}

/** The head of a file (enough to tell tasks from rollouts), without reading all of it. */
function firstLinesOf(path: string): string[] {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(path, 'r');
    const buffer = Buffer.alloc(256 * 1024);
    const bytes = readSync(descriptor, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytes).toString('utf8').split('\n').slice(0, 5);
  } catch {
    return [];
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

export function registerCommands(extension: GymRolloutsExtension): vscode.Disposable[] {
  const { context, log } = extension;
  const remembered = new RememberedChoices(context.workspaceState);

  const reportFailure = (what: string) => (error: unknown) => {
    log.error(`${what} failed: ${errorText(error)}`);
    void vscode.window.showErrorMessage(`Gym Rollouts: ${what} failed: ${log.redact(errorText(error))}`);
  };

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
    const settings = extension.settings();
    const start = remembered.get(file.fsPath) ?? defaultChoices(file.fsPath, settings);
    const choices = await askCollectChoices(file.fsPath, start, knownAgents(), dirname(file.fsPath));
    if (!choices) return;
    await remembered.remember(file.fsPath, choices);
    const external = settings.externalHeadServerUrl || null;
    await vscode.commands.executeCommand(`${VIEW_IDS.runs}.focus`);
    const record = await extension.runs.start({
      options: collectionOptions(file.fsPath, choices, settings),
      agentName: choices.agentName,
      modelName: external ? null : settings.policyModelName,
      externalHeadServerUrl: external,
    });
    log.info(`Collection ${record.id} started: ${record.inputPath} → ${record.outputPath}`);
  };

  const startServers = async () => {
    if (extension.settings().externalHeadServerUrl) {
      void vscode.window.showInformationMessage('Gym Rollouts uses the external deployment set in gymRollouts.externalHeadServerUrl; it starts no servers of its own.');
      return;
    }
    await extension.ensureServers();
  };

  const stopServers = async () => {
    const running = extension.store.all().filter((record) => record.status === 'running' && !record.externalHeadServerUrl);
    if (running.length > 0) {
      const choice = await vscode.window.showWarningMessage(`${running.length} collection(s) use the servers. Stop anyway? They can be resumed later.`, { modal: true }, 'Stop');
      if (choice !== 'Stop') return;
      for (const record of running) await extension.runs.cancel(record.id);
    }
    await extension.host.stopServers();
  };

  const restartServers = async () => {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Gym Rollouts: restarting the host and servers…' }, async () => {
      extension.runs.hostLost();
      await extension.host.restart(await extension.serversRequest());
      if (!extension.settings().externalHeadServerUrl) await extension.ensureServers();
    });
  };

  const setApiKey = async () => {
    const value = await vscode.window.showInputBox({
      title: 'Gym Rollouts: API key of the policy endpoint',
      prompt: 'Stored in the editor’s secret storage; it reaches the host process through its environment only.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (text) => apiKeyProblem(text),
    });
    if (value === undefined) return;
    await extension.keys.set(value);
    await extension.refreshKeySource();
    log.info('API key stored in the secret storage.');
    if (extension.host.supervisor.current) {
      const choice = await vscode.window.showInformationMessage('API key stored. Restart the servers to use it.', 'Restart Servers');
      if (choice) await restartServers();
    } else {
      void vscode.window.showInformationMessage('Gym Rollouts: API key stored.');
    }
  };

  const clearApiKey = async () => {
    await extension.keys.clear();
    const source = await extension.refreshKeySource();
    void vscode.window.showInformationMessage(source ? `Stored API key removed; the key now comes from ${source}.` : 'Stored API key removed.');
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

  const showServerStatus = async () => {
    const settings = extension.settings();
    const text = await renderServerStatus({
      host: describeHost(extension.host.hostState),
      servers: extension.host.servers,
      settings,
      apiKeySource: extension.serversModel.current.apiKeySource,
    });
    await openUntitled(text, 'markdown');
  };

  const dumpConfig = async () => {
    const settings = extension.settings();
    const request = await extension.serversRequest();
    // What runs (an external deployment, or the host's own servers) rather than what would run.
    const running = extension.host.servers?.state === 'running' ? extension.host.servers.headServerUrl : null;
    const headServerUrl = settings.externalHeadServerUrl || running;
    const dump = await extension.host.request(protocol.configDump, { ...request, headServerUrl }, { timeoutMs: 30_000 });
    const header =
      dump.source === 'head-server'
        ? `# Config served by the head server at ${headServerUrl} (secrets masked)\n`
        : '# Resolved config the extension’s servers would start with (secrets masked)\n';
    await openUntitled(log.redact(header + dump.yaml), 'yaml');
  };

  const selectModel = async () => {
    const settings = extension.settings();
    const key = await extension.keys.resolve();
    const listed = await listEndpointModels(settings.policyBaseUrl, key?.key ?? null).catch((error: unknown) => {
      log.warn(`Listing models at ${settings.policyBaseUrl} failed: ${errorText(error)}`);
      return [] as string[];
    });
    const choices = modelChoices(settings.policyBaseUrl, settings.policyModelName, listed);
    const picked = await vscode.window.showQuickPick(
      choices.map((choice) => ({ label: choice.id, description: { current: 'current', suggested: 'suggested for NVIDIA’s endpoint', endpoint: 'listed by /v1/models' }[choice.source] })),
      { title: `Policy model at ${settings.policyBaseUrl}`, placeHolder: 'Model name' },
    );
    if (!picked) return;
    const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const inspected = configuration.inspect('policy.modelName');
    const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await configuration.update('policy.modelName', picked.label, target);
  };

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

  const handlers: Record<CommandId, Handler> = {
    'gymRollouts.collectRollouts': collectRollouts,
    'gymRollouts.validateDataset': validateDataset,
    'gymRollouts.openRolloutViewer': openRolloutViewer,
    'gymRollouts.writeSanitizedCopy': sanitize,
    'gymRollouts.startServers': startServers,
    'gymRollouts.stopServers': stopServers,
    'gymRollouts.restartServers': restartServers,
    'gymRollouts.showServerStatus': showServerStatus,
    'gymRollouts.dumpConfig': dumpConfig,
    'gymRollouts.setApiKey': setApiKey,
    'gymRollouts.clearApiKey': clearApiKey,
    'gymRollouts.selectModel': selectModel,
    'gymRollouts.showLogs': () => log.channel.show(),
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
      if (existsSync(failures)) await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(failures), 'default');
      else void vscode.window.showInformationMessage(`No failures recorded for ${vscode.workspace.asRelativePath(record.inputPath)}.`);
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

  return COMMANDS.map((spec) =>
    vscode.commands.registerCommand(spec.id, async (...args: unknown[]) => {
      try {
        return await handlers[spec.id](...args);
      } catch (error) {
        reportFailure(spec.title)(error);
        return undefined;
      }
    }),
  );
}
