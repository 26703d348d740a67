import { describe, expect, it } from 'vitest';
import { formatJson, parseJsonLenient } from '../../../src/core/viewer/json_text';

describe('formatJson', () => {
  it('indents and keeps numbers as written', () => {
    expect(formatJson('{"a":1.0,"b":[12345678901234567890,-2e5],"c":{}, "d": []}').text).toBe(
      '{\n  "a": 1.0,\n  "b": [\n    12345678901234567890,\n    -2e5\n  ],\n  "c": {},\n  "d": []\n}',
    );
  });

  it('shows escaped characters decoded, keeping quotes and newlines escaped', () => {
    expect(formatJson('{"t": "caf\\u00e9 \\"x\\"\\n"}').text).toBe('{\n  "t": "café \\"x\\"\\n"\n}');
  });

  it('returns text that is not JSON unchanged', () => {
    expect(formatJson('{"a": ')).toEqual({ text: '{"a": ', valid: false });
  });

  it('formats strings containing brackets and commas', () => {
    expect(formatJson('{"output":"a, b: [c] {d}"}').text).toBe('{\n  "output": "a, b: [c] {d}"\n}');
  });
});

describe('parseJsonLenient', () => {
  it('reads Python non-finite floats as null but leaves strings alone', () => {
    expect(parseJsonLenient('[NaN, Infinity, -Infinity, "NaN"]')).toEqual({ ok: true, value: [null, null, null, 'NaN'] });
  });

  it('reports other errors', () => {
    const result = parseJsonLenient('{"a": }');
    expect(result.ok).toBe(false);
  });
});
