import { closestKey } from './closest_key.js';
import { ConfigError } from './errors.js';
import { hasInterpolation } from './interpolation_grammar.js';
import { resolve, type Env } from './interpolation.js';
import { cloneValue, describeValue, entriesOf, formatPath, getAtPath, getEntry, isConfigDict, setEntry, type ConfigDict, type ConfigValue, type PathSegment } from './value.js';

export const SERVER_TYPES = ['responses_api_models', 'resources_servers', 'responses_api_agents'] as const;
export type ServerType = (typeof SERVER_TYPES)[number];

/** NeMo Gym's `Domain` enum: the values a resources server's `domain` may take. */
export const RESOURCES_SERVER_DOMAINS = [
  'math',
  'coding',
  'agent',
  'knowledge',
  'instruction_following',
  'long_context',
  'safety',
  'games',
  'e2e',
  'other',
] as const;

/**
 * Top-level keys that are settings, never servers: NeMo Gym v0.2.1's list, the ones later versions added, and
 * our own.
 */
export const RESERVED_TOP_LEVEL_KEYS: ReadonlySet<string> = new Set([
  // v0.2.1 (global_config.py L65-84)
  'config_paths',
  'entrypoint',
  'default_host',
  'head_server',
  'disallowed_ports',
  'head_server_deps',
  'python_version',
  'pip_install_verbose',
  'use_absolute_ip',
  'uv_pip_set_python',
  'skip_venv_if_present',
  'hf_token',
  'ray_head_node_address',
  'port_range_low',
  'port_range_high',
  'dry_run',
  'uv_cache_dir',
  'uv_venv_dir',
  // later NeMo Gym versions
  'uvicorn_timeout_worker_healthcheck',
  'model_endpoint_readiness_timeout_seconds',
  'allow_openai_version_skew',
  'results_dir',
  'cache_dir',
  '_inherit_from',
  '_copy',
  'nemo_gym_log_dir',
  'verbose',
  'json',
  'query',
  'observability_enabled',
  'model_call_capture_dir',
  'token_id_capture',
  'component_name',
  'skip_verification',
  'skip_verification_reward',
  'telemetry',
  'allow_unsupported_pairing',
  'environment_server_name',
  'environment_server_routes',
  'environment_routing_mode',
  'tasksets',
  'rollout_input',
  'agent_bindings',
  // ours
  'error_on_almost_servers',
  'policy_base_url',
  'policy_api_key',
  'policy_model_name',
  'workplace_assistant_data_dir',
]);

/** One server to start: `config[name][serverType][implementation]` is `config`. */
export interface ServerBlock {
  name: string;
  serverType: ServerType;
  implementation: string;
  /** The implementation's config as found (interpolations are resolved only if the input was resolved). */
  config: ConfigDict;
}

/** A top-level block that has a server-type key but is not a valid server. */
export interface AlmostServer {
  name: string;
  problems: string[];
}

export interface ServerDiscovery {
  servers: ServerBlock[];
  /**
   * With `skipServersWithoutPeers`: servers left out because they refer to a server type the config has
   * none of (e.g. an agent that needs a model server when no model config was loaded), with the reason.
   */
  skippedServers: Array<{ name: string; reason: string }>;
  /** Skipped blocks; only ever non-empty when almost-servers are not errors. */
  almostServers: AlmostServer[];
}

export interface FindServersOptions {
  /** Overrides the config's `error_on_almost_servers` (default true). */
  errorOnAlmostServers?: boolean;
  /** For `${oc.env:...}` in the fields that are checked (host, port, domain, references). */
  env?: Env;
  /**
   * Leave out (instead of failing on) servers that refer to a server type of which the config defines none,
   * so that `workplace_assistant.yaml` alone starts the environment and the oracle agent. A reference to a
   * missing name when servers of that type do exist (a typo) is still an error.
   */
  skipServersWithoutPeers?: boolean;
}

/**
 * Finds the server blocks: top-level, non-reserved keys whose value is `{<server type>: {<impl>: {...}}}`.
 * Other keys next to the server type, and `entrypoint` inside the implementation config, are accepted and
 * ignored. Checks, each with a message that says what to change:
 *
 * - a block with a server-type key that is not exactly that shape, or has a bad `host`/`port`, or is a resources
 *   server without a valid `domain`, is an "almost server": an error, unless `error_on_almost_servers` is false
 *   (then it is skipped and reported in `almostServers`);
 * - every server reference (`{type: <server type>, name: ...}`, at any depth in a server's config) must name a
 *   server of that type; the error lists the ones that exist.
 *
 * Fields are read through interpolation, so `port: ${oc.env:PORT}` is checked as the number it resolves to.
 */
export function findServers(config: ConfigDict, options: FindServersOptions = {}): ServerDiscovery {
  const reader = new FieldReader(config, options.env);
  const servers: ServerBlock[] = [];
  const almostServers: AlmostServer[] = [];
  for (const [name, value] of entriesOf(config)) {
    if (RESERVED_TOP_LEVEL_KEYS.has(name) || !isConfigDict(value)) continue;
    const types = SERVER_TYPES.filter((type) => getEntry(value, type) !== undefined);
    if (types.length === 0) continue;
    const problems: string[] = [];
    const block = readServerBlock(name, value, types, reader, problems);
    if (block !== undefined && problems.length === 0) servers.push(block);
    else almostServers.push({ name, problems });
  }
  const errorOnAlmostServers = options.errorOnAlmostServers ?? reader.boolean(['error_on_almost_servers']) ?? true;
  if (almostServers.length > 0 && errorOnAlmostServers) {
    const listing = almostServers.map((almost) => `- ${almost.name}: ${almost.problems.join('; ')}`).join('\n');
    throw new ConfigError(
      'server',
      `${almostServers.length === 1 ? 'This block looks' : 'These blocks look'} like a server but cannot be started:\n${listing}\n` +
        'A server is written <name>: {<server type>: {<implementation>: {...}}} with server type responses_api_models, ' +
        'resources_servers or responses_api_agents. Fix the block, or pass +error_on_almost_servers=false to skip it.',
    );
  }
  const skippedServers = options.skipServersWithoutPeers ? dropServersWithoutPeers(servers, reader) : [];
  checkServerReferences(servers, reader);
  return { servers, almostServers, skippedServers };
}

function dropServersWithoutPeers(servers: ServerBlock[], reader: FieldReader): Array<{ name: string; reason: string }> {
  const skipped: Array<{ name: string; reason: string }> = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (const server of [...servers]) {
      const missingType = referencesOf(server, reader).find(({ type }) => !servers.some((candidate) => candidate.serverType === type));
      if (!missingType) continue;
      servers.splice(servers.indexOf(server), 1);
      skipped.push({ name: server.name, reason: `it needs the ${missingType.type} server '${missingType.name}', and no loaded config defines one` });
      changed = true;
    }
  }
  return skipped;
}

function referencesOf(server: ServerBlock, reader: FieldReader): Array<{ type: string; name: string }> {
  const references: Array<{ type: string; name: string }> = [];
  visitDicts(server.config, [server.name, server.serverType, server.implementation], (path) => {
    const type = reader.value([...path, 'type']);
    const name = reader.value([...path, 'name']);
    if (typeof type === 'string' && (SERVER_TYPES as readonly string[]).includes(type) && typeof name === 'string') references.push({ type, name });
  });
  return references;
}

function readServerBlock(name: string, block: ConfigDict, types: ServerType[], reader: FieldReader, problems: string[]): ServerBlock | undefined {
  if (types.length > 1) {
    problems.push(`it has ${types.join(' and ')}; a server has exactly one server type`);
    return undefined;
  }
  const serverType = types[0]!;
  const implementations = getEntry(block, serverType);
  if (!isConfigDict(implementations)) {
    problems.push(`${serverType} should map one implementation name to its config, but it is ${describeValue(implementations)}`);
    return undefined;
  }
  const names = entriesOf(implementations).map(([key]) => key);
  if (names.length !== 1) {
    problems.push(`${serverType} should name exactly one implementation, found ${names.length === 0 ? 'none' : names.join(', ')}`);
    return undefined;
  }
  const implementation = names[0]!;
  const config = getEntry(implementations, implementation);
  if (!isConfigDict(config)) {
    problems.push(`the config of ${serverType}.${implementation} should be a mapping, but it is ${describeValue(config)}`);
    return undefined;
  }
  const path = [name, serverType, implementation];
  const host = reader.value([...path, 'host']);
  if (host !== undefined && host !== null && typeof host !== 'string') problems.push(`host should be a host name or address, not ${describeValue(host)}`);
  const port = reader.value([...path, 'port']);
  if (port !== undefined && port !== null && parsePort(port) === undefined) problems.push(`port should be a whole number from 1 to 65535, not ${describeValue(port)}`);
  if (serverType === 'resources_servers') {
    const domain = reader.value([...path, 'domain']);
    const allowed: readonly string[] = RESOURCES_SERVER_DOMAINS;
    if (domain === undefined || domain === null) problems.push(`a resources server needs a domain (one of ${allowed.join(', ')})`);
    else if (typeof domain !== 'string' || !allowed.includes(domain)) problems.push(`domain ${describeValue(domain)} is not one of ${allowed.join(', ')}`);
  }
  return { name, serverType, implementation, config };
}

function checkServerReferences(servers: readonly ServerBlock[], reader: FieldReader): void {
  const problems: string[] = [];
  for (const server of servers) {
    const base: PathSegment[] = [server.name, server.serverType, server.implementation];
    visitDicts(server.config, base, (path) => {
      const type = reader.value([...path, 'type']);
      const name = reader.value([...path, 'name']);
      if (typeof type !== 'string' || !(SERVER_TYPES as readonly string[]).includes(type) || typeof name !== 'string') return;
      const sameType = servers.filter((candidate) => candidate.serverType === type).map((candidate) => candidate.name);
      if (sameType.includes(name)) return;
      const suggestion = closestKey(name, sameType);
      const hint = suggestion !== undefined ? ` Did you mean '${suggestion}'?` : '';
      const available = sameType.length > 0 ? sameType.join(', ') : 'none';
      problems.push(
        `In server '${server.name}', ${formatPath(path.slice(3)) || 'its config'} refers to ${type} '${name}', which is not defined.${hint} Available ${type}: ${available}.`,
      );
    });
  }
  if (problems.length > 0) throw new ConfigError('server', problems.join('\n'));
}

function visitDicts(value: ConfigValue, path: PathSegment[], visit: (path: PathSegment[]) => void): void {
  if (Array.isArray(value)) value.forEach((item, index) => visitDicts(item, [...path, index], visit));
  else if (isConfigDict(value)) {
    visit(path);
    for (const [key, item] of entriesOf(value)) visitDicts(item, [...path, key], visit);
  }
}

/** A port from a number or a numeric string (interpolated env vars are strings); undefined if invalid. */
export function parsePort(value: ConfigValue | undefined): number | undefined {
  const port = typeof value === 'number' ? value : typeof value === 'string' && /^[0-9]+$/.test(value.trim()) ? Number(value.trim()) : undefined;
  return port !== undefined && Number.isInteger(port) && port >= 1 && port <= 65535 ? port : undefined;
}

/** Reads config fields, resolving a field only when it is an interpolation. */
class FieldReader {
  constructor(
    private readonly root: ConfigDict,
    private readonly env: Env | undefined,
  ) {}

  value(path: readonly PathSegment[]): ConfigValue | undefined {
    const raw = getAtPath(this.root, path);
    if (!hasInterpolation(raw)) return raw;
    return resolve(this.root, path, this.env === undefined ? {} : { env: this.env });
  }

  boolean(path: readonly PathSegment[]): boolean | undefined {
    const value = this.value(path);
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
    return undefined;
  }
}

export const DEFAULT_HEAD_SERVER_HOST = '127.0.0.1';
export const DEFAULT_HEAD_SERVER_PORT = 11000;

/** Where the head server is (or will be): `head_server.host`/`.port`, defaulting to 127.0.0.1:11000. */
export function headServerAddress(config: ConfigDict, env?: Env): { host: string; port: number } {
  const reader = new FieldReader(config, env);
  const host = reader.value(['head_server', 'host']);
  const port = reader.value(['head_server', 'port']);
  const defaultHost = reader.value(['default_host']);
  const parsedPort = port === undefined || port === null ? DEFAULT_HEAD_SERVER_PORT : parsePort(port);
  if (parsedPort === undefined) throw new ConfigError('port', `head_server.port should be a whole number from 1 to 65535, not ${describeValue(port)}.`);
  const chosenHost = typeof host === 'string' && host !== '' ? host : typeof defaultHost === 'string' && defaultHost !== '' ? defaultHost : DEFAULT_HEAD_SERVER_HOST;
  return { host: chosenHost, port: parsedPort };
}

/**
 * A copy of `config` with each server's `host` and `port` filled in, `head_server` completed, and
 * `disallowed_ports` listing the head server's port and every server's — what NeMo Gym writes into the config
 * it serves, so that peers find each other at `config[name][type][impl].host/.port`.
 */
export function applyServerAddresses(
  config: ConfigDict,
  servers: readonly (ServerBlock & { host: string; port: number })[],
  headServer: { host: string; port: number },
): ConfigDict {
  const updated = cloneValue(config);
  for (const server of servers) {
    const block = getAtPath(updated, [server.name, server.serverType, server.implementation]);
    if (!isConfigDict(block)) continue;
    setEntry(block, 'host', server.host);
    setEntry(block, 'port', server.port);
  }
  const existingHead = getEntry(updated, 'head_server');
  const head: ConfigDict = isConfigDict(existingHead) ? existingHead : {};
  setEntry(head, 'host', headServer.host);
  setEntry(head, 'port', headServer.port);
  setEntry(updated, 'head_server', head);
  setEntry(updated, 'disallowed_ports', [headServer.port, ...servers.map((server) => server.port)]);
  return updated;
}
