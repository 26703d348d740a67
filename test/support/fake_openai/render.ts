import { randomBytes } from 'node:crypto';
import { echoedCreateParams, renderOutputItem, responseUsage } from '../../../src/core/model/response_builder.js';
import type { ResponseUsage } from '../../../src/core/schema/responses.js';
import type { FakeTurn } from './scripts.js';

/** Turns rendered the way OpenAI's endpoints send them. */

type JsonObject = Record<string, unknown>;

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** A rough token count, for usage when the script gives none. */
function approxTokens(value: unknown): number {
  return Math.max(1, Math.ceil(JSON.stringify(value ?? '').length / 4));
}

function usageFor(turn: FakeTurn, body: JsonObject): ResponseUsage {
  if (turn.usage) return turn.usage;
  return responseUsage({ inputTokens: approxTokens(body.input ?? body.messages), outputTokens: approxTokens(turn.items) });
}

/** A Responses API `response` object as OpenAI returns it (echoed params, `billing`, `text`, ...). */
export function renderResponsesReply(turn: FakeTurn, body: JsonObject): JsonObject {
  const stopReason = turn.stopReason ?? 'completed';
  const echoed = echoedCreateParams(body as Parameters<typeof echoedCreateParams>[0]);
  const output = turn.responsesOutput ?? turn.items.map((item) => renderOutputItem(item, { messageLogprobs: [] }));
  return {
    id: `resp_${hex(24)}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: stopReason === 'completed' ? 'completed' : 'incomplete',
    background: false,
    billing: { payer: 'developer' },
    error: null,
    incomplete_details: stopReason === 'completed' ? null : { reason: stopReason },
    instructions: echoed.instructions,
    max_output_tokens: echoed.max_output_tokens,
    max_tool_calls: echoed.max_tool_calls,
    model: turn.model ?? (body.model || 'gpt-4.1-2025-04-14'),
    output,
    parallel_tool_calls: echoed.parallel_tool_calls,
    previous_response_id: echoed.previous_response_id,
    prompt_cache_key: null,
    reasoning: echoed.reasoning ?? { effort: null, summary: null },
    safety_identifier: null,
    service_tier: 'default',
    store: body.store ?? true,
    temperature: echoed.temperature ?? 1.0,
    text: echoed.text ?? { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: echoed.tool_choice,
    tools: echoed.tools,
    top_logprobs: echoed.top_logprobs ?? 0,
    top_p: echoed.top_p ?? 1.0,
    truncation: echoed.truncation ?? 'disabled',
    usage: usageFor(turn, body),
    user: echoed.user,
    metadata: echoed.metadata ?? {},
    ...turn.responsesEnvelope,
  };
}

function finishReason(turn: FakeTurn): string {
  if (turn.stopReason === 'max_output_tokens') return 'length';
  if (turn.stopReason === 'content_filter') return 'content_filter';
  return turn.items.some((item) => item.type === 'function_call') ? 'tool_calls' : 'stop';
}

/** A `chat.completion` object as OpenAI returns it; reasoning goes into vLLM's `reasoning_content`. */
export function renderChatReply(turn: FakeTurn, body: JsonObject): JsonObject {
  const texts = turn.items.flatMap((item) => (item.type === 'message' ? [item.text] : []));
  const reasoning = turn.items.flatMap((item) => (item.type === 'reasoning' ? item.summary : []));
  const toolCalls = turn.items.flatMap((item) =>
    item.type === 'function_call' ? [{ id: item.callId, type: 'function', function: { name: item.name, arguments: item.arguments } }] : [],
  );
  const message: JsonObject = { role: 'assistant', content: texts.length > 0 ? texts.join('') : null, refusal: null, annotations: [] };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning.length > 0) message.reasoning_content = reasoning.join('\n');
  const usage = usageFor(turn, body);
  return {
    id: `chatcmpl-${hex(15)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: turn.model ?? (body.model || 'gpt-4.1-2025-04-14'),
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(turn) }],
    usage: {
      prompt_tokens: usage.input_tokens,
      completion_tokens: usage.output_tokens,
      total_tokens: usage.total_tokens,
      prompt_tokens_details: { cached_tokens: usage.input_tokens_details?.cached_tokens ?? 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: usage.output_tokens_details?.reasoning_tokens ?? 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_fake0000',
  };
}
