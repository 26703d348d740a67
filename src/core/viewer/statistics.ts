import { isPassingReward as isPass, passAtK, passHatK } from '../reward';
import type { JoinedRollouts } from './joined_rollouts';
import {
  NO_CATEGORY,
  type AggregateMetricsSummary,
  type CategoryStats,
  type FailureSummary,
  type FileInfo,
  type HistogramBin,
  type PassAtK,
  type SummaryStats,
  type TokenStats,
} from './model';

export { isPassingReward as isPass, passAtK, passHatK } from '../reward';

/** k values to report: powers of two up to `maxN`, plus `maxN` itself. */
export function reportedKs(maxN: number): number[] {
  const ks: number[] = [];
  for (let k = 1; k <= maxN; k *= 2) ks.push(k);
  if (maxN >= 1 && ks[ks.length - 1] !== maxN) ks.push(maxN);
  return ks;
}

export interface TaskOutcome {
  key: string;
  n: number;
  passed: number;
  rewardSum: number;
}

/** Groups scored rollouts by task. */
export function taskOutcomes(joined: JoinedRollouts, entries?: Iterable<number>): Map<string, TaskOutcome> {
  const tasks = new Map<string, TaskOutcome>();
  const all = entries ?? range(joined.count);
  for (const i of all) {
    const reward = joined.rollouts.reward(i);
    const key = joined.taskKey(i);
    if (key === null || Number.isNaN(reward)) continue;
    let task = tasks.get(key);
    if (!task) {
      task = { key, n: 0, passed: 0, rewardSum: 0 };
      tasks.set(key, task);
    }
    task.n++;
    task.rewardSum += reward;
    if (isPass(reward)) task.passed++;
  }
  return tasks;
}

export function passAtKOver(tasks: Iterable<TaskOutcome>, k: number, estimator: typeof passAtK): PassAtK | null {
  let sum = 0;
  let count = 0;
  for (const task of tasks) {
    if (task.n < k) continue;
    sum += estimator(task.n, task.passed, k);
    count++;
  }
  return count === 0 ? null : { k, value: sum / count, tasks: count };
}

function* range(n: number): Iterable<number> {
  for (let i = 0; i < n; i++) yield i;
}

function rewardHistogram(rewards: number[]): HistogramBin[] {
  if (rewards.length === 0) return [];
  const distinct = [...new Set(rewards)].sort((a, b) => a - b);
  if (distinct.length <= 6) {
    return distinct.map((value) => ({ label: formatBinValue(value), from: value, to: value, count: rewards.filter((r) => r === value).length }));
  }
  const min = Math.min(0, distinct[0] as number);
  const max = Math.max(1, distinct[distinct.length - 1] as number);
  const bins = 10;
  const width = (max - min) / bins;
  const result: HistogramBin[] = Array.from({ length: bins }, (_, b) => ({
    label: `${formatBinValue(min + b * width)}–${formatBinValue(min + (b + 1) * width)}`,
    from: min + b * width,
    to: min + (b + 1) * width,
    count: 0,
  }));
  for (const reward of rewards) {
    const b = Math.min(bins - 1, Math.floor((reward - min) / width));
    (result[b] as HistogramBin).count++;
  }
  return result;
}

function formatBinValue(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(Math.round(value * 100) / 100);
}

const TURNS_OPEN_BIN = 16;

function turnsHistogram(turns: number[]): HistogramBin[] {
  if (turns.length === 0) return [];
  const max = Math.min(turns.reduce((m, t) => Math.max(m, t), 0), TURNS_OPEN_BIN);
  const bins: HistogramBin[] = [];
  for (let t = 0; t <= max; t++) {
    const open = t === TURNS_OPEN_BIN;
    bins.push({ label: open ? `${t}+` : String(t), from: t, to: open ? Number.POSITIVE_INFINITY : t, count: 0 });
  }
  for (const t of turns) (bins[Math.min(t, TURNS_OPEN_BIN)] as HistogramBin).count++;
  // Leading empty bins (no rollout with 0 turns) carry no information.
  while (bins.length > 1 && (bins[0] as HistogramBin).count === 0) bins.shift();
  return bins;
}

function tokenStats(joined: JoinedRollouts): TokenStats | null {
  const index = joined.rollouts;
  const acc = { input: { total: 0, max: 0 }, output: { total: 0, max: 0 }, total: { total: 0, max: 0 } };
  let rollouts = 0;
  for (let i = 0; i < index.count; i++) {
    const input = index.inputTokens(i);
    const output = index.outputTokens(i);
    let total = index.totalTokens(i);
    if (Number.isNaN(input) && Number.isNaN(output) && Number.isNaN(total)) continue;
    if (Number.isNaN(total)) total = (Number.isNaN(input) ? 0 : input) + (Number.isNaN(output) ? 0 : output);
    rollouts++;
    for (const [name, value] of [['input', input], ['output', output], ['total', total]] as const) {
      if (Number.isNaN(value)) continue;
      acc[name].total += value;
      acc[name].max = Math.max(acc[name].max, value);
    }
  }
  if (rollouts === 0) return null;
  const withMean = (a: { total: number; max: number }) => ({ total: a.total, mean: a.total / rollouts, max: a.max });
  return { rollouts, input: withMean(acc.input), output: withMean(acc.output), total: withMean(acc.total) };
}

/** The most frequent value (the larger one on ties); 0 for no values. */
export function modeOf(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = 0;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount || (count === bestCount && value > best)) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

/** Lines that repeat a (task, repeat) pair an earlier line has: a file appended to twice, or merged runs. */
export function duplicateRollouts(index: JoinedRollouts['rollouts']): { lines: number; firstLine: number } | null {
  const seen = new Set<number>();
  let lines = 0;
  let firstLine = 0;
  for (let i = 0; i < index.count; i++) {
    const task = index.taskIndex(i);
    const repeat = index.rolloutIndex(i);
    if (task < 0 || repeat < 0 || index.broken(i) !== null) continue;
    // Pairs as one number: task indices stay far below 2^31 / 2^20 repeats.
    const key = task * 1_048_576 + repeat;
    if (!seen.has(key)) {
      seen.add(key);
      continue;
    }
    if (lines === 0) firstLine = index.lineNumber(i);
    lines++;
  }
  return lines === 0 ? null : { lines, firstLine };
}

export interface SummaryInputs {
  file: FileInfo;
  failures: FailureSummary | null;
  aggregateMetrics: AggregateMetricsSummary | null;
}

export function computeSummary(joined: JoinedRollouts, inputs: SummaryInputs): SummaryStats {
  const index = joined.rollouts;
  const rewards: number[] = [];
  const turns: number[] = [];
  let broken = 0;
  let responseErrors = 0;
  let withToolErrors = 0;
  let passed = 0;
  const agents = new Set<string>();
  const perCategory = new Map<string, { entries: number[]; rewardSum: number; scored: number; turnSum: number; errors: number }>();
  for (let i = 0; i < index.count; i++) {
    if (index.broken(i) !== null) {
      broken++;
      continue;
    }
    const reward = index.reward(i);
    if (!Number.isNaN(reward)) {
      rewards.push(reward);
      if (isPass(reward)) passed++;
    }
    turns.push(index.turns(i));
    if (index.responseError(i) !== null) responseErrors++;
    if (index.toolErrors(i) > 0) withToolErrors++;
    const agent = index.agentName(i);
    if (agent !== null) agents.add(agent);
    const category = joined.category(i) ?? NO_CATEGORY;
    let bucket = perCategory.get(category);
    if (!bucket) {
      bucket = { entries: [], rewardSum: 0, scored: 0, turnSum: 0, errors: 0 };
      perCategory.set(category, bucket);
    }
    bucket.entries.push(i);
    if (!Number.isNaN(reward)) {
      bucket.rewardSum += reward;
      bucket.scored++;
    }
    bucket.turnSum += index.turns(i);
    if (joined.hasError(i)) bucket.errors++;
  }

  const tasks = taskOutcomes(joined);
  const counts = [...tasks.values()].map((t) => t.n);
  const repeats = counts.length
    ? { min: counts.reduce((m, n) => Math.min(m, n), Number.POSITIVE_INFINITY), max: counts.reduce((m, n) => Math.max(m, n), 0) }
    : { min: 0, max: 0 };
  // k goes up to the usual repeat count: a few tasks with extra repeats (or a run still in progress, where
  // some tasks have fewer) should not produce a pass@k averaged over a handful of tasks.
  const typicalRepeats = modeOf(counts);
  const ks = reportedKs(typicalRepeats);
  // Every k over the same tasks, those with all their repeats: mid-run, averaging pass@1 over every task and
  // pass@k over the complete ones only would let pass@k fall below pass@1.
  const complete = [...tasks.values()].filter((t) => t.n >= typicalRepeats);
  const passAtKs = ks.map((k) => passAtKOver(complete, k, passAtK)).filter((p): p is PassAtK => p !== null);
  const passHatKs = ks.map((k) => passAtKOver(complete, k, passHatK)).filter((p): p is PassAtK => p !== null);
  const categoryK = typicalRepeats >= 2 ? typicalRepeats : null;

  const byCategory: CategoryStats[] = [...perCategory.entries()]
    .map(([category, bucket]) => {
      const categoryTasks = taskOutcomes(joined, bucket.entries);
      return {
        category,
        rollouts: bucket.entries.length,
        tasks: categoryTasks.size,
        meanReward: bucket.scored ? bucket.rewardSum / bucket.scored : null,
        passAtK: categoryK === null ? null : passAtKOver(categoryTasks.values(), categoryK, passAtK),
        meanTurns: bucket.entries.length ? bucket.turnSum / bucket.entries.length : 0,
        withErrors: bucket.errors,
      };
    })
    .sort((a, b) => b.rollouts - a.rollouts || a.category.localeCompare(b.category));

  const meanAtK =
    typicalRepeats >= 2 && complete.length > 0
      ? {
          k: typicalRepeats,
          value: complete.reduce((sum, t) => sum + t.rewardSum / t.n, 0) / complete.length,
          tasks: complete.length,
        }
      : null;

  return {
    file: inputs.file,
    rollouts: index.count,
    brokenLines: broken,
    scored: rewards.length,
    meanReward: rewards.length ? rewards.reduce((a, b) => a + b, 0) / rewards.length : null,
    passed,
    tasks: tasks.size,
    repeats,
    passAtK: passAtKs,
    passHatK: passHatKs,
    completeTasks: complete.length,
    duplicates: duplicateRollouts(index),
    meanAtK,
    byCategory,
    rewardHistogram: rewardHistogram(rewards),
    turnsHistogram: turnsHistogram(turns),
    meanTurns: turns.length ? turns.reduce((a, b) => a + b, 0) / turns.length : null,
    tokens: tokenStats(joined),
    errors: { responseErrors, withToolErrors, broken },
    failures: inputs.failures,
    aggregateMetrics: inputs.aggregateMetrics,
    agents: [...agents].sort(),
  };
}
