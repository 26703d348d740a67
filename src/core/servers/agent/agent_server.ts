import type { Logger } from '../../logger';
import { runSimpleAgentLoop } from '../../agent/simple_agent_loop';
import { runOracleAgent } from '../../agent/oracle_agent';
import { TrajectoryRecorder, type PayloadCapture } from '../../agent/trajectory_recorder';
import { rolloutIdOf, taskIdOf } from '../../rollout_identity';
import { RESPONSE_FLOATS, TRAJECTORY_FLOATS } from '../../schema/float_shapes';
import { typedJson } from '../../python/typed_json';
import type { HttpClient } from '../http/http_client';
import { HttpError, jsonResponse, NemoHttpServer, type HttpResponse } from '../http/http_server';
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
  /** The model server's config key (`model_ref` in trajectories). */
  modelServerName?: string | null;
  maxSteps: number | null;
  client: HttpClient;
  logger: Logger;
  timeouts?: PeerCallTimeouts;
  /** Full model-call payloads in `ng_trajectory` (NeMo Gym's `observability_enabled`); compact otherwise. */
  payloadCapture?: PayloadCapture | null;
}

interface TrajectoryContext {
  recorder: TrajectoryRecorder;
  taskId: string;
  rolloutId: string;
}

/**
 * An agent server with NeMo Gym's routes (§2.3, §4): `POST /run` (seed → `/v1/responses` → verify, answering the
 * verify result with the rollout's `ng_trajectory`), `POST /v1/responses` (the multi-step loop),
 * `POST /aggregate_metrics` (proxied to the resources server).
 */
export function createAgentServer(options: AgentServerOptions): NemoHttpServer {
  const className = options.kind === 'simple_agent' ? 'SimpleAgent' : 'OracleAgent';
  const identity = `${className}___${options.name}`;
  const server = new NemoHttpServer({ identity, logger: options.logger, rolloutPrefix: 'agent' });
  const resources = (path: string) => `${options.resourcesServerUrl()}${path}`;
  const modelRef = options.modelServerName ? { type: 'responses_api_models' as const, name: options.modelServerName } : null;

  const respond = async (params: JsonObject, session: PeerSession, row: JsonObject | null, signal: AbortSignal, trajectory?: TrajectoryContext): Promise<JsonObject> => {
    const callTool = (name: string, bodyText: string | null, s?: AbortSignal) => session.postTool(toolUrl(options.resourcesServerUrl(), name), bodyText, s);
    if (options.kind === 'oracle_agent') {
      return runOracleAgent(row ?? { responses_create_params: params }, { callTool }, signal, trajectory?.recorder);
    }
    const modelUrl = options.modelServerUrl;
    if (!modelUrl) throw new HttpError(500, JSON.stringify(`${identity} has no model server configured`));
    return runSimpleAgentLoop(params, {
      callModel: async (body, s) => {
        const result = await session.postModel(`${modelUrl()}/v1/responses`, body, s);
        const response = isJsonObject(result.json) ? result.json : parseModelAnswer(identity, result.bodyText);
        return { response, status: result.status, upstreamAttempts: result.upstreamAttempts };
      },
      callTool,
    }, { maxSteps: options.maxSteps, signal, ...(trajectory ? { trajectory } : {}) });
  };

  server.route('POST', '/v1/responses', async (context) => {
    const params = jsonObjectBody(context);
    const session = new PeerSession(options.client, identity, context.cookies, options.timeouts);
    const response = await respond(params, session, null, context.signal);
    return { status: 200, json: response, jsonText: () => typedJson(response, RESPONSE_FLOATS), setCookies: session.setCookieLines() };
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
    const trajectory = trajectoryContext(row, modelRef, options.payloadCapture ?? null);
    const response = await respond(params as JsonObject, session, row, context.signal, trajectory);
    const verified = await session.postResources(resources('/verify'), { json: { ...row, response } }, 'verify_error', context.signal);
    return withTrajectory(verified.bodyText, verified.json, trajectory);
  });

  server.route('POST', '/aggregate_metrics', async (context) => {
    const session = new PeerSession(options.client, identity, new Map(), options.timeouts);
    const result = await session.postResources(resources('/aggregate_metrics'), context.body.toString('utf8'), 'agent_error', context.signal);
    return jsonResponse(200, result.bodyText);
  });

  return server;
}

function trajectoryContext(row: JsonObject, modelRef: { type: 'responses_api_models'; name: string } | null, payloads: PayloadCapture | null): TrajectoryContext {
  let rolloutId: string | null;
  try {
    rolloutId = rolloutIdOf(row);
  } catch {
    // A malformed `_ng_rollout_id`: the collector reports it (NeMo Gym's collector does the same).
    rolloutId = null;
  }
  return { recorder: new TrajectoryRecorder({ modelRef, payloads }), taskId: taskIdOf(row) ?? 'unknown', rolloutId: rolloutId ?? 'unscoped' };
}

/**
 * The verify answer with `ng_trajectory` added last, as NeMo Gym's `/run` does (`result["ng_trajectory"] = ...`);
 * the verify text is kept as it is (its floats are already Python's).
 */
function withTrajectory(verifyText: string, verifyJson: unknown, trajectory: TrajectoryContext): HttpResponse {
  const result = isJsonObject(verifyJson) ? verifyJson : parseObject(verifyText);
  const trimmed = verifyText.trimEnd();
  if (!result || !trimmed.endsWith('}') || Object.hasOwn(result, 'ng_trajectory')) return { ...jsonResponse(200, verifyText), ...(verifyJson !== undefined ? { json: verifyJson } : {}) };
  trajectory.recorder.setResolution(result.resolved);
  const record = trajectory.recorder.toRecord(trajectory.taskId, trajectory.rolloutId);
  const member = `"ng_trajectory":${typedJson(record, TRAJECTORY_FLOATS)}`;
  const body = trimmed === '{}' ? `{${member}}` : `${trimmed.slice(0, -1)},${member}}`;
  return { ...jsonResponse(200, body), json: { ...result, ng_trajectory: record } };
}

function parseObject(text: string): JsonObject | null {
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : null;
  } catch {
    return null;
  }
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
