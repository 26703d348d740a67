import { isRetryableStatus } from '../retry_policy.js';
import type { ResponseObject, ResponsesCreateParams } from '../schema/responses.js';

/**
 * The policy model behind one interface: Responses API create params in, a Responses API `response` out.
 * Implementations: the OpenAI Responses adapter, the Chat Completions adapter (converts both ways), and a
 * scripted fake for tests.
 */
export interface ModelCallOptions {
  signal?: AbortSignal;
  /** The caller's session (one rollout): a model over several endpoints sends every call of a session to one of them. */
  sessionKey?: string;
}

export interface Model {
  /** Throws {@link ModelError} when the upstream fails, {@link UnsupportedInputError} for unconvertible input. */
  respond(params: ResponsesCreateParams, options?: ModelCallOptions): Promise<ResponseObject>;
}

/** A model that can also forward a Chat Completions request as is (the model server's `/v1/chat/completions`). */
export interface ChatCompletionsPassthrough {
  createChatCompletion(body: Record<string, unknown>, options?: ModelCallOptions): Promise<unknown>;
}

export function supportsChatCompletionsPassthrough(model: Model): model is Model & ChatCompletionsPassthrough {
  return typeof (model as Partial<ChatCompletionsPassthrough>).createChatCompletion === 'function';
}

export type ModelErrorKind = 'http' | 'timeout' | 'connection' | 'invalid_response' | 'cancelled';

/** The tool a 4xx names, when the upstream rejected a tool schema. */
export interface ToolSchemaProblem {
  toolName?: string;
  toolIndex?: number;
  /** The field inside the tool, e.g. `parameters` or `database`. */
  field?: string;
}

export interface ModelErrorInit {
  kind: ModelErrorKind;
  message: string;
  status?: number;
  retryable?: boolean;
  /** The upstream's own error message, verbatim (already free of secrets). */
  upstreamMessage?: string;
  upstreamCode?: string;
  tool?: ToolSchemaProblem;
}

function defaultRetryable(kind: ModelErrorKind, status: number | undefined): boolean {
  switch (kind) {
    case 'http':
      return status !== undefined && isRetryableStatus(status);
    case 'timeout':
    case 'connection':
      return true;
    case 'invalid_response':
    case 'cancelled':
      return false;
  }
}

/**
 * A failed model call, after the SDK's own retries. The message quotes the upstream's error text and never
 * contains the API key or an Authorization header. `retryable` says whether trying the same call again later
 * can succeed (rate limits, 5xx, timeouts, dropped connections), for callers that retry whole rollouts.
 */
export class ModelError extends Error {
  readonly kind: ModelErrorKind;
  readonly status?: number;
  readonly retryable: boolean;
  readonly upstreamMessage?: string;
  readonly upstreamCode?: string;
  readonly tool?: ToolSchemaProblem;

  constructor(init: ModelErrorInit) {
    super(init.message);
    this.name = 'ModelError';
    this.kind = init.kind;
    this.status = init.status;
    this.retryable = init.retryable ?? defaultRetryable(init.kind, init.status);
    this.upstreamMessage = init.upstreamMessage;
    this.upstreamCode = init.upstreamCode;
    this.tool = init.tool;
  }
}

/** The request cannot be expressed for this model (e.g. an input item the Chat Completions conversion lacks). */
export class UnsupportedInputError extends Error {
  /** Where in the create params, e.g. `["input", 3, "content", 0]`. */
  readonly loc: (string | number)[];

  constructor(message: string, loc: (string | number)[] = []) {
    super(message);
    this.name = 'UnsupportedInputError';
    this.loc = loc;
  }
}
