import { isPassingReward, passAtK } from '../reward';
import type { JoinedRollouts } from './joined_rollouts';
import type { CompareChange, CompareResult, CompareRow, CompareSide, CompareSignificance, PairedFigure } from './model';
import { pairedBootstrap, signTest } from './paired_statistics';
import { modeOf } from './statistics';

/**
 * Compares two rollout files of the same tasks: per task, the mean reward and pass@k over its repeats in each
 * file, and whether the primary file (the one opened) does worse than the file it is compared with (a regression),
 * better (a fix), or the same; over the tasks both have, the paired difference in mean reward with a bootstrap
 * interval and a sign test. The compared file is the baseline. Tasks are matched by dataset id when every rollout of
 * both files has one, else by `_ng_task_index`, else by line order.
 */

type MatchBy = CompareResult['matchedBy'];

function everyRollout(joined: JoinedRollouts, test: (i: number) => boolean): boolean {
  let seen = 0;
  for (let i = 0; i < joined.count; i++) {
    if (joined.rollouts.broken(i) !== null) continue;
    seen++;
    if (!test(i)) return false;
  }
  return seen > 0;
}

function chooseMatch(a: JoinedRollouts, b: JoinedRollouts): MatchBy {
  const hasId = (j: JoinedRollouts) => everyRollout(j, (i) => j.taskId(i) !== null);
  const hasIndex = (j: JoinedRollouts) => everyRollout(j, (i) => j.rollouts.taskIndex(i) >= 0);
  if (hasId(a) && hasId(b)) return 'task id';
  if (hasIndex(a) && hasIndex(b)) return 'task index';
  return 'line order';
}

function keyOf(joined: JoinedRollouts, i: number, by: MatchBy): string {
  switch (by) {
    case 'task id':
      return `id:${joined.taskId(i)}`;
    case 'task index':
      return `t:${joined.rollouts.taskIndex(i)}`;
    case 'line order':
      return `n:${i}`;
  }
}

interface Group {
  entries: number[];
  rewardSum: number;
  scored: number;
  passed: number;
  first: number;
}

function groups(joined: JoinedRollouts, by: MatchBy): Map<string, Group> {
  const map = new Map<string, Group>();
  let position = 0;
  for (let i = 0; i < joined.count; i++) {
    if (joined.rollouts.broken(i) !== null) continue;
    const key = keyOf(joined, by === 'line order' ? position++ : i, by);
    let group = map.get(key);
    if (!group) {
      group = { entries: [], rewardSum: 0, scored: 0, passed: 0, first: i };
      map.set(key, group);
    }
    group.entries.push(i);
    const reward = joined.rollouts.reward(i);
    if (!Number.isNaN(reward)) {
      group.rewardSum += reward;
      group.scored++;
      if (isPassingReward(reward)) group.passed++;
    }
  }
  return map;
}

function side(group: Group | undefined, k: number | null): CompareSide | null {
  if (!group) return null;
  return {
    rollouts: group.entries.length,
    scored: group.scored,
    passed: group.passed,
    meanReward: group.scored ? group.rewardSum / group.scored : null,
    passAtK: k !== null && group.scored >= k ? passAtK(group.scored, group.passed, k) : null,
    entries: group.entries,
  };
}

/** The usual smaller repeat count of the tasks both files have: pass@k needs k repeats on both sides. */
function commonRepeats(a: Map<string, Group>, b: Map<string, Group>): number | null {
  const counts: number[] = [];
  for (const [key, groupA] of a) {
    const groupB = b.get(key);
    if (groupB && groupA.scored > 0 && groupB.scored > 0) counts.push(Math.min(groupA.scored, groupB.scored));
  }
  const k = modeOf(counts);
  return k >= 2 ? k : null;
}

const EPSILON = 1e-9;

function classify(primary: CompareSide | null, compare: CompareSide | null): { change: CompareChange; delta: number | null } {
  if (!compare) return { change: 'only-primary', delta: null };
  if (!primary) return { change: 'only-compare', delta: null };
  if (primary.meanReward === null || compare.meanReward === null) return { change: 'same', delta: null };
  const delta = primary.meanReward - compare.meanReward;
  if (delta < -EPSILON) return { change: 'regression', delta };
  if (delta > EPSILON) return { change: 'fix', delta };
  return { change: 'same', delta: 0 };
}

/** Mean pass@1 and pass@k of each side over the rows with k scored repeats on both sides (their passAtK is set). */
function pairedPassRates(rows: readonly CompareRow[]): { passAt1: PairedFigure; passAtK: PairedFigure } | null {
  let tasks = 0;
  const sums = { a1: 0, b1: 0, ak: 0, bk: 0 };
  for (const row of rows) {
    const a = row.primary;
    const b = row.compare;
    if (a?.passAtK == null || b?.passAtK == null) continue;
    tasks++;
    sums.a1 += passAtK(a.scored, a.passed, 1);
    sums.b1 += passAtK(b.scored, b.passed, 1);
    sums.ak += a.passAtK;
    sums.bk += b.passAtK;
  }
  if (tasks === 0) return null;
  return {
    passAt1: { primary: sums.a1 / tasks, compare: sums.b1 / tasks, tasks },
    passAtK: { primary: sums.ak / tasks, compare: sums.bk / tasks, tasks },
  };
}

function significanceOf(deltas: readonly number[]): CompareSignificance | null {
  if (deltas.length < 2) return null;
  const bootstrap = pairedBootstrap(deltas);
  if (!bootstrap) return null;
  const sign = signTest(deltas);
  return {
    tasks: deltas.length,
    meanDelta: bootstrap.mean,
    bootstrap: { resamples: bootstrap.resamples, seed: bootstrap.seed, level: bootstrap.level, low: bootstrap.low, high: bootstrap.high, pValue: bootstrap.pValue },
    signTest: { improved: sign.positive, worsened: sign.negative, ties: sign.ties, pValue: sign.pValue },
  };
}

function naturalKeyOrder(a: CompareRow, b: CompareRow): number {
  return a.key.localeCompare(b.key, undefined, { numeric: true });
}

export function compareRollouts(primary: JoinedRollouts, compare: JoinedRollouts, names: { primary: string; compare: string }): CompareResult {
  const matchedBy = chooseMatch(primary, compare);
  const a = groups(primary, matchedBy);
  const b = groups(compare, matchedBy);
  const rows: CompareRow[] = [];
  const counts: Record<CompareChange, number> = { regression: 0, fix: 0, same: 0, 'only-primary': 0, 'only-compare': 0 };
  let primarySum = 0;
  let compareSum = 0;
  let common = 0;
  const k = commonRepeats(a, b);
  const deltas: number[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const groupA = a.get(key);
    const groupB = b.get(key);
    const sideA = side(groupA, k);
    const sideB = side(groupB, k);
    const { change, delta } = classify(sideA, sideB);
    counts[change]++;
    if (sideA?.meanReward != null && sideB?.meanReward != null) {
      primarySum += sideA.meanReward;
      compareSum += sideB.meanReward;
      common++;
      deltas.push(sideA.meanReward - sideB.meanReward);
    }
    const source = groupA ? primary : compare;
    const i = (groupA ?? groupB)?.first ?? 0;
    const taskIndex = source.rollouts.taskIndex(i);
    rows.push({
      key: key.slice(key.indexOf(':') + 1),
      taskIndex: taskIndex >= 0 ? taskIndex : null,
      taskId: source.taskId(i),
      category: source.category(i),
      title: source.title(i),
      primary: sideA,
      compare: sideB,
      delta,
      deltaPassAtK: sideA?.passAtK != null && sideB?.passAtK != null ? sideA.passAtK - sideB.passAtK : null,
      change,
    });
  }
  rows.sort(naturalKeyOrder);
  const rates = k === null ? null : pairedPassRates(rows);
  return {
    primaryName: names.primary,
    compareName: names.compare,
    matchedBy,
    rows,
    counts,
    primaryMean: common ? primarySum / common : null,
    compareMean: common ? compareSum / common : null,
    commonTasks: common,
    k,
    passAt1: rates?.passAt1 ?? null,
    passAtK: rates?.passAtK ?? null,
    significance: significanceOf(deltas),
  };
}
