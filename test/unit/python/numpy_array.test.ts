/** np.asarray of nested lists and broadcasting, checked against numpy 2.3.5 (outputs recorded by hand). */
import { describe, expect, test } from 'vitest';
import { assertBroadcastsWithVector, numpyArrayFromList } from '../../../src/core/python/numpy_array';
import { parsePythonJson } from '../../../src/core/python/json_parse';
import { PyFloat, type PyValue } from '../../../src/core/python/value';

const INHOMOGENEOUS_1 = 'setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions. The detected shape was (2,) + inhomogeneous part.';

function asList(json: string): PyValue[] {
  return parsePythonJson(json) as PyValue[];
}

function nested(depth: number): PyValue[] {
  let value: PyValue = 'a';
  for (let i = 0; i < depth; i++) value = [value];
  return value as PyValue[];
}

describe('numpyArrayFromList', () => {
  test.each([
    ['[[]]', [1, 0], 'float'],
    ['[[[]]]', [1, 1, 0], 'float'],
    ['[[[]],[[]]]', [2, 1, 0], 'float'],
    ['[{"k":"v"}]', [1], 'object'],
    ['["a",1,null]', [3], 'object'],
    ['[1.5,"a",true]', [3], 'str'],
    ['[true,1]', [2], 'int'],
    ['[1,2.5]', [2], 'float'],
    ['[[1,2],[3,4]]', [2, 2], 'int'],
    ['[18446744073709551616]', [1], 'object'],
    ['[]', [0], 'float'],
  ])('%s has shape %j and kind %s', (json, shape, kind) => {
    const array = numpyArrayFromList(asList(json));
    expect(array.shape).toEqual(shape);
    expect(array.kind).toBe(kind);
  });

  test('a unicode array holds str() of every element; ints absorb bools; floats absorb ints', () => {
    expect(numpyArrayFromList(asList('[1.5,"a",true]')).items).toEqual(['1.5', 'a', 'True']);
    expect(numpyArrayFromList(asList('[true,1]')).items).toEqual([1, 1]);
    expect(numpyArrayFromList(asList('[1,2.5]')).items).toEqual([new PyFloat(1), new PyFloat(2.5)]);
  });

  test.each(['[[1,2],[3]]', '[["a"],"b"]', '[1,[2,3]]', '[[1],[]]', '[[],[1]]'])('%s is ragged after 1 dimension', (json) => {
    expect(() => numpyArrayFromList(asList(json))).toThrow(INHOMOGENEOUS_1);
  });

  test('raggedness deeper down reports the shape found so far', () => {
    expect(() => numpyArrayFromList(asList('[[[1,2]],[[3]]]'))).toThrow('after 2 dimensions. The detected shape was (2, 1) + inhomogeneous part.');
  });

  test('64 dimensions are allowed, 65 are not', () => {
    expect(numpyArrayFromList(nested(64)).shape).toHaveLength(64);
    expect(() => numpyArrayFromList(nested(65))).toThrow('setting an array element with a sequence. The requested array would exceed the maximum number of dimension of 64.');
    expect(() => numpyArrayFromList(nested(3000))).toThrow('maximum number of dimension of 64');
  });
});

describe('assertBroadcastsWithVector', () => {
  test('the last dimension must equal the length or be 1', () => {
    expect(() => assertBroadcastsWithVector(3, [2, 1])).not.toThrow();
    expect(() => assertBroadcastsWithVector(3, [1, 1, 3])).not.toThrow();
    expect(() => assertBroadcastsWithVector(3, [1, 0])).toThrow('operands could not be broadcast together with shapes (3,) (1,0) ');
    expect(() => assertBroadcastsWithVector(3, [1, 2])).toThrow('operands could not be broadcast together with shapes (3,) (1,2) ');
    expect(() => assertBroadcastsWithVector(500, [3])).toThrow('operands could not be broadcast together with shapes (500,) (3,) ');
  });
});
