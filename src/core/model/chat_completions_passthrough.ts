import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ChatCompletionsPassthrough, ModelCallOptions } from './model.js';
import { toModelError } from './model_errors.js';
import { callContext, withPermit, type OpenAIEndpoint, type OpenAIEndpointOptions } from './openai_client.js';

/** `/v1/chat/completions` as is: `extra_body | body`, `model` overwritten. */
export function chatCompletionsPassthrough(endpoint: OpenAIEndpoint, options: OpenAIEndpointOptions): ChatCompletionsPassthrough {
  return {
    async createChatCompletion(body: Record<string, unknown>, callOptions: ModelCallOptions = {}): Promise<unknown> {
      const request = { ...options.extraBody, ...body, model: options.model };
      const context = callContext(endpoint, options, '/chat/completions', { tools: body.tools as unknown[], signal: callOptions.signal });
      try {
        return await withPermit(endpoint, callOptions.signal, () =>
          endpoint.client.chat.completions.create(request as unknown as ChatCompletionCreateParamsNonStreaming, { signal: callOptions.signal }),
        );
      } catch (error) {
        throw toModelError(error, context);
      }
    },
  };
}
