import type { Logger } from '../../logger';
import { runSimpleAgentLoop } from '../../agent/simple_agent_loop';
import { runOracleAgent } from '../../agent/oracle_agent';
import type { HttpClient } from '../http/http_client';
import { HttpError, jsonResponse, NemoHttpServer } from '../http/http_server';
import { InnerServerError } from '../http/inner_server_error';
import { jsonObjectBody } from '../http/json_body';
import { missingFieldDetail, validationBody } from '../http/validation_errors';
import { PeerSession, type PeerCallTimeouts } from './peer_session';
import { isJsonObject, type JsonObject } from '../../json_object';

export type AgentKind = 'simple_agent' | 'oracle_agent';

export interface AgentServerOptions {
  /** The config key of the server block. */
  name: string;
  kind: AgentKind;
  /** Resolved lazily: peers may start after the agent. */
  resourcesServerUrl: () => string;
  /** Not needed by the oracle agent. */
  modelServerUrl: (() => string) | null;
  maxSteps: number | null;
  client: HttpClient;
  logger: Logger;
  timeouts?: PeerCallTimeouts;
}

/**
 * An agent server with NeMo Gym's routes (§2.3, §4): `POST /run` (seed → `/v1/responses` → verify),
 * `POST /v1/responses` (the multi-step loop), `POST /aggregate_metrics` (proxied to the resources server).
 */
export function createAgentServer(options: AgentServerOptions): NemoHttpServer {
  const className = options.kind === 'simple_agent' ? 'SimpleAgent' : 'OracleAgent';
  const identity = `${className}___${options.name}`;
  const server = new NemoHttpServer({ identity, logger: options.logger });
  const resources = (path: string) => `${options.resourcesServerUrl()}${path}`;

  const respond = async (params: JsonObject, session: PeerSession, row: JsonObject | null, signal: AbortSignal): Promise<JsonObject> => {
    if (options.kind === 'oracle_agent') {
      return runOracleAgent(row ?? { responses_create_params: params }, {
        callTool: (name, bodyText, s) => session.postTool(toolUrl(options.resourcesServerUrl(), name), bodyText, s),
      }, signal);
    }
    const modelUrl = options.modelServerUrl;
    if (!modelUrl) throw new HttpError(500, JSON.stringify(`${identity} has no model server configured`));
    return runSimpleAgentLoop(params, {
      callModel: async (body, s) => {
        const result = await session.postModel(`${modelUrl()}/v1/responses`, body, s);
        return isJsonObject(result.json) ? result.json : parseModelAnswer(identity, result.bodyText);
      },
      callTool: (name, bodyText, s) => session.postTool(toolUrl(options.resourcesServerUrl(), name), bodyText, s),
    }, { maxSteps: options.maxSteps, signal });
  };

  server.route('POST', '/v1/responses', async (context) => {
    const params = jsonObjectBody(context);
    const session = new PeerSession(options.client, identity, context.cookies, options.timeouts);
    const response = await respond(params, session, null, context.signal);
    return { status: 200, json: response, setCookies: session.setCookieLines() };
  });

  server.route('POST', '/run', async (context) => {
    const row = jsonObjectBody(context);
    const params = row.responses_create_params;
    if (params === undefined) throw new HttpError(422, validationBody([missingFieldDetail('responses_create_params', row)]));
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new HttpError(422, validationBody([{ type: 'dict_type', loc: ['body', 'responses_create_params'], msg: 'Input should be a valid dictionary', input: params }]));
    }
    const session = new PeerSession(options.client, identity, context.cookies, options.timeouts);
    await session.postResources(resources('/seed_session'), context.json !== undefined ? { json: row } : context.body.toString('utf8'), 'agent_error', context.signal);
    const response = await respond(params as JsonObject, session, row, context.signal);
    const verified = await session.postResources(resources('/verify'), { json: { ...row, response } }, 'verify_error', context.signal);
    return { ...jsonResponse(200, verified.bodyText), ...(verified.json !== undefined ? { json: verified.json } : {}) };
  });

  server.route('POST', '/aggregate_metrics', async (context) => {
    const session = new PeerSession(options.client, identity, new Map(), options.timeouts);
    const result = await session.postResources(resources('/aggregate_metrics'), context.body.toString('utf8'), 'agent_error', context.signal);
    return jsonResponse(200, result.bodyText);
  });

  return server;
}

/** `POST /{name}` on the resources server; the name is one path segment, as aiohttp would build it. */
function toolUrl(base: string, name: string): string {
  return new URL(`${base}/${name}`).href;
}


function parseModelAnswer(identity: string, bodyText: string): JsonObject {
  try {
    const value: unknown = JSON.parse(bodyText);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as JsonObject;
  } catch {
    // reported below
  }
  throw new InnerServerError(identity, `Received an invalid response from model server: ${bodyText.slice(0, 500)}`, 'model_error');
}
