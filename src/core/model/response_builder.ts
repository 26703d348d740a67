import { randomUUID } from 'node:crypto';
import {
  CREATE_PARAM_DEFAULTS,
  type ResponseObject,
  type ResponseOutputItem,
  type ResponseUsage,
  type ResponsesCreateParams,
} from '../schema/responses.js';

/**
 * Builds Responses API objects from a neutral description of one model turn. Used by the Chat Completions
 * adapter (chat reply → response), the scripted fake model and the fake OpenAI server.
 */

/** One thing the model produced in a turn. */
export type TurnItem =
  | { type: 'reasoning'; summary: string[]; id?: string }
  | { type: 'message'; text: string; id?: string }
  | { type: 'function_call'; name: string; arguments: string; callId: string; id?: string };

/** Why generation stopped; anything but `completed` makes the response `incomplete`. */
export type TurnStopReason = 'completed' | 'max_output_tokens' | 'content_filter';

export interface ModelTurn {
  items: TurnItem[];
  stopReason?: TurnStopReason;
  usage?: ResponseUsage | null;
}

/** `<prefix>_<uuid4 hex>`, NeMo Gym's id form (`resp_`, `msg_`, `rs_`, `fc_`). */
export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '')}`;
}

export interface RenderOptions {
  /** `logprobs` of output text parts: OpenAI sends `[]`, NeMo Gym's converter `null`. */
  messageLogprobs?: [] | null;
}

/** A Responses API output item for a turn item, with generated ids where the item has none. */
export function renderOutputItem(item: TurnItem, options: RenderOptions = {}): ResponseOutputItem {
  switch (item.type) {
    case 'reasoning':
      return {
        id: item.id ?? newId('rs'),
        type: 'reasoning',
        summary: item.summary.map((text) => ({ type: 'summary_text', text })),
        encrypted_content: null,
      };
    case 'message':
      return {
        id: item.id ?? newId('msg'),
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: item.text, annotations: [], logprobs: options.messageLogprobs ?? null }],
      };
    case 'function_call':
      return {
        type: 'function_call',
        name: item.name,
        arguments: item.arguments,
        call_id: item.callId,
        id: item.id ?? newId('fc'),
        status: 'completed',
      };
  }
}

/** The request params a Responses object echoes back, with pydantic's defaults for unset ones. */
export function echoedCreateParams(params: Partial<ResponsesCreateParams>): Record<string, unknown> {
  return {
    background: params.background ?? null,
    instructions: params.instructions ?? null,
    max_output_tokens: params.max_output_tokens ?? null,
    max_tool_calls: params.max_tool_calls ?? null,
    metadata: params.metadata ?? null,
    parallel_tool_calls: params.parallel_tool_calls ?? CREATE_PARAM_DEFAULTS.parallel_tool_calls,
    previous_response_id: params.previous_response_id ?? null,
    prompt: params.prompt ?? null,
    reasoning: params.reasoning ?? null,
    service_tier: params.service_tier ?? null,
    temperature: params.temperature ?? null,
    text: params.text ?? null,
    tool_choice: params.tool_choice ?? CREATE_PARAM_DEFAULTS.tool_choice,
    tools: params.tools ?? [...CREATE_PARAM_DEFAULTS.tools],
    top_logprobs: params.top_logprobs ?? null,
    top_p: params.top_p ?? null,
    truncation: params.truncation ?? null,
    user: params.user ?? null,
  };
}

export interface BuildResponseOptions extends RenderOptions {
  params: Partial<ResponsesCreateParams>;
  model: string;
  turn: ModelTurn;
  id?: string;
  /** Unix seconds. */
  createdAt?: number;
}

/** A complete Responses object for one turn, shaped like NeMo Gym's vllm_model conversion. */
export function buildResponseObject(options: BuildResponseOptions): ResponseObject {
  const stopReason = options.turn.stopReason ?? 'completed';
  const echoed = echoedCreateParams(options.params);
  return {
    id: options.id ?? newId('resp'),
    object: 'response',
    created_at: options.createdAt ?? Math.floor(Date.now() / 1000),
    status: stopReason === 'completed' ? 'completed' : 'incomplete',
    error: null,
    incomplete_details: stopReason === 'completed' ? null : { reason: stopReason },
    model: options.model,
    output: options.turn.items.map((item) => renderOutputItem(item, options)),
    ...echoed,
    usage: options.turn.usage ?? null,
  };
}

/** A Responses `usage` object from token counts (details default to 0). */
export function responseUsage(counts: {
  inputTokens: number;
  outputTokens: number;
  totalTokens?: number;
  cachedTokens?: number;
  reasoningTokens?: number;
}): ResponseUsage {
  return {
    input_tokens: counts.inputTokens,
    input_tokens_details: { cached_tokens: counts.cachedTokens ?? 0 },
    output_tokens: counts.outputTokens,
    output_tokens_details: { reasoning_tokens: counts.reasoningTokens ?? 0 },
    total_tokens: counts.totalTokens ?? counts.inputTokens + counts.outputTokens,
  };
}
