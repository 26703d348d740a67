import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { ChatCompletionCreateBody } from '../schema/chat_completions.js';
import { validatePydanticStyle, type PydanticErrorDetail } from '../schema/pydantic_style.js';
import { validateResponsesCreateParams } from '../schema/responses.js';
import { ModelError, UnsupportedInputError, supportsChatCompletionsPassthrough, type Model } from './model.js';
import { sanitizeToolSchemas } from '../schema/tool_schema_repair.js';
import { countingUpstreamAttempts } from './upstream_attempts.js';

/**
 * The model server's request handling without HTTP (the HTTP layer maps routes to these and writes
 * `status`/`body` as JSON).
 *
 * Status codes:
 * - 200: the Responses object (or chat.completion) from the upstream.
 * - 422: `{"detail": [...]}`, FastAPI/pydantic-style, when the body breaks NeMo Gym's schema.
 * - 400: `{"error": {...}}` when valid params cannot be expressed for this model (e.g. a hosted tool sent to a
 *   Chat Completions endpoint).
 * - 429: the upstream kept rate-limiting after the SDK's retries.
 * - 502: any other upstream failure: an HTTP error status, a refused or dropped connection, a reply that is not
 *   valid JSON or not a Responses object.
 * - 504: the upstream did not answer within the timeout (after retries).
 * - 499: the caller cancelled (the client closed the request).
 * - 501: `/v1/chat/completions` on a model that cannot forward Chat Completions.
 * - 500: a bug on our side.
 * Error bodies look like OpenAI's, so SDK clients show the message: `{"error": {"message", "type", ...}}` with
 * `type` one of `upstream_error`, `upstream_timeout`, `cancelled`, `unsupported_input`, `not_implemented`,
 * `internal_error`; upstream errors add `kind`, `upstream_status` and `retryable`.
 */
export const MODEL_SERVER_STATUS = {
  ok: 200,
  unsupportedInput: 400,
  validation: 422,
  upstreamRateLimited: 429,
  cancelled: 499,
  internal: 500,
  notImplemented: 501,
  upstreamFailed: 502,
  upstreamTimeout: 504,
} as const;

export interface HandlerResult {
  status: number;
  body: unknown;
  /** HTTP attempts the call made upstream (the SDK's retries included); absent when it never reached the upstream. */
  upstreamAttempts?: number;
}

export interface ModelServerHandlerOptions {
  model: Model;
  logger?: Logger;
  /** Repair non-standard tool dicts before validating (see schema/tool_schema_repair.ts) instead of answering 422. */
  sanitizeToolSchemas?: boolean;
}

export interface ModelServerHandler {
  /** `POST /v1/responses`. */
  handleResponses(body: unknown, signal?: AbortSignal): Promise<HandlerResult>;
  /** `POST /v1/chat/completions`, forwarded as is. */
  handleChatCompletions(body: unknown, signal?: AbortSignal): Promise<HandlerResult>;
}

function errorBody(message: string, type: string, extra: Record<string, unknown> = {}): { error: Record<string, unknown> } {
  return { error: { message, type, ...extra } };
}

function summarizeDetail(detail: readonly PydanticErrorDetail[]): string {
  const first = detail[0];
  if (!first) return 'invalid body';
  const more = detail.length > 1 ? ` (+${detail.length - 1} more)` : '';
  return `${first.loc.join('.')}: ${first.msg}${more}`;
}

/** The HTTP answer for a failed model call. */
export function modelFailureResult(error: unknown): HandlerResult {
  if (error instanceof ModelError) {
    const extra = { kind: error.kind, upstream_status: error.status ?? null, retryable: error.retryable };
    switch (error.kind) {
      case 'cancelled':
        return { status: MODEL_SERVER_STATUS.cancelled, body: errorBody(error.message, 'cancelled', extra) };
      case 'timeout':
        return { status: MODEL_SERVER_STATUS.upstreamTimeout, body: errorBody(error.message, 'upstream_timeout', extra) };
      default: {
        const status = error.status === 429 ? MODEL_SERVER_STATUS.upstreamRateLimited : MODEL_SERVER_STATUS.upstreamFailed;
        return { status, body: errorBody(error.message, 'upstream_error', extra) };
      }
    }
  }
  if (error instanceof UnsupportedInputError) {
    return { status: MODEL_SERVER_STATUS.unsupportedInput, body: errorBody(error.message, 'unsupported_input', { loc: error.loc }) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { status: MODEL_SERVER_STATUS.internal, body: errorBody(`Model server error: ${message}`, 'internal_error') };
}

function attempts(count: number): { upstreamAttempts?: number } {
  return count > 0 ? { upstreamAttempts: count } : {};
}

export function createModelServerHandler(options: ModelServerHandlerOptions): ModelServerHandler {
  const { model } = options;
  const logger = options.logger ?? silentLogger;

  async function call(what: string, run: () => Promise<unknown>): Promise<HandlerResult> {
    const counter = { attempts: 0 };
    try {
      const body = await countingUpstreamAttempts(counter, run);
      return { status: MODEL_SERVER_STATUS.ok, body, ...attempts(counter.attempts) };
    } catch (error) {
      const result = modelFailureResult(error);
      const message = (result.body as { error: { message: string } }).error.message;
      if (result.status === MODEL_SERVER_STATUS.internal) logger.error(`${what}: ${message}`);
      else if (result.status !== MODEL_SERVER_STATUS.cancelled) logger.warn(`${what}: ${message}`);
      return { ...result, ...attempts(counter.attempts) };
    }
  }

  return {
    async handleResponses(body, signal) {
      let candidate = body;
      if (options.sanitizeToolSchemas) {
        const sanitized = sanitizeToolSchemas(body);
        candidate = sanitized.params;
        if (sanitized.notice) logger.info(sanitized.notice);
      }
      const validated = validateResponsesCreateParams(candidate);
      if (!validated.ok) {
        logger.warn(`POST /v1/responses: 422 ${summarizeDetail(validated.detail)}`);
        return { status: MODEL_SERVER_STATUS.validation, body: { detail: validated.detail } };
      }
      return call('POST /v1/responses', () => model.respond(validated.value, { signal }));
    },

    async handleChatCompletions(body, signal) {
      if (!supportsChatCompletionsPassthrough(model)) {
        return {
          status: MODEL_SERVER_STATUS.notImplemented,
          body: errorBody('This model server cannot forward /v1/chat/completions.', 'not_implemented'),
        };
      }
      const validated = validatePydanticStyle(ChatCompletionCreateBody, body);
      if (!validated.ok) {
        logger.warn(`POST /v1/chat/completions: 422 ${summarizeDetail(validated.detail)}`);
        return { status: MODEL_SERVER_STATUS.validation, body: { detail: validated.detail } };
      }
      return call('POST /v1/chat/completions', () => model.createChatCompletion(validated.value, { signal }));
    },
  };
}
