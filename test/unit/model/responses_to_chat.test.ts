import { describe, expect, it } from 'vitest';
import { UnsupportedInputError } from '../../../src/core/model/model.js';
import { responsesInputToChatMessages, responsesToChatCompletionParams } from '../../../src/core/model/responses_to_chat.js';
import type { ResponsesCreateParams } from '../../../src/core/schema/responses.js';

const tool = {
  type: 'function' as const,
  name: 'email_delete_email',
  description: 'Deletes an email.',
  parameters: { type: 'object', properties: { email_id: { type: 'string' } } },
  strict: false,
};

const call = (callId: string, name = 'email_delete_email', args = '{"email_id":"1"}') => ({
  type: 'function_call' as const,
  call_id: callId,
  name,
  arguments: args,
  id: `fc_${callId}`,
  status: 'completed' as const,
});
const output = (callId: string, text = '{"output":"ok"}') => ({ type: 'function_call_output' as const, call_id: callId, output: text });
const assistant = (text: string) => ({
  type: 'message' as const,
  id: 'msg_1',
  role: 'assistant' as const,
  status: 'completed' as const,
  content: [{ type: 'output_text' as const, text, annotations: [] }],
});

describe('responsesInputToChatMessages', () => {
  it('turns a string input into one user message with a text part', () => {
    expect(responsesInputToChatMessages('hello')).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hello' }] }]);
  });

  it('keeps system/user roles and string content; input_text parts become text parts', () => {
    expect(
      responsesInputToChatMessages([
        { role: 'system', content: 'rules' },
        { role: 'user', content: [{ type: 'input_text', text: 'do it' }], type: 'message' },
      ]),
    ).toEqual([
      { role: 'system', content: 'rules' },
      { role: 'user', content: [{ type: 'text', text: 'do it' }] },
    ]);
  });

  it('function calls become assistant tool_calls with id = call_id; outputs become tool messages', () => {
    expect(responsesInputToChatMessages([{ role: 'user', content: 'go' }, call('call_a'), output('call_a'), assistant('done')])).toEqual([
      { role: 'user', content: 'go' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'email_delete_email', arguments: '{"email_id":"1"}' } }] },
      { role: 'tool', content: '{"output":"ok"}', tool_call_id: 'call_a' },
      { role: 'assistant', content: 'done' },
    ]);
  });

  it('buffers text and several calls of one turn into one assistant message', () => {
    const messages = responsesInputToChatMessages([assistant('Let me check.'), call('c1'), call('c2'), output('c1'), output('c2')]);
    expect(messages[0]).toEqual({
      role: 'assistant',
      content: 'Let me check.',
      tool_calls: [
        { id: 'c1', type: 'function', function: { name: 'email_delete_email', arguments: '{"email_id":"1"}' } },
        { id: 'c2', type: 'function', function: { name: 'email_delete_email', arguments: '{"email_id":"1"}' } },
      ],
    });
    expect(messages.slice(1).map((message) => message.role)).toEqual(['tool', 'tool']);
  });

  it('omits tool_calls on an assistant message without calls', () => {
    expect(responsesInputToChatMessages([assistant('hi')])).toEqual([{ role: 'assistant', content: 'hi' }]);
  });

  it('prepends reasoning summaries as <think> blocks to the next assistant content', () => {
    const reasoning = { type: 'reasoning' as const, id: 'rs_1', summary: [{ type: 'summary_text' as const, text: 'plan' }] };
    expect(responsesInputToChatMessages([reasoning, assistant('answer')])).toEqual([{ role: 'assistant', content: '<think>plan</think>answer' }]);
  });

  it('can send reasoning as reasoning_content/reasoning fields instead, or drop it', () => {
    const reasoning = { type: 'reasoning' as const, id: 'rs_1', summary: [{ type: 'summary_text' as const, text: 'plan' }] };
    expect(responsesInputToChatMessages([reasoning, call('c1')], { reasoningReplay: 'reasoning_fields' })).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'email_delete_email', arguments: '{"email_id":"1"}' } }],
        reasoning_content: 'plan',
        reasoning: 'plan',
      },
    ]);
    expect(responsesInputToChatMessages([reasoning, assistant('x')], { reasoningReplay: 'drop' })).toEqual([{ role: 'assistant', content: 'x' }]);
  });

  it('infers item types when items omit them', () => {
    expect(responsesInputToChatMessages([{ call_id: 'c', name: 'f', arguments: '{}' }, { call_id: 'c', output: 'r' }])).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', content: 'r', tool_call_id: 'c' },
    ]);
  });

  it('can rewrite the developer role as system', () => {
    expect(responsesInputToChatMessages([{ role: 'developer', content: 'x' }], { replaceDeveloperRoleWithSystem: true })).toEqual([
      { role: 'system', content: 'x' },
    ]);
  });

  it('rejects parts and items it cannot convert, naming where', () => {
    expect(() => responsesInputToChatMessages([{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }])).toThrow(UnsupportedInputError);
    try {
      responsesInputToChatMessages([{ role: 'user', content: 'x' }, { type: 'mcp_call' }]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UnsupportedInputError);
      expect((error as UnsupportedInputError).loc).toEqual(['input', 1]);
    }
  });
});

describe('responsesToChatCompletionParams', () => {
  const base: ResponsesCreateParams = { input: [{ role: 'user', content: 'go' }], tools: [tool] };

  it('wraps flat tools under function and drops strict', () => {
    expect(responsesToChatCompletionParams(base).tools).toEqual([
      { type: 'function', function: { name: 'email_delete_email', description: 'Deletes an email.', parameters: tool.parameters } },
    ]);
  });

  it('maps max_output_tokens to max_tokens and reasoning.effort to reasoning_effort; passes sampling params', () => {
    const request = responsesToChatCompletionParams({
      ...base,
      max_output_tokens: 512,
      reasoning: { effort: 'low' },
      temperature: 0.7,
      top_p: 0.9,
      parallel_tool_calls: false,
      tool_choice: 'auto',
      metadata: { a: 'b' },
      user: 'u',
    });
    expect(request).toMatchObject({
      max_tokens: 512,
      reasoning_effort: 'low',
      temperature: 0.7,
      top_p: 0.9,
      parallel_tool_calls: false,
      tool_choice: 'auto',
      metadata: { a: 'b' },
      user: 'u',
    });
    expect(request).not.toHaveProperty('max_output_tokens');
    expect(request).not.toHaveProperty('reasoning');
  });

  it('drops params Chat Completions does not have', () => {
    const request = responsesToChatCompletionParams({ ...base, truncation: 'auto', include: [], background: false, text: { verbosity: 'low' }, max_tool_calls: 3 });
    for (const key of ['truncation', 'include', 'background', 'text', 'max_tool_calls', 'input', 'instructions']) expect(request).not.toHaveProperty(key);
  });

  it('omits null params', () => {
    const request = responsesToChatCompletionParams({ ...base, temperature: null, top_p: null, max_output_tokens: null, user: null });
    expect(Object.keys(request).sort()).toEqual(['messages', 'tools']);
  });

  it('converts a Responses tool_choice object to the Chat form', () => {
    expect(responsesToChatCompletionParams({ ...base, tool_choice: { type: 'function', name: 'email_delete_email' } }).tool_choice).toEqual({
      type: 'function',
      function: { name: 'email_delete_email' },
    });
  });

  it('without tools drops tool_choice and parallel_tool_calls, and refuses tool_choice=required', () => {
    const request = responsesToChatCompletionParams({ input: 'x', tools: [], tool_choice: 'auto', parallel_tool_calls: false });
    expect(request).not.toHaveProperty('tool_choice');
    expect(request).not.toHaveProperty('parallel_tool_calls');
    expect(() => responsesToChatCompletionParams({ input: 'x', tool_choice: 'required' })).toThrow(/no tools/);
  });

  it('puts instructions in one leading system message, folding leading system/developer messages', () => {
    const request = responsesToChatCompletionParams({
      instructions: 'Be brief.',
      input: [
        { role: 'system', content: 'Date rules.' },
        { role: 'developer', content: [{ type: 'input_text', text: 'Dev note.' }] },
        { role: 'user', content: 'hi' },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'system', content: 'Be brief.\n\nDate rules.\n\nDev note.' },
      { role: 'user', content: 'hi' },
    ]);
  });

  it('rejects hosted tools', () => {
    expect(() => responsesToChatCompletionParams({ input: 'x', tools: [{ type: 'web_search' }] })).toThrow(/hosted tool type 'web_search'/);
  });
});
