import { describe, expect, it } from 'vitest';
import { KeyMatcher, MALFORMED, scanArray, scanObject, skipValue } from '../../../src/core/viewer/json_scan';
import { generateRolloutSet } from '../../support/rollout_fixtures';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('skipValue', () => {
  const valid = [
    '{}',
    '[]',
    '{"a":1}',
    '{ "a" : [ 1 , 2.5e-3 , -0 , true , false , null ] }',
    '"plain"',
    '"with \\"escaped\\" quotes and a backslash \\\\"',
    '"ends with an escaped backslash \\\\"',
    '{"nested":{"deep":[{"x":"}"},{"y":"]"}]}}',
    '{"unicode":"h\u00e9llo \u{1F600} \\u00e9"}',
    '[[[[[]]]]]',
    '-12.5E+7',
  ];
  for (const text of valid) {
    it(`accepts ${text}`, () => {
      expect(skipValue(bytes(text), 0, bytes(text).length)).toBe(bytes(text).length);
    });
  }

  const invalid = ['{"a":}', '{"a" 1}', '[1,]', '{"a":1,}', '{]', '[}', '"unterminated', 'tru', '{"a":1', '[1 2]', '{1:2}', '-', '{"a":1 "b":2}'];
  for (const text of invalid) {
    it(`rejects ${text}`, () => {
      expect(skipValue(bytes(text), 0, bytes(text).length)).toBe(MALFORMED);
    });
  }

  it('accepts the non-finite tokens Python writes', () => {
    for (const text of ['NaN', 'Infinity', '-Infinity', '[NaN, -Infinity]']) expect(skipValue(bytes(text), 0, text.length)).toBe(text.length);
  });

  it('stops after the first value', () => {
    const text = '{"a":1} {"b":2}';
    expect(skipValue(bytes(text), 0, text.length)).toBe(7);
  });

  it('agrees with JSON.parse on whole generated rollout lines', () => {
    const set = generateRolloutSet({ tasks: 5, repeats: 2, withIndices: true, datasetFields: true, reasoning: true });
    for (const line of set.lines) {
      const b = bytes(line);
      expect(skipValue(b, 0, b.length)).toBe(b.length);
      expect(() => JSON.parse(line)).not.toThrow();
    }
  });
});

describe('scanObject and scanArray', () => {
  it('visits members in order with their key bytes', () => {
    const text = '{"first": 1, "second": {"x": [1]}, "th\\"ird": "v"}';
    const b = bytes(text);
    const keys: string[] = [];
    const end = scanObject(b, 0, b.length, (ks, ke, vs) => {
      keys.push(b.toString('utf8', ks, ke));
      return skipValue(b, vs, b.length);
    });
    expect(end).toBe(b.length);
    expect(keys).toEqual(['first', 'second', 'th\\"ird']);
  });

  it('visits array elements with their positions', () => {
    const b = bytes('[ "a", {"b": 2}, [3] ]');
    const positions: number[] = [];
    expect(scanArray(b, 0, b.length, (vs, position) => (positions.push(position), skipValue(b, vs, b.length)))).toBe(b.length);
    expect(positions).toEqual([0, 1, 2]);
  });

  it('matches keys by bytes', () => {
    const matcher = new KeyMatcher(['reward', 'response', 'id'] as const);
    const b = bytes('"reward" "response" "id" "ids"');
    expect(matcher.match(b, 1, 7)).toBe('reward');
    expect(matcher.match(b, 10, 18)).toBe('response');
    expect(matcher.match(b, 21, 23)).toBe('id');
    expect(matcher.match(b, 26, 29)).toBeNull();
  });
});
