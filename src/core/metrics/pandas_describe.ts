/**
 * The per-group statistics NeMo Gym's `RewardProfiler.describe_dataframe` takes with pandas 2.3 / numpy 2.3
 * (no bottleneck), reproduced to the last bit: `mean`, `max`, `min`, `median`, `std` of every numeric column,
 * skipping missing values, in that order (stat-major, then column order).
 *
 * What makes the numbers and their types come out as pandas writes them:
 * - A column is float64 when any value is a float or any row lacks it, int64 otherwise.
 * - Sums of float64 columns use numpy's pairwise summation (8-way unrolled blocks of up to 128, halved above);
 *   missing values count as 0 in the sum and not in the count. `mean` of an int64 column sums exactly.
 * - `std` is the two-pass sample standard deviation (ddof = 1): NaN below two values. When every column's std is
 *   NaN, the columns without a missing value get 0.0 instead.
 * - `max` and `min` come from one Series per statistic: float64 as soon as any column is float64, so an int
 *   column's maximum is written `244.0` next to a float reward, and `244` when every column is int64.
 * - NaN results are left out (NeMo Gym drops them before writing).
 */
import { PyFloat, type PyValue } from '../python/value';

/** One numeric column of the profiler's table. */
export interface NumericColumn {
  name: string;
  isFloat: boolean;
  /** One value per table row; NaN where the row has none. */
  values: number[];
}

const PAIRWISE_BLOCK = 128;

/** numpy's `pairwise_sum` over `values[start, start + n)`. */
export function pairwiseSum(values: readonly number[], start = 0, n = values.length - start): number {
  if (n < 8) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[start + i]!;
    return sum;
  }
  if (n <= PAIRWISE_BLOCK) {
    const r = values.slice(start, start + 8);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j]! += values[start + i + j]!;
    let sum = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) sum += values[start + i]!;
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(values, start, half) + pairwiseSum(values, start + half, n - half);
}

interface ColumnStats {
  count: number;
  mean: number;
  max: number;
  min: number;
  median: number;
  std: number;
}

function columnStats(values: number[], isFloat: boolean): ColumnStats {
  const present = values.filter((value) => !Number.isNaN(value));
  const count = present.length;
  if (count === 0) return { count, mean: NaN, max: NaN, min: NaN, median: NaN, std: NaN };
  const filled = values.map((value) => (Number.isNaN(value) ? 0 : value));
  const floatSum = pairwiseSum(filled);
  const mean = (isFloat ? floatSum : present.reduce((sum, value) => sum + value, 0)) / count;
  const sorted = [...present].sort((a, b) => a - b);
  const middle = Math.floor(count / 2);
  const median = count % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  let std = NaN;
  if (count > 1) {
    const average = floatSum / count;
    const squares = values.map((value) => (Number.isNaN(value) ? 0 : (average - value) ** 2));
    std = Math.sqrt(pairwiseSum(squares) / (count - 1));
  }
  return { count, mean, max: sorted[count - 1]!, min: sorted[0]!, median, std };
}

const STATS = ['mean', 'max', 'min', 'median', 'std'] as const;

/** The statistics of the rows `rows` (indices into every column), as `[stat/column, value]` pairs in pandas' order. */
export function describeRows(columns: readonly NumericColumn[], rows: readonly number[]): Array<[string, PyValue]> {
  const stats = columns.map((column) => columnStats(rows.map((row) => column.values[row]!), column.isFloat));
  if (stats.every((s) => Number.isNaN(s.std))) {
    for (const s of stats) if (s.count === rows.length) s.std = 0;
  }
  const extremesAreFloat = columns.some((column) => column.isFloat);
  const out: Array<[string, PyValue]> = [];
  for (const stat of STATS) {
    columns.forEach((column, i) => {
      const value = stats[i]![stat];
      if (Number.isNaN(value)) return;
      const isInt = (stat === 'max' || stat === 'min') && !extremesAreFloat;
      out.push([`${stat}/${column.name}`, isInt ? value : new PyFloat(value)]);
    });
  }
  return out;
}
