import { APIError } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { ChatCompletionObject } from '../schema/chat_completions.js';
import type { ResponseObject, ResponsesCreateParams } from '../schema/responses.js';
import { chatCompletionToResponse, emptyChatCompletion } from './chat_to_responses.js';
import type { ChatCompletionsPassthrough, Model, ModelCallOptions } from './model.js';
import { invalidResponseError, toModelError } from './model_errors.js';
import { chatCompletionsPassthrough } from './chat_completions_passthrough.js';
import { callContext, createOpenAIEndpoint, withPermit, type OpenAIEndpointOptions } from './openai_client.js';
import { responsesToChatCompletionParams, type ReasoningReplay } from './responses_to_chat.js';

/**
 * NeMo Gym's `vllm_model` for any OpenAI-compatible Chat Completions endpoint: serves the Responses API by
 * converting the request to Chat Completions and the reply back (responses_to_chat.ts, chat_to_responses.ts).
 */
export interface ChatCompletionsModelOptions extends OpenAIEndpointOptions {
  /** How input reasoning items are sent (default `think_tags`, NeMo Gym's converter). */
  reasoningReplay?: ReasoningReplay;
  /** Move `<think>…</think>` blocks of replies into reasoning items (default true). */
  extractThinkTags?: boolean;
  replaceDeveloperRoleWithSystem?: boolean;
  /**
   * Merge the JSON objects in `metadata.extra_body` / `metadata.chat_template_kwargs` into the request, as NeMo
   * Gym does for vLLM (that is how `num_repeats_add_seed` passes a seed). Default true.
   */
  applyMetadataExtraBody?: boolean;
}

/** A 400 saying the prompt does not fit: NeMo Gym turns it into an empty completion that stopped on length. */
export function isContextLengthError(error: unknown): boolean {
  if (!(error instanceof APIError) || error.status !== 400) return false;
  const text = `${error.message} ${error.code ?? ''}`;
  return /context.length|maximum context|max_tokens|context_length_exceeded/i.test(text);
}

function parseJsonObject(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** `metadata.extra_body` merged under the body; `metadata.chat_template_kwargs` into `chat_template_kwargs`. */
function metadataExtras(metadata: Record<string, string> | null | undefined): Record<string, unknown> {
  const extras: Record<string, unknown> = { ...parseJsonObject(metadata?.extra_body) };
  const templateKwargs = parseJsonObject(metadata?.chat_template_kwargs);
  if (Object.keys(templateKwargs).length > 0) {
    extras.chat_template_kwargs = { ...(extras.chat_template_kwargs as Record<string, unknown> | undefined), ...templateKwargs };
  }
  return extras;
}

export function createChatCompletionsModel(options: ChatCompletionsModelOptions): Model & ChatCompletionsPassthrough {
  const endpoint = createOpenAIEndpoint(options);
  return {
    async respond(params: ResponsesCreateParams, callOptions: ModelCallOptions = {}): Promise<ResponseObject> {
      const { signal } = callOptions;
      const chatRequest = responsesToChatCompletionParams(params, options);
      const fromMetadata = options.applyMetadataExtraBody === false ? {} : metadataExtras(params.metadata);
      const body = { ...options.extraBody, ...fromMetadata, ...chatRequest, model: options.model };
      const context = callContext(endpoint, options, '/chat/completions', { tools: params.tools, signal });
      let reply: unknown;
      try {
        reply = await withPermit(endpoint, signal, () =>
          endpoint.client.chat.completions.create(body as unknown as ChatCompletionCreateParamsNonStreaming, { signal }),
        );
      } catch (error) {
        if (!isContextLengthError(error)) throw toModelError(error, context);
        endpoint.logger.warn(`The model endpoint said the prompt is too long; answering with an empty, length-limited completion.`);
        reply = emptyChatCompletion('length', options.model);
      }
      const checked = ChatCompletionObject.safeParse(reply);
      if (!checked.success) throw invalidResponseError(context.url, 'chat.completion object', checked.error.issues);
      return chatCompletionToResponse(checked.data, params, { model: options.model, extractThinkTags: options.extractThinkTags });
    },
    ...chatCompletionsPassthrough(endpoint, options),
  };
}
