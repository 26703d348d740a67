import type { Logger } from '../logger';
import { jsonResponse, NemoHttpServer } from './http/http_server';

/** One entry of `GET /server_instances` (NEMO_GYM_PROTOCOL.md §1.2). */
export interface ServerInstance {
  config_path: string;
  dir_path: string;
  entrypoint: string;
  host: string;
  name: string;
  pid: number;
  port: number;
  process_name: string;
  server_type: string;
  start_time: number;
  status: null;
  uptime_seconds: null;
  url: string;
}

export interface HeadServerOptions {
  logger: Logger;
  /** The global config as YAML, already redacted (NeMo Gym serves it in clear; we never do). */
  configYaml: () => string;
  instances: () => ServerInstance[];
}

/**
 * The head server: how a separate process (the collector, `ng_status`, a Python NeMo Gym client) finds the
 * servers. `GET /global_config_dict_yaml` answers a JSON-encoded string whose content is YAML, as FastAPI
 * sends a returned `str`; clients decode twice.
 */
export function createHeadServer(options: HeadServerOptions): NemoHttpServer {
  const server = new NemoHttpServer({ identity: 'HeadServer___head_server', logger: options.logger, sessionCookies: false });
  server.route('GET', '/global_config_dict_yaml', () => jsonResponse(200, JSON.stringify(options.configYaml())));
  server.route('GET', '/server_instances', () => jsonResponse(200, JSON.stringify(options.instances())));
  return server;
}
