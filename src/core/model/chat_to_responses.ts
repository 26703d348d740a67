import type { ChatCompletionObject, ChatCompletionUsageObject } from '../schema/chat_completions.js';
import type { ResponseObject, ResponseUsage, ResponsesCreateParams } from '../schema/responses.js';
import { buildResponseObject, responseUsage, type ModelTurn, type TurnItem, type TurnStopReason } from './response_builder.js';

/**
 * Chat Completions reply → Responses object, following NeMo Gym's vllm_model (NEMO_GYM_PROTOCOL.md §3.2.3) with
 * its current choices: the reply's `reasoning_content`/`reasoning` field and any `<think>…</think>` blocks become
 * one reasoning item; output order is reasoning → message → function calls; an empty completion still yields one
 * empty assistant message; `finish_reason: length` gives `status: incomplete` with
 * `incomplete_details.reason: max_output_tokens`; usage maps to the Responses names.
 */

export interface ChatToResponsesOptions {
  /** The model name the response reports (NeMo Gym: the configured model). */
  model: string;
  /** Move `<think>…</think>` blocks of the content into the reasoning item (default true). */
  extractThinkTags?: boolean;
}

const THINK_BLOCK = /<think>(.*?)<\/think>/gs;

function stopReasonOf(finishReason: string | null | undefined): TurnStopReason {
  if (finishReason === 'length') return 'max_output_tokens';
  if (finishReason === 'content_filter') return 'content_filter';
  return 'completed';
}

export function chatUsageToResponseUsage(usage: ChatCompletionUsageObject | null | undefined): ResponseUsage | null {
  if (!usage) return null;
  return responseUsage({
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    totalTokens: usage.total_tokens ?? undefined,
    cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? undefined,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? undefined,
  });
}

/** The neutral turn a chat reply describes (first choice only). */
export function chatCompletionToTurn(completion: ChatCompletionObject, options: Pick<ChatToResponsesOptions, 'extractThinkTags'> = {}): ModelTurn {
  const choice = completion.choices[0]!;
  const message = choice.message;
  const reasoning: string[] = [];
  const field = message.reasoning_content ?? message.reasoning;
  if (field) reasoning.push(field);

  let content = message.content ?? '';
  if (options.extractThinkTags ?? true) {
    const blocks = [...content.matchAll(THINK_BLOCK)].map((match) => match[1]!);
    if (blocks.length > 0) {
      reasoning.push(...blocks);
      content = content.replace(THINK_BLOCK, '').trimStart();
    }
  }

  const toolCalls = message.tool_calls ?? [];
  const items: TurnItem[] = [];
  if (reasoning.length > 0) items.push({ type: 'reasoning', summary: reasoning });
  if (content !== '' || (reasoning.length === 0 && toolCalls.length === 0)) items.push({ type: 'message', text: content });
  for (const call of toolCalls) {
    items.push({ type: 'function_call', name: call.function.name, arguments: call.function.arguments, callId: call.id, id: call.id });
  }
  return { items, stopReason: stopReasonOf(choice.finish_reason), usage: chatUsageToResponseUsage(completion.usage) };
}

/** The Responses object for a chat reply to a request made from `params`. */
export function chatCompletionToResponse(
  completion: ChatCompletionObject,
  params: ResponsesCreateParams,
  options: ChatToResponsesOptions,
): ResponseObject {
  return buildResponseObject({
    params,
    model: options.model,
    turn: chatCompletionToTurn(completion, options),
    createdAt: completion.created,
    messageLogprobs: null,
  });
}

/** The empty completion NeMo Gym substitutes when the upstream says the context is too long. */
export function emptyChatCompletion(finishReason: 'length' | 'stop' | 'content_filter', model: string): ChatCompletionObject {
  return {
    id: 'chatcmpl-empty',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, finish_reason: finishReason, message: { role: 'assistant', content: '' } }],
    usage: null,
  };
}
