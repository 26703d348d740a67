import type { Logger } from '../../logger';
import { NemoHttpServer } from '../http/http_server';
import { jsonBody } from '../http/json_body';

export interface ModelRequestHandler {
  handleResponses(body: unknown, signal: AbortSignal): Promise<{ status: number; body: unknown }>;
  handleChatCompletions?(body: unknown, signal: AbortSignal): Promise<{ status: number; body: unknown }>;
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
  const server = new NemoHttpServer({ identity: `${options.className}___${options.name}`, logger: options.logger });
  server.route('POST', '/v1/responses', async (context) => {
    const answer = await options.handler.handleResponses(jsonBody(context), context.signal);
    return { status: answer.status, json: answer.body };
  });
  const chat = options.handler.handleChatCompletions?.bind(options.handler);
  if (chat) {
    server.route('POST', '/v1/chat/completions', async (context) => {
      const answer = await chat(jsonBody(context), context.signal);
      return { status: answer.status, json: answer.body };
    });
  }
  return server;
}
