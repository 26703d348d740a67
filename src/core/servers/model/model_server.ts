import type { Logger } from '../../logger';
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
  handleResponses(body: unknown, signal: AbortSignal): Promise<ModelAnswer>;
  handleChatCompletions?(body: unknown, signal: AbortSignal): Promise<ModelAnswer>;
}

export interface ModelServerOptions {
  /** The config key of the server block (usually `policy_model`). */
  name: string;
  /** NeMo Gym's class name, used in the cookie name: `SimpleModelServer`, `VLLMModel`. */
  className: string;
  handler: ModelRequestHandler;
  logger: Logger;
}

/** A model server: `POST /v1/responses` (and `/v1/chat/completions`) in front of the policy endpoint. */
export function createModelServer(options: ModelServerOptions): NemoHttpServer {
  const server = new NemoHttpServer({ identity: `${options.className}___${options.name}`, logger: options.logger, rolloutPrefix: 'model' });
  server.route('POST', '/v1/responses', async (context) => {
    const answer = await options.handler.handleResponses(jsonBody(context), context.signal);
    // NeMo Gym's model server answers a pydantic dump of the Response: its float fields are floats (`created_at`).
    const jsonText = answer.status === 200 ? () => typedJson(answer.body, RESPONSE_FLOATS) : undefined;
    return { status: answer.status, json: answer.body, ...(jsonText ? { jsonText } : {}), headers: attemptsHeader(answer) };
  });
  const chat = options.handler.handleChatCompletions?.bind(options.handler);
  if (chat) {
    server.route('POST', '/v1/chat/completions', async (context) => {
      const answer = await chat(jsonBody(context), context.signal);
      return { status: answer.status, json: answer.body, headers: attemptsHeader(answer) };
    });
  }
  return server;
}

function attemptsHeader(answer: ModelAnswer): Record<string, string> {
  return answer.upstreamAttempts ? { [UPSTREAM_ATTEMPTS_HEADER]: String(answer.upstreamAttempts) } : {};
}
