import { describe, expect, it } from 'vitest';
import { ModelError } from '../../../src/core/model/model.js';
import { createScriptedModel } from '../../../src/core/model/scripted_model.js';
import { ResponseObject } from '../../../src/core/schema/responses.js';

describe('createScriptedModel', () => {
  it('answers from a queue, building valid Responses objects, and records the calls', async () => {
    const model = createScriptedModel([
      { toolCalls: [{ name: 'email_delete_email', arguments: { email_id: '1' }, callId: 'call_1' }] },
      { text: 'Deleted.' },
    ]);
    const first = await model.respond({ input: 'delete it', temperature: 0.3 });
    expect(ResponseObject.safeParse(first).success).toBe(true);
    expect(first.output).toEqual([
      { type: 'function_call', name: 'email_delete_email', arguments: '{"email_id":"1"}', call_id: 'call_1', id: expect.stringMatching(/^fc_/), status: 'completed' },
    ]);
    expect(first.temperature).toBe(0.3);
    const second = await model.respond({ input: 'delete it' });
    expect(second.output).toMatchObject([{ type: 'message', content: [{ text: 'Deleted.' }] }]);
    expect(model.calls.map((call) => call.params.input)).toEqual(['delete it', 'delete it']);
    expect(model.remaining()).toBe(0);
    await expect(model.respond({ input: 'x' })).rejects.toThrow(/no scripted response left for call #2/);
  });

  it('orders reasoning → message → tool calls and supports incomplete turns and exact items', async () => {
    const model = createScriptedModel([
      { reasoning: 'think', text: 'hi', toolCalls: [{ name: 'f', arguments: '{}' }] },
      { text: 'cut off', incomplete: 'max_output_tokens' },
      { items: [{ type: 'reasoning', summary: ['only thinking'] }] },
    ]);
    expect((await model.respond({ input: 'x' })).output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call']);
    expect(await model.respond({ input: 'x' })).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
    expect((await model.respond({ input: 'x' })).output.map((item) => item.type)).toEqual(['reasoning']);
  });

  it('throws scripted errors and returns scripted response objects as they are', async () => {
    const failure = new ModelError({ kind: 'http', status: 500, message: 'boom' });
    const response = { id: 'resp_x', object: 'response' as const, created_at: 1, model: 'm', output: [] };
    const model = createScriptedModel([failure, response]);
    await expect(model.respond({ input: 'x' })).rejects.toBe(failure);
    expect(await model.respond({ input: 'x' })).toBe(response);
  });

  it('answers from a function of the params and call index', async () => {
    const model = createScriptedModel((params, index) => ({ text: `${index}:${typeof params.input === 'string' ? params.input : 'items'}` }));
    expect((await model.respond({ input: 'a' })).output[0]).toMatchObject({ content: [{ text: '0:a' }] });
    expect((await model.respond({ input: [] })).output[0]).toMatchObject({ content: [{ text: '1:items' }] });
    expect(model.remaining()).toBe(Infinity);
  });

  it('is cancelled by an aborted signal', async () => {
    const model = createScriptedModel([{ text: 'x' }]);
    const controller = new AbortController();
    controller.abort();
    await expect(model.respond({ input: 'x' }, { signal: controller.signal })).rejects.toMatchObject({ kind: 'cancelled' });
  });
});
