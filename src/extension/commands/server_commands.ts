/** Commands on the servers and the policy endpoint: start, stop, restart, status, config, API key, model. */
import * as vscode from 'vscode';
import * as protocol from '../../host/protocol';
import { SETTINGS_SECTION } from '../config/settings';
import type { GymRolloutsExtension } from '../gym_extension';
import { listEndpointModels, modelChoices } from '../models/endpoint_models';
import { apiKeyProblem } from '../secrets/api_key_store';
import { describeHost } from '../trees/servers_model';
import { renderServerStatus } from './server_status_text';
import { errorText, type Handlers } from './shared';

export type ServerCommandId =
  | 'gymRollouts.startServers'
  | 'gymRollouts.stopServers'
  | 'gymRollouts.restartServers'
  | 'gymRollouts.showServerStatus'
  | 'gymRollouts.dumpConfig'
  | 'gymRollouts.setApiKey'
  | 'gymRollouts.clearApiKey'
  | 'gymRollouts.selectModel'
  | 'gymRollouts.showLogs';

export function serverCommands(extension: GymRolloutsExtension): Handlers<ServerCommandId> {
  const { log } = extension;

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
    if (await extension.applyKeyChange()) {
      const choice = await vscode.window.showInformationMessage('API key stored. Restart the servers to use it.', 'Restart Servers');
      if (choice) await restartServers();
    } else {
      void vscode.window.showInformationMessage('Gym Rollouts: API key stored.');
    }
  };

  const clearApiKey = async () => {
    await extension.keys.clear();
    const source = await extension.refreshKeySource();
    const restart = (await extension.applyKeyChange()) ? ' Restart the servers to stop using the old one.' : '';
    void vscode.window.showInformationMessage(`${source ? `Stored API key removed; the key now comes from ${source}.` : 'Stored API key removed.'}${restart}`);
  };

  const showServerStatus = async () => {
    const settings = extension.settings();
    const text = await renderServerStatus({
      host: describeHost(extension.host.hostState),
      servers: extension.host.servers,
      settings,
      apiKeySource: extension.serversModel.current.apiKeySource,
    });
    await vscode.commands.executeCommand('markdown.showPreview', extension.documents.set('Gym Rollouts Server Status.md', text));
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
    const document = await vscode.workspace.openTextDocument(extension.documents.set('Gym Rollouts Config (secrets masked).yaml', log.redact(header + dump.yaml)));
    await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(document, 'yaml'), { preview: false });
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

  return {
    'gymRollouts.startServers': startServers,
    'gymRollouts.stopServers': stopServers,
    'gymRollouts.restartServers': restartServers,
    'gymRollouts.showServerStatus': showServerStatus,
    'gymRollouts.dumpConfig': dumpConfig,
    'gymRollouts.setApiKey': setApiKey,
    'gymRollouts.clearApiKey': clearApiKey,
    'gymRollouts.selectModel': selectModel,
    'gymRollouts.showLogs': () => log.channel.show(),
  };
}
