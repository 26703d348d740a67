import { describe, expect, it } from 'vitest';
import { pyFloatRepr, pyStr } from '../../../src/core/config/py_format.js';

describe('pyFloatRepr', () => {
  it.each<[number, string]>([
    [1, '1.0'],
    [0.5, '0.5'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [123456789012345.6, '123456789012345.6'],
    [1e16, '1e+16'],
    [1.25e20, '1.25e+20'],
    [-2.5, '-2.5'],
    [0, '0.0'],
    [-0, '-0.0'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [Number.NaN, 'nan'],
  ])('%s → %s', (value, expected) => expect(pyFloatRepr(value)).toBe(expected));
});

describe('pyStr', () => {
  it('formats values as Python str() does', () => {
    expect(pyStr(null)).toBe('None');
    expect(pyStr(true)).toBe('True');
    expect(pyStr(3)).toBe('3');
    expect(pyStr(0.25)).toBe('0.25');
    expect(pyStr('text')).toBe('text');
    expect(pyStr(['a', 1, null])).toBe("['a', 1, None]");
    expect(pyStr({ k: "it's", n: false })).toBe(`{'k': "it's", 'n': False}`);
  });
});
