import { describe, expect, it } from 'vitest';
import { orjsonFloatText, typedJson } from '../../../src/core/python/typed_json';
import { CREATE_PARAMS_FLOATS, RESPONSE_FLOATS, TRAJECTORY_FLOATS } from '../../../src/core/schema/float_shapes';

describe('orjsonFloatText', () => {
  // orjson.dumps([...]) with orjson 3.12 (the same layout as pydantic-core's to_json).
  it.each([
    [1, '1.0'],
    [0.7, '0.7'],
    [1e-7, '1e-7'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [123456789012345680, '1.2345678901234568e+17'],
    [1e22, '1e+22'],
    [1758499694, '1758499694.0'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1e-5, '0.00001'],
    [1e-4, '0.0001'],
    [5e-324, '5e-324'],
    [-0, '-0.0'],
    [12.5, '12.5'],
    [1786032154.123456, '1786032154.123456'],
    [-3, '-3.0'],
  ])('%s → %s', (value, text) => {
    expect(orjsonFloatText(value)).toBe(text);
  });
});

describe('typedJson', () => {
  it('writes the float fields of a shape as floats and leaves every other number as it is', () => {
    const params = { temperature: 1, top_p: 0.5, max_output_tokens: 2048, tools: [{ parameters: { maximum: 3 } }], input: [{ type: 'message', content: 'hi' }] };
    expect(typedJson(params, CREATE_PARAMS_FLOATS)).toBe('{"temperature":1.0,"top_p":0.5,"max_output_tokens":2048,"tools":[{"parameters":{"maximum":3}}],"input":[{"type":"message","content":"hi"}]}');
  });

  it('follows lists and nested objects (log-probabilities of a response)', () => {
    const response = {
      created_at: 1758499694,
      completed_at: 1758499695,
      output: [{ type: 'message', content: [{ type: 'output_text', text: 'x', logprobs: [{ token: 'x', logprob: -1, top_logprobs: [{ token: 'y', logprob: 0 }] }] }] }, { type: 'function_call', arguments: '{}' }],
      usage: { input_tokens: 3 },
    };
    expect(typedJson(response, RESPONSE_FLOATS)).toBe(
      '{"created_at":1758499694.0,"completed_at":1758499695,"output":[{"type":"message","content":[{"type":"output_text","text":"x","logprobs":[{"token":"x","logprob":-1.0,"top_logprobs":[{"token":"y","logprob":0.0}]}]}]},{"type":"function_call","arguments":"{}"}],"usage":{"input_tokens":3}}',
    );
  });

  it('writes nulls, strings in float fields and unexpected kinds as JSON.stringify does, and drops undefined members', () => {
    expect(typedJson({ temperature: null, top_p: 'x', input: 'text', gone: undefined }, CREATE_PARAMS_FLOATS)).toBe('{"temperature":null,"top_p":"x","input":"text"}');
    expect(typedJson({ model_calls: [{ duration_ms: 5, started_at: null, token_stats: { prompt_tokens: 3 } }] }, TRAJECTORY_FLOATS)).toBe(
      '{"model_calls":[{"duration_ms":5.0,"started_at":null,"token_stats":{"prompt_tokens":3}}]}',
    );
    const value = { a: 'ü\u2028"', b: [1, 2.5, true] };
    expect(typedJson(value, {})).toBe(JSON.stringify(value));
  });
});
