import type { ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import { ResponseObject, type ResponsesCreateParams } from '../schema/responses.js';
import { chatCompletionsPassthrough } from './chat_completions_passthrough.js';
import type { ChatCompletionsPassthrough, Model, ModelCallOptions } from './model.js';
import { invalidResponseError, toModelError } from './model_errors.js';
import { callContext, createOpenAIEndpoint, withPermit, type OpenAIEndpointOptions } from './openai_client.js';

/**
 * NeMo Gym's `openai_model`: the upstream speaks the Responses API natively. The body is
 * `extra_body | params` (request fields win) with `model` overwritten; the reply is checked leniently and
 * returned as the upstream sent it.
 */
export type OpenAIResponsesModelOptions = OpenAIEndpointOptions;

export function createOpenAIResponsesModel(options: OpenAIResponsesModelOptions): Model & ChatCompletionsPassthrough {
  const endpoint = createOpenAIEndpoint(options);
  return {
    async respond(params: ResponsesCreateParams, callOptions: ModelCallOptions = {}): Promise<ResponseObject> {
      const { signal } = callOptions;
      const body = { ...options.extraBody, ...params, model: options.model };
      const context = callContext(endpoint, options, '/responses', { tools: params.tools, signal });
      let reply: unknown;
      try {
        reply = await withPermit(endpoint, signal, () =>
          endpoint.client.responses.create(body as unknown as ResponseCreateParamsNonStreaming, { signal }),
        );
      } catch (error) {
        throw toModelError(error, context);
      }
      // The SDK adds a convenience `output_text` that the upstream did not send.
      if (reply !== null && typeof reply === 'object') delete (reply as { output_text?: unknown }).output_text;
      const checked = ResponseObject.safeParse(reply);
      if (!checked.success) throw invalidResponseError(context.url, 'Responses API response object', checked.error.issues);
      return reply as ResponseObject;
    },
    ...chatCompletionsPassthrough(endpoint, options),
  };
}
