import type { Logger } from '../../logger';
import { andThen } from '../../maybe_promise';
import { RegexGuard } from '../../python/regex_guard';
import { pyFloatRepr } from '../../python/repr';
import { computeAggregateMetrics } from '../../metrics/reward_profiler';
import { dumpCompact } from '../../python/json_dump';
import { parsePythonJson } from '../../python/json_parse';
import { isPyDict, type PyDict } from '../../python/value';
import { dumpCreateParams } from '../../schema/pydantic_dump';
import { CREATE_PARAMS_FLOATS, RESPONSE_FLOATS } from '../../schema/float_shapes';
import { typedJson } from '../../python/typed_json';
import type { WorkplaceEnvironment, WorkplaceSession } from '../../environments/workplace';
import { predictedCallsFromResponse } from '../../environments/workplace';
import type { RewardExplanation } from '../../schema/reward_explanation';
import { jsonResponse, NemoHttpServer, type HttpResponse, type HttpServerOptions } from '../http/http_server';
import { jsonObjectBody } from '../http/json_body';
import { validationBody } from '../http/validation_errors';
import { SessionStore } from './session_store';
import { parseToolRouteBody, toolRouteOutputAnswer } from './tool_route_body';
import { parseVerifyRequest, type VerifyRequest } from './verify_request';

export interface WorkplaceResourcesServerOptions {
  /** The config key of the server block (e.g. `workplace_assistant`). */
  name: string;
  environment: WorkplaceEnvironment;
  logger: Logger;
  maxSessions?: number;
  /** Tool-route bodies larger than this get HTTP 413. */
  maxToolBodyBytes?: number;
  /**
   * A regular expression from a tool call (or a replayed one in `/verify`) still running after this in its worker
   * thread is stopped, and the call answers `Error executing tool '<name>': the regular expression … was stopped
   * after … s …` (config key `regex_time_limit_seconds`; default 1 s).
   */
  regexTimeLimitMs?: number;
  /** Runs the tools' regular expressions; by default the server makes its own and stops it when it closes. */
  regexGuard?: RegexGuard;
}

/** The server, whose regex worker threads stop when it closes. */
class ResourcesHttpServer extends NemoHttpServer {
  constructor(
    options: HttpServerOptions,
    private readonly onClosed: () => Promise<void>,
  ) {
    super(options);
  }

  override async close(graceMs?: number): Promise<void> {
    try {
      await super.close(graceMs);
    } finally {
      await this.onClosed();
    }
  }
}

const SESSION_NOT_INITIALIZED = '{"detail":"Session not initialized. Please call seed_session first."}';

/**
 * The `workplace_assistant` resources server with NeMo Gym's routes and bodies (WORKPLACE_TOOLS.md §2):
 * `POST /seed_session`, `POST /{tool}`, `POST /verify`, `POST /aggregate_metrics`, `GET /`.
 */
export function createWorkplaceResourcesServer(options: WorkplaceResourcesServerOptions): NemoHttpServer {
  const { environment, logger } = options;
  const sessions = new SessionStore<WorkplaceSession>(options.maxSessions ?? 100_000);
  const regexGuard = options.regexGuard ?? new RegexGuard(options.regexTimeLimitMs !== undefined ? { timeLimitMs: options.regexTimeLimitMs } : {});
  const server = new ResourcesHttpServer(
    {
      identity: `WorkbenchResourcesServer___${options.name}`,
      logger,
      maxBodyBytes: options.maxToolBodyBytes ?? 16 * 1024 * 1024,
      rolloutPrefix: 'resources',
    },
    async () => {
      if (options.regexGuard === undefined) await regexGuard.close();
    },
  );

  server.route('POST', '/seed_session', (context) => {
    jsonObjectBody(context);
    // Slow searches of one session take turns with other sessions' (see watchdog_pool.ts), never behind all of them.
    sessions.set(context.sessionId, environment.newSession(regexGuard.forCaller(context.sessionId)));
    return jsonResponse(200, '{}');
  });

  server.catchAll((context) => {
    const parsed = parseToolRouteBody(context.body);
    if (!('args' in parsed)) return jsonResponse(parsed.status, parsed.body);
    const session = sessions.get(context.sessionId);
    if (!session) return jsonResponse(400, SESSION_NOT_INITIALIZED);
    const toolName = context.path.slice(1);
    return andThen(environment.callToolRoute(session, toolName, parsed.args), (output) => {
      const answer = toolRouteOutputAnswer(output);
      return jsonResponse(answer.status, answer.body);
    });
  });

  server.route('POST', '/verify', (context) => {
    const body = jsonObjectBody(context);
    const parsed = parseVerifyRequest(body);
    if (!parsed.ok) return jsonResponse(422, validationBody(parsed.details));
    const request = parsed.value;
    const predicted = predictedCallsFromResponse(request.response.output);
    return andThen(environment.verify(predicted, request.ground_truth, regexGuard.forCaller(`verify ${context.sessionId}`)), ({ reward, explanation }) => {
      sessions.delete(context.sessionId);
      return verifyResponse(request, reward, explanation);
    });
  });

  // NeMo Gym's `gym eval reverify` asks before verifying stored rollouts again. /verify here replays the predicted
  // calls on fresh copies of the tables, whatever the session did, so verifying again gives the same reward
  // (NeMo Gym's own workplace server answers `unknown`, its default).
  server.route('GET', '/reverify_mode', () => jsonResponse(200, '"stateless"'));

  server.route('POST', '/aggregate_metrics', (context) => {
    const body = jsonObjectBody(context);
    const responses = body.verify_responses;
    if (!Array.isArray(responses)) {
      return jsonResponse(
        422,
        validationBody([{ type: responses === undefined ? 'missing' : 'list_type', loc: ['body', 'verify_responses'], msg: responses === undefined ? 'Field required' : 'Input should be a valid list', input: responses ?? body }]),
      );
    }
    return jsonResponse(200, dumpCompact(computeAggregateMetrics(verifyResponsesOf(context.body.toString('utf8'), context.json))));
  });

  return server;
}

/**
 * The `/verify` answer: the request echoed back plus the reward, as pydantic dumps it (`reward` and the models' other
 * float fields as floats: `1.0`), plus why.
 */
function verifyResponse(request: VerifyRequest, reward: number, explanation: RewardExplanation): HttpResponse {
  const dumpedParams = dumpCreateParams(request.responses_create_params);
  const answer = [
    `"responses_create_params":${typedJson(dumpedParams, CREATE_PARAMS_FLOATS)}`,
    `"response":${typedJson(request.response, RESPONSE_FLOATS)}`,
    `"reward":${pyFloatRepr(reward)}`,
    `"id":${request.id}`,
    `"category":${JSON.stringify(request.category)}`,
    `"environment_name":${JSON.stringify(request.environment_name)}`,
    `"ground_truth":${JSON.stringify(request.ground_truth)}`,
    `"reward_explanation":${JSON.stringify(explanation)}`,
  ];
  const text = `{${answer.join(',')}}`;
  // In-process callers also get the value (no re-parsing); over HTTP only the text is sent.
  const value = { responses_create_params: dumpedParams, response: request.response, reward, id: request.id, category: request.category, environment_name: request.environment_name, ground_truth: request.ground_truth, reward_explanation: explanation };
  return { ...jsonResponse(200, text), json: value };
}

export type { HttpResponse };

/**
 * The results of an `/aggregate_metrics` body as Python values, read from the text so that `1.0` stays a float
 * (an in-process caller that handed over only a JS value loses that distinction; ours send text).
 */
function verifyResponsesOf(text: string, json: unknown): PyDict[] {
  const parsed = text.trim() !== '' ? parsePythonJson(text) : parsePythonJson(JSON.stringify(json));
  const list = isPyDict(parsed) ? parsed.get('verify_responses') : undefined;
  return Array.isArray(list) ? list.filter((item): item is PyDict => isPyDict(item)) : [];
}
