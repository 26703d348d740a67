import { describe, expect, it } from 'vitest';
import { numpyQuicksortArgsort, pandasSortDescendingQuicksortOrder } from '../../../src/core/python/sort';
import { loadFixture } from './fixtures';

type Case = { keys: number[]; argsort: number[]; descending: number[] };
const fixture = loadFixture<Case[]>('sort.json');

describe('numpy introsort argsort and pandas descending quicksort order', () => {
  it('uses numpy/pandas generated expectations', () => {
    expect(fixture.cases.length).toBeGreaterThan(100);
  });

  it.each(fixture.cases.map((c, i) => [`#${i} n=${c.keys.length}`, c] as const))('%s', (_label, c) => {
    const micros = c.keys.map((k) => 1_700_000_000_000_000 + k);
    expect(numpyQuicksortArgsort(micros)).toEqual(c.argsort);
    expect(pandasSortDescendingQuicksortOrder(micros)).toEqual(c.descending);
  });

  it('shows the documented tie behaviour', () => {
    // ≤16 rows: ties keep insertion order; larger sets came out reversed in the observed cases.
    const small = [5, 3, 9, 9, 9];
    expect(pandasSortDescendingQuicksortOrder(small)).toEqual([2, 3, 4, 0, 1]);
    const big = [...Array.from({ length: 497 }, (_, i) => i), 1000, 1000, 1000];
    expect(pandasSortDescendingQuicksortOrder(big).slice(0, 3)).toEqual([499, 498, 497]);
  });

  it('handles empty and single inputs', () => {
    expect(numpyQuicksortArgsort([])).toEqual([]);
    expect(pandasSortDescendingQuicksortOrder([7])).toEqual([0]);
  });
});
