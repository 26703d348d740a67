import { describe, expect, it } from 'vitest';
import { compilePythonRegex } from '../../../src/core/python/regex';

describe('patterns JavaScript cannot hold', () => {
  it('a very long case-insensitive literal falls back to the backtracking matcher, as Python would just search', () => {
    const regex = compilePythonRegex('a'.repeat(15_000), { ignoreCase: true });
    expect(regex.search('xyz')).toBe(false);
    expect(regex.search(`x${'A'.repeat(15_000)}y`)).toBe(true);
  });
});
