/**
 * The Servers view as plain data: whether the host runs (and, if it died, its last log lines), each server with
 * kind, URL and state, and the data directory, model endpoint and key source in use — never the key itself.
 */
import type { ServerInfo } from '../../core/servers/api';
import type { ServersStatus } from '../../host/protocol';
import type { ExtensionSettings } from '../config/settings';
import type { HostState } from '../host/host_supervisor';
import type { ApiKeySource } from '../secrets/api_key_store';
import type { TreeNodeView } from './tree_node';

export interface ServersSnapshot {
  host: HostState;
  servers: ServersStatus | null;
  settings: ExtensionSettings;
  apiKeySource: ApiKeySource | null;
}

export type ServersNode =
  | { kind: 'host' }
  | { kind: 'hostLine'; index: number; text: string }
  | { kind: 'server'; server: ServerInfo }
  | { kind: 'detail'; key: 'data' | 'model' | 'key' | 'external' | 'error'; label: string; value: string };

const KIND_LABEL: Record<ServerInfo['kind'], string> = {
  head: 'head server',
  responses_api_models: 'model server',
  resources_servers: 'resources server',
  responses_api_agents: 'agent server',
};

const SERVER_STATE_ICON: Record<ServerInfo['state'], { id: string; color?: string }> = {
  starting: { id: 'loading~spin' },
  ready: { id: 'pass-filled', color: 'testing.iconPassed' },
  stopping: { id: 'loading~spin' },
  stopped: { id: 'circle-large-outline' },
  failed: { id: 'error', color: 'testing.iconFailed' },
};

export function describeHost(host: HostState): string {
  switch (host.kind) {
    case 'stopped':
      return 'not running';
    case 'starting':
      return 'starting…';
    case 'running':
      return `running (pid ${host.pid ?? '?'})`;
    case 'stopping':
      return 'stopping…';
    case 'crashed': {
      const how = host.exit.signal ? `killed by ${host.exit.signal}` : `exit code ${host.exit.code}`;
      return `stopped unexpectedly (${how})${host.restarting ? ', restarting…' : ''}`;
    }
  }
}

const KEY_SOURCE_LABEL: Record<ApiKeySource, string> = {
  'secret-storage': 'stored in the editor’s secret storage',
  NVIDIA_API_KEY: 'from NVIDIA_API_KEY',
  OPENAI_API_KEY: 'from OPENAI_API_KEY',
};

export class ServersTreeModel {
  private snapshot: ServersSnapshot;

  constructor(initial: ServersSnapshot) {
    this.snapshot = initial;
  }

  update(change: Partial<ServersSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
  }

  get current(): ServersSnapshot {
    return this.snapshot;
  }

  get isExternal(): boolean {
    return this.snapshot.settings.externalHeadServerUrl !== '';
  }

  roots(): ServersNode[] {
    const { servers, settings } = this.snapshot;
    const nodes: ServersNode[] = [];
    if (this.isExternal) {
      nodes.push({ kind: 'detail', key: 'external', label: 'External deployment', value: settings.externalHeadServerUrl });
    } else {
      nodes.push({ kind: 'host' });
      for (const server of servers?.servers ?? []) nodes.push({ kind: 'server', server });
      if (servers?.error) nodes.push({ kind: 'detail', key: 'error', label: 'Error', value: servers.error });
      nodes.push({ kind: 'detail', key: 'data', label: 'Data directory', value: servers?.dataDirectory ?? (settings.dataDirectory || 'automatic (found when the servers start)') });
    }
    const model = servers?.policyModelName ?? settings.policyModelName;
    const url = servers?.policyBaseUrl ?? settings.policyBaseUrl;
    if (!this.isExternal) nodes.push({ kind: 'detail', key: 'model', label: 'Model', value: `${model} @ ${url} (${settings.apiStyle === 'responses' ? 'Responses' : 'Chat Completions'})` });
    nodes.push({ kind: 'detail', key: 'key', label: 'API key', value: this.snapshot.apiKeySource ? KEY_SOURCE_LABEL[this.snapshot.apiKeySource] : 'none (Set API Key, or NVIDIA_API_KEY)' });
    return nodes;
  }

  children(node: ServersNode): ServersNode[] {
    if (node.kind !== 'host') return [];
    const { host } = this.snapshot;
    if (host.kind !== 'crashed') return [];
    return host.exit.lastLines.map((text, index) => ({ kind: 'hostLine', index, text }));
  }

  view(node: ServersNode): TreeNodeView {
    switch (node.kind) {
      case 'host': {
        const { host, servers } = this.snapshot;
        const crashed = host.kind === 'crashed';
        const serversState = servers && host.kind === 'running' ? ` · servers ${servers.state}` : '';
        return {
          // A new id when it died, so the item opens on its last lines instead of keeping the old collapse state.
          id: crashed ? 'host:crashed' : 'host',
          label: 'Host process',
          description: `${describeHost(host)}${serversState}`,
          tooltip: crashed ? `The host process stopped unexpectedly. Its last lines are listed below.\nRestart Servers starts it again.` : undefined,
          icon: crashed ? { id: 'error', color: 'testing.iconFailed' } : host.kind === 'running' ? { id: 'server-process', color: 'testing.iconPassed' } : { id: 'server-process' },
          contextValue: `gymHost ${host.kind}`,
          collapsible: crashed && host.exit.lastLines.length > 0 ? 'expanded' : 'none',
        };
      }
      case 'hostLine':
        return { id: `host:line:${node.index}`, label: node.text, tooltip: node.text, collapsible: 'none' };
      case 'server':
        return {
          id: `server:${node.server.name}`,
          label: node.server.name,
          description: `${KIND_LABEL[node.server.kind]} · ${node.server.url} · ${node.server.state}`,
          tooltip: `${node.server.name} (${node.server.kind}/${node.server.implementation})\n${node.server.url}\nstate: ${node.server.state}`,
          icon: SERVER_STATE_ICON[node.server.state],
          contextValue: 'gymServer',
          collapsible: 'none',
        };
      case 'detail': {
        const command =
          node.key === 'model'
            ? { id: 'gymRollouts.selectModel' as const, title: 'Select Policy Model', args: [] }
            : node.key === 'key'
              ? { id: 'gymRollouts.setApiKey' as const, title: 'Set API Key', args: [] }
              : undefined;
        return {
          id: `detail:${node.key}`,
          label: node.label,
          description: node.value,
          tooltip: `${node.label}: ${node.value}${command ? `\nClick to ${command.title.toLowerCase()}.` : ''}`,
          icon: { id: { data: 'database', model: 'hubot', key: 'key', external: 'remote', error: 'error' }[node.key] },
          collapsible: 'none',
          ...(command ? { command } : {}),
        };
      }
    }
  }
}
