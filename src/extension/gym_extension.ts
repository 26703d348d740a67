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
import { GymHost, type ServersRequest } from './host/gym_host';
import { chooseHeadServerPort } from './host/head_server_port';
import { ExtensionLog } from './logging';
import { RunController } from './runs/run_controller';
import { RunStore } from './runs/run_store';
import { ApiKeyStore, type ApiKeySource } from './secrets/api_key_store';
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
  readonly runs: RunController;
  readonly diagnostics: DatasetDiagnostics;
  private readonly statusBar = new GymStatusBar();

  constructor(readonly context: vscode.ExtensionContext) {
    const subscriptions = context.subscriptions;
    subscriptions.push(this.log, this.statusBar);
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
      onFinished: (record) => {
        const totals = record.totals;
        const figures = totals ? `${totals.done}/${totals.total} rollouts, ${totals.failed} failed, mean reward ${totals.meanReward?.toFixed(2) ?? '—'}` : '';
        const message = `Collection of ${vscode.workspace.asRelativePath(record.inputPath)} ${record.status}${figures ? `: ${figures}` : ''}${record.error ? ` — ${record.error}` : ''}`;
        this.log.info(message);
        if (record.status === 'failed') void vscode.window.showErrorMessage(message);
        else void vscode.window.showInformationMessage(message);
      },
    });

    this.host = new GymHost({
      modulePath: context.asAbsolutePath('dist/host.js'),
      environment: async () => {
        const key = await this.keys.resolve();
        this.log.addSecrets([key?.key]);
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

    this.wireEvents();
    subscriptions.push(...registerCommands(this));
    subscriptions.push(...registerViewer(context));
    void this.refreshKeySource();
    this.updateStatusBar();
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
          this.log.error(`The host process stopped unexpectedly (${state.exit.signal ?? `exit code ${state.exit.code}`}).${state.restarting ? ' Restarting it.' : ''}`);
          this.runs.hostLost();
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
