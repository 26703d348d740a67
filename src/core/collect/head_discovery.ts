import { parse as parseYaml } from 'yaml';
import type { HttpClient } from '../servers/http/http_client';
import { isJsonObject } from '../json_object';

export const SERVER_TYPES = ['responses_api_models', 'resources_servers', 'responses_api_agents'] as const;
export type ServerType = (typeof SERVER_TYPES)[number];

export interface DiscoveredServer {
  name: string;
  serverType: ServerType;
  implementation: string;
  url: string;
}

export class DiscoveryError extends Error {
  constructor(
    message: string,
    /** The agent that is not running, when that is the error. */
    readonly missingAgent: string | null = null,
  ) {
    super(message);
    this.name = 'DiscoveryError';
  }
}

/**
 * Reads the global config from a head server (ours or NeMo Gym's): `GET /global_config_dict_yaml` answers a
 * JSON string whose content is YAML, so it is decoded twice.
 */
export async function fetchGlobalConfig(headServerUrl: string, client: HttpClient, timeoutMs = 10_000): Promise<Record<string, unknown>> {
  const url = `${headServerUrl.replace(/\/+$/, '')}/global_config_dict_yaml`;
  let bodyText: string;
  try {
    const result = await client.get(url, { timeoutMs });
    if (result.status !== 200) throw new DiscoveryError(`The head server at ${headServerUrl} answered HTTP ${result.status} for /global_config_dict_yaml.`);
    bodyText = result.bodyText;
  } catch (error) {
    if (error instanceof DiscoveryError) throw error;
    throw new DiscoveryError(
      `No head server answers at ${headServerUrl} (${error instanceof Error ? error.message : String(error)}). ` +
        'Start the servers with ng_run, pass +head_server={host: ..., port: ...}, or pass +config_paths=[...] to start them for this run.',
    );
  }
  let yamlText: unknown;
  try {
    yamlText = JSON.parse(bodyText);
  } catch {
    throw new DiscoveryError(`The head server at ${headServerUrl} did not answer a JSON string for /global_config_dict_yaml.`);
  }
  if (typeof yamlText !== 'string') throw new DiscoveryError(`The head server at ${headServerUrl} did not answer a JSON string for /global_config_dict_yaml.`);
  const config: unknown = parseYaml(yamlText);
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new DiscoveryError(`The head server at ${headServerUrl} answered a config that is not a mapping.`);
  }
  return config as Record<string, unknown>;
}

/** Every server block of a global config with its address (`http://{host}:{port}`). */
export function discoverServers(config: Record<string, unknown>): DiscoveredServer[] {
  const servers: DiscoveredServer[] = [];
  for (const [name, block] of Object.entries(config)) {
    if (!isJsonObject(block)) continue;
    for (const serverType of SERVER_TYPES) {
      const implementations = block[serverType];
      if (!isJsonObject(implementations)) continue;
      for (const [implementation, serverConfig] of Object.entries(implementations)) {
        if (!isJsonObject(serverConfig)) continue;
        const { host, port } = serverConfig;
        if ((typeof host === 'string' || typeof host === 'undefined') && (typeof port === 'number' || typeof port === 'string')) {
          servers.push({ name, serverType, implementation, url: `http://${host ?? '127.0.0.1'}:${port}` });
        }
      }
    }
  }
  return servers;
}

export function findAgent(servers: DiscoveredServer[], agentName: string): DiscoveredServer {
  const agent = servers.find((server) => server.name === agentName && server.serverType === 'responses_api_agents');
  if (agent) return agent;
  const agents = servers.filter((server) => server.serverType === 'responses_api_agents').map((server) => server.name);
  throw new DiscoveryError(
    `No agent named ${agentName} is running.${agents.length > 0 ? ` Running agents: ${agents.join(', ')}.` : ' No agent is running.'}`,
    agentName,
  );
}

