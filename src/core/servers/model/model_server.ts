import type { Logger } from '../../logger';
import { HttpError, jsonResponse, NemoHttpServer, type HttpRequestContext } from '../http/http_server';
import { missingBodyDetail, validationBody } from '../http/validation_errors';

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
      return jsonResponse(answer.status, JSON.stringify(answer.body));
    });
  }
  return server;
}

function jsonBody(context: HttpRequestContext): unknown {
  if (context.json !== undefined) return context.json;
  if (context.body.length === 0) throw new HttpError(422, validationBody([missingBodyDetail()]));
  try {
    return JSON.parse(context.body.toString('utf8'));
  } catch (error) {
    throw new HttpError(422, validationBody([{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {}, ctx: { error: error instanceof Error ? error.message : 'invalid JSON' } }]));
  }
}
