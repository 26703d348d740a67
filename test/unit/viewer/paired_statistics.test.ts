import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_RESAMPLES, pairedBootstrap, seededRandom, signTest } from '../../../src/core/viewer/paired_statistics';

describe('signTest', () => {
  it('gives the exact two-sided binomial p-value, leaving ties out', () => {
    // 8 up, 2 down: 2 · (C(10,0) + C(10,1) + C(10,2)) / 2^10 = 2 · 56 / 1024.
    const result = signTest([...Array(8).fill(1), ...Array(2).fill(-0.5), 0, 0, 0]);
    expect(result).toMatchObject({ positive: 8, negative: 2, ties: 3 });
    expect(result.pValue).toBeCloseTo(0.109375, 12);
    expect(signTest(Array(20).fill(0.25)).pValue).toBeCloseTo(2 / 2 ** 20, 15);
    // 6 up, 4 down: 2 · (1 + 10 + 45 + 120 + 210) / 1024 = 0.75390625.
    expect(signTest([1, 1, 1, 1, 1, 1, -1, -1, -1, -1]).pValue).toBeCloseTo(0.75390625, 12);
  });

  it('is 1 when the signs balance or every task ties, and stays finite for thousands of tasks', () => {
    expect(signTest([1, -1, 1, -1]).pValue).toBe(1);
    expect(signTest([0, 0]).pValue).toBe(1);
    const many = signTest([...Array(1100).fill(1), ...Array(900).fill(-1)]);
    // Normal approximation: z = (1100 − 1000) / √500 ≈ 4.47, two-sided p ≈ 7.7e-6.
    expect(many.pValue).toBeGreaterThan(5e-6);
    expect(many.pValue).toBeLessThan(1.2e-5);
  });
});

describe('pairedBootstrap', () => {
  it('is a point for identical differences, with the smallest p-value the resampling can give', () => {
    const result = pairedBootstrap(Array(30).fill(0.5));
    expect(result).toMatchObject({ mean: 0.5, low: 0.5, high: 0.5, resamples: BOOTSTRAP_RESAMPLES });
    expect(result?.pValue).toBe(1 / (BOOTSTRAP_RESAMPLES + 1));
  });

  it('gives p = 1 and an interval around 0 when the differences cancel', () => {
    const result = pairedBootstrap(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? 1 : -1)));
    expect(result?.mean).toBe(0);
    expect(result?.pValue).toBe(1);
    expect(result?.low).toBeLessThan(0);
    expect(result?.high).toBeGreaterThan(0);
  });

  it('is the same for the same data (fixed seed) and agrees with the normal interval on a large sample', () => {
    const random = seededRandom(11);
    const deltas: number[] = Array.from({ length: 400 }, () => (random() < 0.55 ? 1 : random() < 0.5 ? -1 : 0));
    const first = pairedBootstrap(deltas);
    expect(pairedBootstrap(deltas)).toEqual(first);
    const n = deltas.length;
    const mean = deltas.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(deltas.reduce((s, d) => s + (d - mean) ** 2, 0) / (n - 1));
    const half = (1.96 * sd) / Math.sqrt(n);
    expect(first?.low).toBeCloseTo(mean - half, 1);
    expect(first?.high).toBeCloseTo(mean + half, 1);
    expect(Math.abs((first?.high ?? 0) - (first?.low ?? 0) - 2 * half)).toBeLessThan(0.1 * half);
  });

  it('has nothing to say about no tasks', () => {
    expect(pairedBootstrap([])).toBeNull();
  });
});
