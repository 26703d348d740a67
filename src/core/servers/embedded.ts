import { dirname, join } from 'node:path';
import type { Logger } from '../logger';
import {
  applyServerAddresses,
  assignHostsAndPorts,
  checkOptions,
  collectSecretValues,
  findServers,
  headServerAddress,
  headServerConfigYaml,
  loadGlobalConfig,
  redactText,
  resolveConfig,
  type ConfigDict,
} from '../config';
import { redactingLogger } from '../redacting_logger';
import type { EmbeddedServersOptions, RunningServers, ServerInfo, ServerKind } from './api';
import { createHeadServer, type ServerInstance } from './head_server';
import { HttpClient } from './http/http_client';
import type { NemoHttpServer } from './http/http_server';
import { SERVER_BUILDERS, supportedImplementations, type ServerReference } from './registry';
import { checkPolicyEndpoint, type PolicyEndpoint } from '../model/endpoint_check';

/** Options `ng_run` reads itself (the rest of the config describes servers). */
export const NG_RUN_OPTION_KEYS = [
  'workplace_assistant_data_dir',
  'workplace_assistant_data_url',
  'workplace_assistant_data_download',
  'sanitize_tool_schemas',
  'in_process_transport',
  'skip_endpoint_check',
  // NeMo Gym's model-call capture switch: full payloads in `ng_trajectory` (the capture directory is accepted, unused).
  'observability_enabled',
  'model_call_capture_dir',
];

export class EmbeddedServersError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedServersError';
  }
}

interface StartedServer {
  info: ServerInfo;
  server: NemoHttpServer;
  /** Its `/server_instances` entry (none for the head server). */
  instance: ServerInstance | null;
}

/**
 * Starts what `ng_run` starts, in this process: the head server and every server block of the config
 * (NEMO_GYM_PROTOCOL.md §1.1), each on its configured or a random free port. Secrets never reach a log line.
 */
export async function startEmbeddedServers(
  options: EmbeddedServersOptions & { installRoot?: string; command?: string },
  baseLogger: Logger,
): Promise<RunningServers> {
  const command = options.command ?? 'ng_run';
  const installRoot = options.installRoot ?? dirname(__dirname);
  const loaded = loadGlobalConfig({ argv: options.argv, cwd: options.cwd, installRoot, env: options.env, command });
  const secrets = collectSecretValues(loaded.config, options.env);
  const redact = (text: string) => redactText(text, secrets);
  const logger = redactingLogger(baseLogger, redact);
  const resolved = resolveConfig(loaded.config, { env: options.env });
  const { servers, skippedServers } = findServers(resolved, { env: options.env, skipServersWithoutPeers: true });
  const notices = skippedServers.map(({ name, reason }) => `${name} is not started: ${reason}.`);
  if (servers.length === 0) throw new EmbeddedServersError(`No servers to start. ${notices.join(' ')} Pass +config_paths=[...] naming config files with server blocks.`);
  checkOptions(loaded.config, {
    command,
    knownKeys: [...NG_RUN_OPTION_KEYS, ...(options.extraOptionKeys ?? [])],
    serverNames: servers.map((server) => server.name),
    keysToCheck: loaded.commandLineKeys,
  });
  for (const server of servers) {
    if (!SERVER_BUILDERS.has(`${server.serverType}/${server.implementation}`)) {
      throw new EmbeddedServersError(
        `${server.name}: ${server.serverType}.${server.implementation} is not an implementation Gym Rollouts has. Available: ${supportedImplementations().join(', ')}.`,
      );
    }
  }
  const head = headServerAddress(resolved, options.env);
  const assigned = await assignHostsAndPorts(servers, {
    headServerPort: head.port,
    ...(typeof resolved.default_host === 'string' ? { defaultHost: resolved.default_host } : {}),
    ...(typeof resolved.port_range_low === 'number' ? { portRangeLow: resolved.port_range_low } : {}),
    ...(typeof resolved.port_range_high === 'number' ? { portRangeHigh: resolved.port_range_high } : {}),
  });
  const served = applyServerAddresses(loaded.config, assigned, head);
  const urls = new Map(assigned.map((server) => [`${server.serverType}/${server.name}`, `http://${server.host}:${server.port}`]));
  const urlOf = (reference: ServerReference) => {
    const url = urls.get(`${reference.type}/${reference.name}`);
    if (!url) throw new EmbeddedServersError(`No ${reference.type} server named ${reference.name} is configured.`);
    return url;
  };

  // Servers of one process reach each other without sockets unless +in_process_transport=false.
  const client = new HttpClient({ inProcess: resolved.in_process_transport !== false });
  const started: StartedServer[] = [];
  const startTime = Date.now() / 1000;
  let dataDirectory: string | null = null;
  const policyEndpoints: PolicyEndpoint[] = [];
  let headUrl: string;
  const stopAll = async () => {
    await Promise.all(started.map(async (entry) => {
      entry.info.state = 'stopping';
      await entry.server.close();
      entry.info.state = 'stopped';
    }));
    client.close();
  };
  try {
    for (const server of assigned) {
      const builder = SERVER_BUILDERS.get(`${server.serverType}/${server.implementation}`)!;
      const info: ServerInfo = { name: server.name, kind: server.serverType as ServerKind, implementation: server.implementation, url: `http://${server.host}:${server.port}`, state: 'starting' };
      const httpServer = await builder({
        name: server.name,
        implementation: server.implementation,
        config: server.config as Record<string, unknown>,
        global: resolved as Record<string, unknown>,
        cwd: options.cwd,
        logger,
        client,
        urlOf,
        reportDataDirectory: (directory) => (dataDirectory = directory),
        reportPolicyEndpoint: (endpoint) => policyEndpoints.push(endpoint),
      });
      await listenOrExplain(httpServer, server.host, server.port, server.name);
      info.state = 'ready';
      started.push({ info, server: httpServer, instance: instanceOf(server, info.url, startTime, options.cwd) });
      logger.info(`${server.name} (${server.serverType}/${server.implementation}) ready at ${info.url}`);
    }
    const headServer = createHeadServer({
      logger,
      configYaml: () => headServerConfigYaml(served, secrets),
      // NeMo Gym lists the servers it started, not the head server itself.
      instances: () => started.filter((entry) => entry.instance !== null).map((entry) => entry.instance!),
    });
    await listenOrExplain(headServer, head.host, head.port, 'head_server');
    headUrl = headServer.url;
    started.unshift({
      info: { name: 'head_server', kind: 'head', implementation: 'head_server', url: headUrl, state: 'ready' },
      server: headServer,
      instance: null,
    });
    if (resolved.skip_endpoint_check !== true) notices.push(...(await checkPolicyEndpoints(policyEndpoints, options.endpointCheck ?? 'lenient', logger)));
  } catch (error) {
    await stopAll();
    throw error;
  }
  const policy = policyEndpoint(resolved);
  return {
    headServerUrl: headUrl,
    servers: started.map((entry) => entry.info),
    dataDirectory,
    policyBaseUrl: policy.baseUrl ? redact(policy.baseUrl) : null,
    policyModelName: policy.model,
    notices,
    stop: stopAll,
  };
}

/** Checks every model server's upstream at once; throws for problems that would fail every rollout, returns notices. */
async function checkPolicyEndpoints(endpoints: PolicyEndpoint[], mode: 'strict' | 'lenient', logger: Logger): Promise<string[]> {
  const checks = await Promise.all(endpoints.map((endpoint) => checkPolicyEndpoint(endpoint)));
  const fatal: string[] = [];
  const notices: string[] = [];
  for (const check of checks) {
    if (check.status === 'misconfigured' || (check.status === 'unreachable' && mode === 'strict')) fatal.push(check.problem);
    else if (check.status === 'unreachable') notices.push(`${check.problem} Rollouts will fail until it answers.`);
    else if (check.note) logger.info(check.note);
  }
  if (fatal.length > 0) throw new EmbeddedServersError(`${fatal.join('\n')}\n(+skip_endpoint_check=true starts the servers without this check.)`);
  return notices;
}

async function listenOrExplain(server: NemoHttpServer, host: string, port: number, name: string): Promise<void> {
  try {
    await server.listen(host, port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      const hint = name === 'head_server'
        ? ' Another ng_run (or NeMo Gym) is probably running; stop it, or pass +head_server={host: 127.0.0.1, port: <another port>}.'
        : ` Choose another port for ${name} or leave its port unset for a random free one.`;
      throw new EmbeddedServersError(`${name} cannot listen on ${host}:${port}: the port is in use.${hint}`);
    }
    throw new EmbeddedServersError(`${name} cannot listen on ${host}:${port}: ${code ?? (error as Error).message}`);
  }
}

/**
 * A `/server_instances` entry as NeMo Gym's `ng_run` reports one (`ServerInstanceDisplayConfig`): `process_name` and
 * `config_path` are the config key (`policy_model`), `server_type`/`name` the two keys under it
 * (`responses_api_models`/`openai_model`), `dir_path` the server's folder `<server type>/<implementation>`.
 */
function instanceOf(server: { name: string; serverType: string; implementation: string; config: unknown }, url: string, startTime: number, cwd: string): ServerInstance {
  const parsed = new URL(url);
  const config = server.config as { entrypoint?: unknown } | null;
  return {
    config_path: server.name,
    dir_path: join(cwd, server.serverType, server.implementation),
    entrypoint: typeof config?.entrypoint === 'string' ? config.entrypoint : 'app.py',
    host: parsed.hostname,
    name: server.implementation,
    pid: process.pid,
    port: Number(parsed.port),
    process_name: server.name,
    server_type: server.serverType,
    start_time: startTime,
    status: null,
    uptime_seconds: null,
    url,
  };
}

function policyEndpoint(config: ConfigDict): { baseUrl: string | null; model: string | null } {
  const base = config.policy_base_url;
  const model = config.policy_model_name;
  return { baseUrl: typeof base === 'string' ? base : null, model: typeof model === 'string' ? model : null };
}
