import { describe, expect, it } from 'vitest';
import { chatCompletionToResponse, chatCompletionToTurn, chatUsageToResponseUsage, emptyChatCompletion } from '../../../src/core/model/chat_to_responses.js';
import type { ChatCompletionObject } from '../../../src/core/schema/chat_completions.js';
import { ResponseObject, type ResponsesCreateParams } from '../../../src/core/schema/responses.js';

function completion(message: Record<string, unknown>, finishReason = 'stop', usage: ChatCompletionObject['usage'] = null): ChatCompletionObject {
  return { id: 'chatcmpl-1', object: 'chat.completion', created: 1700000000, model: 'm', choices: [{ index: 0, finish_reason: finishReason, message: { role: 'assistant', ...message } }], usage };
}

const params: ResponsesCreateParams = {
  input: 'hi',
  tools: [{ type: 'function', name: 'f', parameters: null, strict: false }],
  temperature: 0.5,
  parallel_tool_calls: false,
};

describe('chatCompletionToResponse', () => {
  it('orders output reasoning → message → function calls, ids rs_/msg_ + hex and call ids from the tool calls', () => {
    const response = chatCompletionToResponse(
      completion({
        content: 'Checking.',
        reasoning_content: 'I should call f.',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
      }, 'tool_calls'),
      params,
      { model: 'policy' },
    );
    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call']);
    const [reasoning, message, functionCall] = response.output;
    expect(reasoning).toMatchObject({ summary: [{ type: 'summary_text', text: 'I should call f.' }], encrypted_content: null });
    expect(reasoning!.id).toMatch(/^rs_[0-9a-f]{32}$/);
    expect(message).toMatchObject({ role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Checking.', annotations: [], logprobs: null }] });
    expect(message!.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(functionCall).toEqual({ type: 'function_call', name: 'f', arguments: '{"a":1}', call_id: 'call_1', id: 'call_1', status: 'completed' });
    expect(ResponseObject.safeParse(response).success).toBe(true);
  });

  it('fills the envelope: resp_ id, created from the chat reply, model, echoed params with defaults', () => {
    const response = chatCompletionToResponse(completion({ content: 'x' }), params, { model: 'policy' });
    expect(response.id).toMatch(/^resp_[0-9a-f]{32}$/);
    expect(response).toMatchObject({
      object: 'response',
      created_at: 1700000000,
      model: 'policy',
      status: 'completed',
      incomplete_details: null,
      error: null,
      temperature: 0.5,
      parallel_tool_calls: false,
      tool_choice: 'auto',
      tools: params.tools,
      instructions: null,
      max_output_tokens: null,
    });
  });

  it('omits the message when there are only tool calls', () => {
    const response = chatCompletionToResponse(
      completion({ content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] }, 'tool_calls'),
      params,
      { model: 'm' },
    );
    expect(response.output.map((item) => item.type)).toEqual(['function_call']);
  });

  it('an empty completion still yields one empty assistant message', () => {
    const response = chatCompletionToResponse(completion({ content: null }), params, { model: 'm' });
    expect(response.output).toHaveLength(1);
    expect(response.output[0]).toMatchObject({ type: 'message', content: [{ text: '' }] });
  });

  it('finish_reason length → incomplete with reason max_output_tokens; content_filter likewise', () => {
    const length = chatCompletionToResponse(completion({ content: 'cut' }, 'length'), params, { model: 'm' });
    expect(length).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
    const filtered = chatCompletionToResponse(completion({ content: '' }, 'content_filter'), params, { model: 'm' });
    expect(filtered).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'content_filter' } });
  });

  it('moves <think> blocks of the content into the reasoning item', () => {
    const turn = chatCompletionToTurn(completion({ content: '<think>a</think>\n<think>b</think>\n\nAnswer' }));
    expect(turn.items).toEqual([
      { type: 'reasoning', summary: ['a', 'b'] },
      { type: 'message', text: 'Answer' },
    ]);
    const kept = chatCompletionToTurn(completion({ content: '<think>a</think>x' }), { extractThinkTags: false });
    expect(kept.items).toEqual([{ type: 'message', text: '<think>a</think>x' }]);
  });

  it('a reply with only reasoning has no message item', () => {
    expect(chatCompletionToTurn(completion({ content: '', reasoning: 'hmm' })).items).toEqual([{ type: 'reasoning', summary: ['hmm'] }]);
  });
});

describe('usage mapping', () => {
  it('maps prompt/completion tokens and details, using the provider total', () => {
    expect(
      chatUsageToResponseUsage({
        prompt_tokens: 100,
        completion_tokens: 20,
        total_tokens: 121,
        prompt_tokens_details: { cached_tokens: 64 },
        completion_tokens_details: { reasoning_tokens: 5 },
      }),
    ).toEqual({ input_tokens: 100, input_tokens_details: { cached_tokens: 64 }, output_tokens: 20, output_tokens_details: { reasoning_tokens: 5 }, total_tokens: 121 });
  });

  it('defaults details to 0, total to the sum, and no usage to null', () => {
    expect(chatUsageToResponseUsage({ prompt_tokens: 3, completion_tokens: 4 })).toEqual({
      input_tokens: 3,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 4,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 7,
    });
    expect(chatUsageToResponseUsage(undefined)).toBeNull();
  });
});

describe('emptyChatCompletion', () => {
  it('converts to an incomplete response with one empty message (the context-length fallback)', () => {
    const response = chatCompletionToResponse(emptyChatCompletion('length', 'm'), params, { model: 'm' });
    expect(response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, usage: null });
    expect(response.output).toHaveLength(1);
  });
});
