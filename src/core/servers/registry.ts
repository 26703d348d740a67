import type { Logger } from '../logger';
import { createWorkplaceEnvironment, loadWorkplaceTables } from '../environments/workplace';
import { resolveWorkplaceDataDirectory } from '../data/workplace_data_dir';
import { createChatCompletionsModel } from '../model/chat_completions_model';
import { createModelServerHandler } from '../model/model_server_handler';
import { createOpenAIResponsesModel } from '../model/openai_responses_model';
import type { Model } from '../model/model';
import type { PolicyEndpoint } from '../model/endpoint_check';
import { createAgentServer, type AgentKind } from './agent/agent_server';
import type { HttpClient } from './http/http_client';
import type { NemoHttpServer } from './http/http_server';
import { createModelServer } from './model/model_server';
import { createWorkplaceResourcesServer } from './resources/workplace_resources_server';
import { isJsonObject, type JsonObject } from '../json_object';
import { DEFAULT_MODEL_CALL_RETRIES } from '../retry_policy';
import { DEFAULT_MAX_ANSWER_BYTES } from '../model/node_http_fetch';

export interface ServerReference {
  type: string;
  name: string;
}

export interface ServerBuildContext {
  name: string;
  implementation: string;
  /** The server's own config block, interpolations resolved. */
  config: JsonObject;
  /** The whole resolved config (top-level switches such as `sanitize_tool_schemas`). */
  global: JsonObject;
  cwd: string;
  logger: Logger;
  client: HttpClient;
  /** The URL of another server, known once every server is listening. */
  urlOf(reference: ServerReference): string;
  /** Where the workplace tables were found (set by the resources server's builder). */
  reportDataDirectory(directory: string): void;
  /** The upstream a model server calls, to be checked before the servers are declared ready. */
  reportPolicyEndpoint?(endpoint: PolicyEndpoint): void;
}

export type ServerBuilder = (context: ServerBuildContext) => Promise<NemoHttpServer>;

/** `<server type>/<implementation>` → how to build it. */
export const SERVER_BUILDERS: ReadonlyMap<string, ServerBuilder> = new Map<string, ServerBuilder>([
  ['resources_servers/workplace_assistant', buildWorkplaceResourcesServer],
  ['responses_api_models/openai_model', (context) => buildModelServer(context, 'responses')],
  ['responses_api_models/chat_completions_model', (context) => buildModelServer(context, 'chat')],
  ['responses_api_models/vllm_model', (context) => buildModelServer(context, 'chat')],
  ['responses_api_agents/simple_agent', (context) => buildAgentServer(context, 'simple_agent')],
  ['responses_api_agents/oracle_agent', (context) => buildAgentServer(context, 'oracle_agent')],
]);

export function supportedImplementations(): string[] {
  return [...SERVER_BUILDERS.keys()];
}

async function buildWorkplaceResourcesServer(context: ServerBuildContext): Promise<NemoHttpServer> {
  const configured = stringOrNull(context.global.workplace_assistant_data_dir) ?? stringOrNull(context.config.data_dir);
  const resolved = await resolveWorkplaceDataDirectory({
    configuredDirectory: configured,
    searchRoots: [context.cwd],
    download: context.global.workplace_assistant_data_download === true,
    ...(stringOrNull(context.global.workplace_assistant_data_url) ? { downloadBaseUrl: stringOrNull(context.global.workplace_assistant_data_url)! } : {}),
    logger: context.logger,
  });
  context.reportDataDirectory(resolved.directory);
  const tables = await loadWorkplaceTables(resolved.directory);
  const maxStateMb = context.config.max_session_state_mb;
  const environment = createWorkplaceEnvironment(tables, typeof maxStateMb === 'number' && maxStateMb > 0 ? { maxSessionStateBytes: Math.round(maxStateMb * 1024 * 1024) } : {});
  const regexTimeLimit = context.config.regex_time_limit_seconds;
  if (regexTimeLimit !== undefined && regexTimeLimit !== null && !(typeof regexTimeLimit === 'number' && regexTimeLimit > 0 && Number.isFinite(regexTimeLimit))) {
    throw new Error(`${context.name}: regex_time_limit_seconds must be a positive number of seconds, not ${JSON.stringify(regexTimeLimit)}.`);
  }
  return createWorkplaceResourcesServer({
    name: context.name,
    environment,
    logger: context.logger,
    ...(typeof regexTimeLimit === 'number' ? { regexTimeLimitMs: regexTimeLimit * 1000 } : {}),
  });
}

async function buildModelServer(context: ServerBuildContext, api: 'responses' | 'chat'): Promise<NemoHttpServer> {
  const c = context.config;
  const field = (names: string[]): unknown => names.map((name) => c[name]).find((value) => value !== undefined && value !== null);
  const baseURL = requireString(context, field(api === 'responses' ? ['openai_base_url', 'base_url'] : ['base_url', 'openai_base_url']), 'openai_base_url');
  const configuredKey = stringOrNull(field(api === 'responses' ? ['openai_api_key', 'api_key'] : ['api_key', 'openai_api_key']));
  const apiKey = configuredKey ?? 'EMPTY';
  const modelName = requireString(context, field(api === 'responses' ? ['openai_model', 'model'] : ['model', 'openai_model']), 'openai_model');
  const endpoint = {
    baseURL: Array.isArray(baseURL) ? String(baseURL[0]) : baseURL,
    apiKey,
    model: modelName,
    extraBody: isJsonObject(c.extra_body) ? c.extra_body : {},
    defaultHeaders: isJsonObject(c.openai_default_headers ?? c.default_headers) ? (c.openai_default_headers ?? c.default_headers) as Record<string, string> : {},
    timeoutMs: numberOr(c.request_timeout_seconds, 300) * 1000,
    maxRetries: numberOr(c.max_retries, DEFAULT_MODEL_CALL_RETRIES),
    maxConcurrentRequests: typeof c.max_concurrent_requests === 'number' ? c.max_concurrent_requests : null,
    ...(typeof c.max_answer_mb === 'number' && c.max_answer_mb > 0 ? { maxAnswerBytes: Math.round(c.max_answer_mb * 1024 * 1024) } : {}),
    logger: context.logger,
  };
  context.reportPolicyEndpoint?.({
    serverName: context.name,
    baseURL: endpoint.baseURL,
    apiKey: configuredKey,
    model: modelName,
    defaultHeaders: endpoint.defaultHeaders,
  });
  const model: Model = api === 'responses' ? createOpenAIResponsesModel(endpoint) : createChatCompletionsModel(endpoint);
  const sanitize = c.sanitize_tool_schemas === true || context.global.sanitize_tool_schemas === true;
  const handler = createModelServerHandler({ model, logger: context.logger, sanitizeToolSchemas: sanitize });
  return createModelServer({ name: context.name, className: api === 'responses' ? 'SimpleModelServer' : 'VLLMModel', handler, logger: context.logger });
}

async function buildAgentServer(context: ServerBuildContext, kind: AgentKind): Promise<NemoHttpServer> {
  const resources = reference(context, 'resources_server');
  const model = kind === 'simple_agent' ? reference(context, 'model_server') : null;
  if (!resources) throw new Error(`${context.name}: resources_server: {type: resources_servers, name: ...} is required.`);
  if (kind === 'simple_agent' && !model) throw new Error(`${context.name}: model_server: {type: responses_api_models, name: ...} is required.`);
  const maxSteps = context.config.max_steps;
  return createAgentServer({
    name: context.name,
    kind,
    resourcesServerUrl: () => context.urlOf(resources),
    modelServerUrl: model ? () => context.urlOf(model) : null,
    modelServerName: model?.name ?? null,
    maxSteps: typeof maxSteps === 'number' && maxSteps > 0 ? maxSteps : null,
    client: context.client,
    logger: context.logger,
    // NeMo Gym's switch for model-call capture: with it, trajectories carry the full request and response payloads.
    payloadCapture: context.global.observability_enabled === true ? { maxBytes: DEFAULT_MAX_ANSWER_BYTES } : null,
  });
}

function reference(context: ServerBuildContext, key: string): ServerReference | null {
  const value = context.config[key];
  return isJsonObject(value) && typeof value.type === 'string' && typeof value.name === 'string' ? { type: value.type, name: value.name } : null;
}

function requireString(context: ServerBuildContext, value: unknown, field: string): string {
  if (typeof value === 'string' && value !== '') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  throw new Error(`${context.name}: ${field} is not set.`);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

