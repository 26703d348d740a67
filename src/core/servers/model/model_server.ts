import type { Logger } from '../../logger';
import type { EndpointStats } from '../../endpoint_pool';
import { NemoHttpServer } from '../http/http_server';
import { jsonBody } from '../http/json_body';
import { RESPONSE_FLOATS } from '../../schema/float_shapes';
import { typedJson } from '../../python/typed_json';
import { UPSTREAM_ATTEMPTS_HEADER } from '../../model/upstream_attempts';

interface ModelAnswer {
  status: number;
  body: unknown;
  upstreamAttempts?: number;
}

export interface ModelRequestHandler {
  /** `sessionKey`: this server's session id (one rollout: the agent threads the cookie through its turns). */
  handleResponses(body: unknown, signal: AbortSignal, sessionKey?: string): Promise<ModelAnswer>;
  handleChatCompletions?(body: unknown, signal: AbortSignal, sessionKey?: string): Promise<ModelAnswer>;
}

export interface ModelServerOptions {
  /** The config key of the server block (usually `policy_model`). */
  name: string;
  /** NeMo Gym's class name, used in the cookie name: `SimpleModelServer`, `VLLMModel`. */
  className: string;
  handler: ModelRequestHandler;
  logger: Logger;
  /** Per-endpoint figures of a model over several endpoints, answered at `GET /endpoint_stats` (ours only). */
  endpointStats?: () => EndpointStats[];
}

/** A model server: `POST /v1/responses` (and `/v1/chat/completions`) in front of the policy endpoint. */
export function createModelServer(options: ModelServerOptions): NemoHttpServer {
  const server = new NemoHttpServer({ identity: `${options.className}___${options.name}`, logger: options.logger, rolloutPrefix: 'model' });
  server.route('POST', '/v1/responses', async (context) => {
    const answer = await options.handler.handleResponses(jsonBody(context), context.signal, context.sessionId);
    // NeMo Gym's model server answers a pydantic dump of the Response: its float fields are floats (`created_at`).
    const jsonText = answer.status === 200 ? () => typedJson(answer.body, RESPONSE_FLOATS) : undefined;
    return { status: answer.status, json: answer.body, ...(jsonText ? { jsonText } : {}), headers: attemptsHeader(answer) };
  });
  const chat = options.handler.handleChatCompletions?.bind(options.handler);
  if (chat) {
    server.route('POST', '/v1/chat/completions', async (context) => {
      const answer = await chat(jsonBody(context), context.signal, context.sessionId);
      return { status: answer.status, json: answer.body, headers: attemptsHeader(answer) };
    });
  }
  const endpointStats = options.endpointStats;
  if (endpointStats) server.route('GET', '/endpoint_stats', () => Promise.resolve({ status: 200, json: { endpoints: endpointStats() } }));
  return server;
}

function attemptsHeader(answer: ModelAnswer): Record<string, string> {
  return answer.upstreamAttempts ? { [UPSTREAM_ATTEMPTS_HEADER]: String(answer.upstreamAttempts) } : {};
}
