/**
 * The extension's parts and how they connect: log, settings, API key, host, runs, trees, status bar, dataset
 * diagnostics. Everything registered here lives as long as the extension (`context.subscriptions`); what
 * belongs to one host process lives in that host's lifetime store (see `host/gym_host.ts`).
 */
import * as vscode from 'vscode';
import { registerCommands } from './commands/handlers';
import { VIEW_IDS } from './commands/command_table';
import { affectsServers, readSettings, SETTINGS_SECTION, type ExtensionSettings } from './config/settings';
import { hostEnvironment, serversArgv, type ServerConfigFiles } from './config/settings_to_config';
import { DatasetDiagnostics, SanitizeCodeActionProvider } from './dataset/dataset_diagnostics';
import { TaskFileLenses } from './dataset/task_file_lenses';
import { GymHost, type ServersRequest } from './host/gym_host';
import { chooseHeadServerPort } from './host/head_server_port';
import { ExtensionLog } from './logging';
import { ReadonlyDocuments } from './readonly_documents';
import { finishedAnnouncement } from './runs/run_announcement';
import { RunController } from './runs/run_controller';
import type { RunRecord } from './runs/run_record';
import { RunStore } from './runs/run_store';
import { ApiKeyStore, type ApiKeySource } from './secrets/api_key_store';
import { keyChangeAction } from './secrets/key_change';
import { GymStatusBar } from './status_bar';
import { RunsTreeModel } from './trees/runs_model';
import { ServersTreeModel } from './trees/servers_model';
import { RunsTreeProvider, ServersTreeProvider } from './trees/tree_adapters';
import { registerViewer } from './viewer_bridge';

export class GymRolloutsExtension implements vscode.Disposable {
  readonly log = new ExtensionLog('Gym Rollouts');
  readonly keys: ApiKeyStore;
  readonly store: RunStore;
  readonly runsModel: RunsTreeModel;
  readonly serversModel: ServersTreeModel;
  readonly runsTree: RunsTreeProvider;
  readonly serversTree: ServersTreeProvider;
  readonly runsView: vscode.TreeView<unknown>;
  readonly host: GymHost;
  /** The key the running host process was started with (it reads it from its environment only then). */
  private hostKey: string | null | undefined;
  readonly runs: RunController;
  readonly diagnostics: DatasetDiagnostics;
  /** Server status and config dumps, shown read-only. */
  readonly documents = new ReadonlyDocuments();
  private readonly statusBar = new GymStatusBar();

  constructor(readonly context: vscode.ExtensionContext) {
    const subscriptions = context.subscriptions;
    subscriptions.push(this.log, this.statusBar, this.documents);
    this.keys = new ApiKeyStore(context.secrets, process.env);
    this.store = new RunStore(context.workspaceState);
    this.runsModel = new RunsTreeModel(this.store);
    this.serversModel = new ServersTreeModel({ host: { kind: 'stopped' }, servers: null, settings: this.settings(), apiKeySource: null });

    this.runs = new RunController({
      store: this.store,
      model: this.runsModel,
      host: { request: (type, params, options) => this.host.request(type, params, options) },
      ensureServers: () => this.ensureServers(),
      refresh: () => this.runsTree.refresh(),
      onFinished: (record) => void this.announceFinished(record),
    });

    this.host = new GymHost({
      modulePath: context.asAbsolutePath('dist/host.js'),
      environment: async () => {
        const key = await this.keys.resolve();
        this.log.addSecrets([key?.key]);
        this.hostKey = key?.key ?? null;
        return hostEnvironment(process.env, key?.key ?? null);
      },
      cwd: this.workspaceFolder() ?? context.extensionPath,
      log: (line) => this.log.write(line.level, `[host${line.source === 'protocol' ? '' : ` ${line.source}`}] ${line.message}`),
      collectionEvents: {
        progress: (params) => this.runs.onProgress(params),
        notice: (params) => this.runs.onNotice(params),
        finished: (params) => this.runs.onFinished(params),
      },
      afterStart: () => this.runs.resumeLost(),
    });
    subscriptions.push({ dispose: () => this.host.dispose() });

    this.runsTree = new RunsTreeProvider(this.runsModel, (runId) => void this.runs.loadResults(runId));
    this.serversTree = new ServersTreeProvider(this.serversModel);
    this.runsView = vscode.window.createTreeView(VIEW_IDS.runs, { treeDataProvider: this.runsTree, showCollapseAll: true, canSelectMany: true });
    subscriptions.push(this.runsTree, this.serversTree, this.runsView, vscode.window.createTreeView(VIEW_IDS.servers, { treeDataProvider: this.serversTree }));

    this.diagnostics = new DatasetDiagnostics((message) => this.log.warn(message));
    subscriptions.push(
      this.diagnostics,
      vscode.languages.registerCodeActionsProvider({ pattern: '**/*.jsonl' }, new SanitizeCodeActionProvider(), SanitizeCodeActionProvider.metadata),
    );
    const lenses = new TaskFileLenses(this.store);
    subscriptions.push(lenses, vscode.languages.registerCodeLensProvider({ pattern: '**/*.jsonl' }, lenses));

    this.wireEvents();
    subscriptions.push(...registerCommands(this));
    subscriptions.push(...registerViewer(context));
    void this.refreshKeySource();
    this.updateStatusBar();
  }

  /** A run ended: say how, loudly when it did not write everything, with the next step one click away. */
  private async announceFinished(record: RunRecord): Promise<void> {
    const announcement = finishedAnnouncement(record, vscode.workspace.asRelativePath(record.outputPath));
    this.log.write(announcement.severity === 'error' ? 'error' : announcement.severity === 'warning' ? 'warn' : 'info', announcement.message);
    const show = { error: vscode.window.showErrorMessage, warning: vscode.window.showWarningMessage, info: vscode.window.showInformationMessage }[announcement.severity];
    const choice = await show(announcement.message, ...announcement.actions);
    const target = { runId: record.id };
    if (choice === 'Open in Viewer') await vscode.commands.executeCommand('gymRollouts.openRunInViewer', target);
    else if (choice === 'Show Failures') await vscode.commands.executeCommand('gymRollouts.revealRunFailures', target);
    else if (choice === 'Resume') await vscode.commands.executeCommand('gymRollouts.resumeRun', target);
    else if (choice === 'Show Logs') this.log.channel.show();
  }

  settings(): ExtensionSettings {
    const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    return readSettings((key) => configuration.get(key));
  }

  workspaceFolder(): string | null {
    return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? null;
  }

  configFiles(): ServerConfigFiles {
    return {
      responsesModel: this.context.asAbsolutePath('configs/openai_model.yaml'),
      chatCompletionsModel: this.context.asAbsolutePath('configs/chat_completions_model.yaml'),
      workplaceAssistant: this.context.asAbsolutePath('configs/workplace_assistant.yaml'),
    };
  }

  async serversRequest(): Promise<ServersRequest> {
    const workspaceFolder = this.workspaceFolder();
    const argv = serversArgv(this.settings(), this.configFiles(), workspaceFolder, await chooseHeadServerPort());
    return { argv, cwd: workspaceFolder ?? this.context.extensionPath };
  }

  /** Starts the host's servers unless they run (progress in a notification). */
  async ensureServers(): Promise<void> {
    if (this.host.servers?.state === 'running') return;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Gym Rollouts: starting servers…', cancellable: true },
      async (_progress, token) => {
        const status = await this.host.startServers(await this.serversRequest(), { token });
        this.log.info(`Servers ${status.state}; head server ${status.headServerUrl ?? '—'}.`);
      },
    );
  }

  /**
   * After the key was set or cleared: an idle host is stopped (the next use starts one with the new key). Returns
   * whether servers or collections run in a host that still has the old key, so a restart should be offered.
   */
  async applyKeyChange(): Promise<boolean> {
    const key = await this.keys.resolve();
    const busy = this.host.servers?.state === 'running' || this.host.servers?.state === 'starting' || this.store.all().some((record) => record.status === 'running');
    const action = keyChangeAction({ hostRunning: this.host.supervisor.current !== null, hostKey: this.hostKey, newKey: key?.key ?? null, busy });
    if (action === 'stop-idle-host') {
      this.log.info('The API key changed: the idle host process is stopped, so the next one starts with the new key.');
      await this.host.stop();
    }
    return action === 'offer-restart';
  }

  async refreshKeySource(): Promise<ApiKeySource | null> {
    const key = await this.keys.resolve();
    this.log.addSecrets([key?.key]);
    this.serversModel.update({ apiKeySource: key?.source ?? null });
    this.serversTree.refresh();
    return key?.source ?? null;
  }

  updateStatusBar(): void {
    this.statusBar.show(this.host.hostState, this.host.servers, this.store.all(), this.settings().externalHeadServerUrl);
  }

  private wireEvents(): void {
    const subscriptions = this.context.subscriptions;
    subscriptions.push(
      this.host.supervisor.onDidChangeState((state) => {
        this.serversModel.update({ host: state });
        this.serversTree.refresh();
        this.updateStatusBar();
        if (state.kind === 'crashed') {
          const how = state.exit.signal ?? `exit code ${state.exit.code}`;
          this.log.error(`The host process stopped unexpectedly (${how}).${state.restarting ? ' Restarting it.' : ''}`);
          const interrupted = this.store.all().filter((record) => record.status === 'running').length;
          this.runs.hostLost();
          if (state.restarting) {
            const runs = interrupted > 0 ? ` ${interrupted} running collection${interrupted === 1 ? '' : 's'} will resume from ${interrupted === 1 ? 'its' : 'their'} output files.` : '';
            void vscode.window.showWarningMessage(`Gym Rollouts: the host process stopped (${how}); restarting it.${runs}`, 'Show Logs').then((choice) => {
              if (choice === 'Show Logs') this.log.channel.show();
            });
          }
          if (!state.restarting) {
            void vscode.window.showErrorMessage('Gym Rollouts: the host process stopped unexpectedly.', 'Restart Servers', 'Show Logs').then((choice) => {
              if (choice === 'Restart Servers') void vscode.commands.executeCommand('gymRollouts.restartServers');
              if (choice === 'Show Logs') this.log.channel.show();
            });
          }
        }
      }),
      this.host.onServersChanged((servers) => {
        this.serversModel.update({ servers });
        this.serversTree.refresh();
        this.updateStatusBar();
      }),
      this.store.onDidChange(() => this.updateStatusBar()),
      this.context.secrets.onDidChange(() => void this.refreshKeySource()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration(SETTINGS_SECTION)) return;
        this.serversModel.update({ settings: this.settings() });
        this.serversTree.refresh();
        this.updateStatusBar();
        if (this.host.servers?.state === 'running' && affectsServers((key) => event.affectsConfiguration(key))) {
          void vscode.window.showInformationMessage('Gym Rollouts: restart the servers to use the new settings.', 'Restart Servers').then((choice) => {
            if (choice) void vscode.commands.executeCommand('gymRollouts.restartServers');
          });
        }
      }),
    );
  }

  /** Deactivation: runs in flight become resumable, then the host stops cleanly (killed if it does not). */
  async shutdown(): Promise<void> {
    this.runs.suspendAll();
    await this.store.flush();
    await this.host.stop();
  }

  dispose(): void {
    this.host.dispose();
  }
}
