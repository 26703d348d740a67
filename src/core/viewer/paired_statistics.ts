/**
 * Paired tests for "is run A better than run B on the same tasks?": each task gives one difference (A's mean
 * reward over its repeats minus B's), and the tasks are the unit of resampling. Two figures, both reported:
 *
 * - a paired bootstrap of the mean difference (percentile interval; p-value from the bootstrap distribution
 *   shifted to the null of no difference), with a fixed seed so the same files always give the same figures;
 * - an exact two-sided sign test over the tasks whose difference is not zero, which assumes nothing about the
 *   size of the differences (rewards here are mostly 0 or 1, far from normal).
 */

export const BOOTSTRAP_RESAMPLES = 10_000;
export const BOOTSTRAP_SEED = 20_240_613;
export const CONFIDENCE_LEVEL = 0.95;

export interface BootstrapResult {
  resamples: number;
  seed: number;
  level: number;
  mean: number;
  low: number;
  high: number;
  /** Two-sided: the share of resampled means at least as far from the observed mean as the observed mean is from 0. */
  pValue: number;
}

export interface SignTestResult {
  /** Tasks whose difference is above zero, below zero, exactly zero (ties are left out of the test). */
  positive: number;
  negative: number;
  ties: number;
  /** Exact two-sided binomial p-value with p = 1/2; 1 when every task ties. */
  pValue: number;
}

/** mulberry32: a small, fast, well-distributed 32-bit generator; enough for resampling indices. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function quantile(sorted: Float64Array, q: number): number {
  // Linear interpolation between order statistics (R's type 7, numpy's default).
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  const lower = sorted[below] as number;
  return lower + ((sorted[above] as number) - lower) * (position - below);
}

export function pairedBootstrap(differences: readonly number[], options: { resamples?: number; seed?: number; level?: number } = {}): BootstrapResult | null {
  const n = differences.length;
  if (n === 0) return null;
  const resamples = options.resamples ?? BOOTSTRAP_RESAMPLES;
  const seed = options.seed ?? BOOTSTRAP_SEED;
  const level = options.level ?? CONFIDENCE_LEVEL;
  const mean = differences.reduce((sum, d) => sum + d, 0) / n;
  const random = seededRandom(seed);
  const means = new Float64Array(resamples);
  let asFar = 0;
  const distance = Math.abs(mean);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += differences[Math.floor(random() * n)] as number;
    const resampled = sum / n;
    means[b] = resampled;
    // Centred on the observed mean, the resampled means stand for the null distribution of the mean.
    if (Math.abs(resampled - mean) >= distance - 1e-12) asFar++;
  }
  means.sort();
  const tail = (1 - level) / 2;
  return { resamples, seed, level, mean, low: quantile(means, tail), high: quantile(means, 1 - tail), pValue: (asFar + 1) / (resamples + 1) };
}

/** log C(n, k) for k = 0..n, built by the recurrence C(n, k+1) = C(n, k) (n − k) / (k + 1). */
function logBinomials(n: number): Float64Array {
  const logs = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) logs[k + 1] = (logs[k] as number) + Math.log(n - k) - Math.log(k + 1);
  return logs;
}

export function signTest(differences: readonly number[]): SignTestResult {
  let positive = 0;
  let negative = 0;
  let ties = 0;
  for (const d of differences) {
    if (d > 1e-12) positive++;
    else if (d < -1e-12) negative++;
    else ties++;
  }
  const n = positive + negative;
  if (n === 0) return { positive, negative, ties, pValue: 1 };
  const smaller = Math.min(positive, negative);
  const logs = logBinomials(n);
  // P(X <= smaller) for X ~ Binomial(n, 1/2), summed in log space (2^n overflows for large n).
  const log2n = n * Math.LN2;
  let tail = 0;
  for (let k = 0; k <= smaller; k++) tail += Math.exp((logs[k] as number) - log2n);
  return { positive, negative, ties, pValue: Math.min(1, 2 * tail) };
}
