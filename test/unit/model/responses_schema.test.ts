import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CREATE_PARAM_KEYS,
  ResponseObject,
  normalizeCreateParamOverrides,
  validateResponsesCreateParams,
} from '../../../src/core/schema/responses.js';
import { EXAMPLE_ROLLOUTS_PATH, EXAMPLE_TASKS_PATH } from '../../support/fake_openai/shared_data.js';

type Json = Record<string, unknown>;

function jsonl(path: string): Json[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Json);
}

const rollouts = jsonl(EXAMPLE_ROLLOUTS_PATH);
const tasks = jsonl(EXAMPLE_TASKS_PATH);
const tool = { type: 'function', name: 'email_send_email', parameters: { type: 'object', properties: {} }, strict: false };

function firstDetail(body: unknown) {
  const result = validateResponsesCreateParams(body);
  if (result.ok) throw new Error(`expected a 422 for ${JSON.stringify(body)}`);
  return result.detail[0];
}

describe('validateResponsesCreateParams: accepts what NeMo Gym accepts', () => {
  it.each(rollouts.map((row, line) => [line, row] as const))('recorded rollout %i: its full params dump', (_line, row) => {
    expect(validateResponsesCreateParams(row.responses_create_params).ok).toBe(true);
  });

  it.each(rollouts.map((row, line) => [line, row] as const))('recorded rollout %i: input plus every output item echoed back', (_line, row) => {
    const params = row.responses_create_params as Json;
    const output = (row.response as Json).output as Json[];
    const result = validateResponsesCreateParams({ ...params, input: [...(params.input as Json[]), ...output] });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.input).toEqual([...(params.input as Json[]), ...output]);
  });

  it.each(tasks.map((row, line) => [line, row] as const))('example task row %i (messages without type)', (_line, row) => {
    expect(validateResponsesCreateParams(row.responses_create_params).ok).toBe(true);
  });

  it('keeps only the keys the caller set (no defaults are filled in)', () => {
    const result = validateResponsesCreateParams({ input: 'hi' });
    expect(result).toEqual({ ok: true, value: { input: 'hi' } });
  });

  it('accepts nullable-but-required tool fields set to null, and the Responses tool_choice object', () => {
    const body = { input: 'hi', tools: [{ ...tool, parameters: null, strict: null }], tool_choice: { type: 'function', name: 'email_send_email' } };
    expect(validateResponsesCreateParams(body).ok).toBe(true);
  });

  it('drops unknown keys of input items, like pydantic models with extra="ignore" (a reasoning item loses status)', () => {
    const result = validateResponsesCreateParams({
      input: [{ type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'thinking' }], status: 'completed' }],
    });
    expect(result).toEqual({ ok: true, value: { input: [{ type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'thinking' }] }] } });
  });

  it('keeps token ids on "ForTraining" items', () => {
    const item = { type: 'function_call', name: 'f', arguments: '{}', call_id: 'c1', prompt_token_ids: [1], generation_token_ids: [2], generation_log_probs: [-0.5] };
    const result = validateResponsesCreateParams({ input: [item] });
    expect(result.ok && result.value.input).toEqual([item]);
  });

  it('lists its allowed keys in pydantic field order', () => {
    expect(CREATE_PARAM_KEYS).toEqual(Object.keys(rollouts[0]!.responses_create_params as Json));
  });
});

describe('validateResponsesCreateParams: pydantic-style 422 details', () => {
  it('an extra key on a function tool names tool index, member and key', () => {
    const body = { input: 'hi', tools: [tool, tool, tool, { ...tool, database: 'email', operation_type: 'write' }] };
    const result = validateResponsesCreateParams(body);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.detail).toEqual([
      { type: 'extra_forbidden', loc: ['body', 'tools', 3, 'FunctionToolParam', 'database'], msg: 'Extra inputs are not permitted', input: 'email' },
      { type: 'extra_forbidden', loc: ['body', 'tools', 3, 'FunctionToolParam', 'operation_type'], msg: 'Extra inputs are not permitted', input: 'write' },
    ]);
  });

  it('a tool missing strict is "Field required", with the tool as input', () => {
    const { strict: _strict, ...withoutStrict } = tool;
    expect(firstDetail({ input: 'hi', tools: [withoutStrict] })).toEqual({
      type: 'missing',
      loc: ['body', 'tools', 0, 'FunctionToolParam', 'strict'],
      msg: 'Field required',
      input: withoutStrict,
    });
  });

  it('a Chat-Completions-shaped tool is rejected', () => {
    const chatTool = { type: 'function', function: { name: 'x', parameters: {} } };
    const result = validateResponsesCreateParams({ input: 'hi', tools: [chatTool] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.detail.map((entry) => [entry.type, entry.loc.at(-1)])).toEqual([
      ['missing', 'name'],
      ['missing', 'parameters'],
      ['missing', 'strict'],
      ['extra_forbidden', 'function'],
    ]);
  });

  it('an unknown top-level key (seed) is extra_forbidden', () => {
    expect(firstDetail({ input: 'hi', seed: 3 })).toEqual({ type: 'extra_forbidden', loc: ['body', 'seed'], msg: 'Extra inputs are not permitted', input: 3 });
  });

  it('max_tokens is extra_forbidden (it is Chat Completions\' name)', () => {
    expect(firstDetail({ input: 'hi', max_tokens: 10 })?.loc).toEqual(['body', 'max_tokens']);
  });

  it('stream may only be null or false', () => {
    expect(validateResponsesCreateParams({ input: 'hi', stream: false }).ok).toBe(true);
    expect(validateResponsesCreateParams({ input: 'hi', stream: null }).ok).toBe(true);
    expect(firstDetail({ input: 'hi', stream: true })).toEqual({
      type: 'literal_error',
      loc: ['body', 'stream'],
      msg: 'Input should be False',
      input: true,
      ctx: { expected: 'False' },
    });
  });

  it('metadata values must be strings', () => {
    expect(firstDetail({ input: 'hi', metadata: { extra_body: { seed: 1 } } })).toEqual({
      type: 'string_type',
      loc: ['body', 'metadata', 'extra_body'],
      msg: 'Input should be a valid string',
      input: { seed: 1 },
    });
  });

  it('a missing input is "Field required" once, with the body as input', () => {
    const result = validateResponsesCreateParams({});
    expect(result).toEqual({ ok: false, detail: [{ type: 'missing', loc: ['body', 'input'], msg: 'Field required', input: {} }] });
  });

  it('a body that is not an object is model_attributes_type', () => {
    expect(firstDetail([])).toMatchObject({ type: 'model_attributes_type', loc: ['body'] });
  });

  it('unknown keys in reasoning are rejected', () => {
    expect(firstDetail({ input: 'hi', reasoning: { effort: 'low', foo: 1 } })).toMatchObject({ type: 'extra_forbidden', loc: ['body', 'reasoning', 'foo'] });
  });

  it('a chat-style tool_choice object names the Responses member', () => {
    expect(firstDetail({ input: 'hi', tool_choice: { type: 'function', function: { name: 'x' } } })).toMatchObject({
      type: 'missing',
      loc: ['body', 'tool_choice', 'ToolChoiceFunctionParam', 'name'],
    });
  });

  it('a bad tool_choice string lists the allowed literals', () => {
    expect(firstDetail({ input: 'hi', tool_choice: 'any' })).toMatchObject({ type: 'literal_error', msg: "Input should be 'none', 'auto' or 'required'" });
  });

  it('a message with a bad role names the message member and field', () => {
    expect(firstDetail({ input: [{ role: 'robot', content: 'x' }] })).toMatchObject({
      type: 'literal_error',
      loc: ['body', 'input', 0, 'NeMoGymEasyInputMessage', 'role'],
    });
  });

  it('an unknown item type is a literal error on its type', () => {
    expect(firstDetail({ input: [{ type: 'foo' }] })).toMatchObject({ type: 'literal_error', loc: ['body', 'input', 0, 'type'], input: 'foo' });
  });

  it('a function_call_output without call_id names its member', () => {
    expect(firstDetail({ input: [{ type: 'function_call_output', output: 'x' }] })).toMatchObject({
      type: 'missing',
      loc: ['body', 'input', 0, 'NeMoGymFunctionCallOutput', 'call_id'],
    });
  });

  it('partial token ids select the ForTraining member and report the missing fields', () => {
    expect(firstDetail({ input: [{ type: 'function_call', name: 'f', arguments: '{}', call_id: 'c', prompt_token_ids: [1] }] })).toMatchObject({
      type: 'missing',
      loc: ['body', 'input', 0, 'NeMoGymResponseFunctionToolCallForTraining', 'generation_token_ids'],
    });
  });

  it('a non-integer max_output_tokens is int_type; parallel_tool_calls may not be null', () => {
    expect(firstDetail({ input: 'hi', max_output_tokens: 1.5 })).toMatchObject({ type: 'int_type', loc: ['body', 'max_output_tokens'] });
    expect(firstDetail({ input: 'hi', parallel_tool_calls: null })).toMatchObject({ type: 'bool_type', loc: ['body', 'parallel_tool_calls'] });
  });
});

describe('normalizeCreateParamOverrides', () => {
  it('maps max_tokens to max_output_tokens with a one-line notice', () => {
    expect(normalizeCreateParamOverrides({ max_tokens: 2048, temperature: 0.5 })).toEqual({
      params: { temperature: 0.5, max_output_tokens: 2048 },
      notices: ["responses_create_params.max_tokens is Chat Completions' name; using max_output_tokens=2048 (the Responses API name)."],
    });
  });

  it('leaves overrides without max_tokens alone', () => {
    const overrides = { max_output_tokens: 10 };
    expect(normalizeCreateParamOverrides(overrides)).toEqual({ params: overrides, notices: [] });
  });

  it('lets an explicit max_output_tokens win', () => {
    const result = normalizeCreateParamOverrides({ max_tokens: 5, max_output_tokens: 10 });
    expect(result.params).toEqual({ max_output_tokens: 10 });
    expect(result.notices).toHaveLength(1);
    expect(result.notices[0]).toContain('ignoring it');
  });
});

describe('ResponseObject (lenient)', () => {
  it.each(rollouts.map((row, line) => [line, row] as const))('parses recorded response %i and keeps unknown fields', (_line, row) => {
    const result = ResponseObject.safeParse(row.response);
    expect(result.success).toBe(true);
    if (result.success) expect(result.data).toEqual(row.response);
  });

  it('passes unknown output item types through but checks known ones', () => {
    const base = { id: 'resp_1', object: 'response', created_at: 1, model: 'm' };
    expect(ResponseObject.safeParse({ ...base, output: [{ type: 'mcp_call', whatever: 1 }] }).success).toBe(true);
    expect(ResponseObject.safeParse({ ...base, output: [{ type: 'function_call', arguments: '{}' }] }).success).toBe(false);
  });
});
