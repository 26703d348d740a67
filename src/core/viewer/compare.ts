import type { JoinedRollouts } from './joined_rollouts';
import type { CompareChange, CompareResult, CompareRow, CompareSide } from './model';

/**
 * Compares two rollout files of the same tasks: per task, the mean reward over its repeats in each file, and
 * whether the primary file (the one opened) does worse than the file it is compared with (a regression), better
 * (a fix), or the same. The compared file is the baseline. Tasks are matched by dataset id when every rollout of
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
      group = { entries: [], rewardSum: 0, scored: 0, first: i };
      map.set(key, group);
    }
    group.entries.push(i);
    const reward = joined.rollouts.reward(i);
    if (!Number.isNaN(reward)) {
      group.rewardSum += reward;
      group.scored++;
    }
  }
  return map;
}

function side(group: Group | undefined): CompareSide | null {
  if (!group) return null;
  return { rollouts: group.entries.length, meanReward: group.scored ? group.rewardSum / group.scored : null, entries: group.entries };
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
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const groupA = a.get(key);
    const groupB = b.get(key);
    const sideA = side(groupA);
    const sideB = side(groupB);
    const { change, delta } = classify(sideA, sideB);
    counts[change]++;
    if (sideA?.meanReward != null && sideB?.meanReward != null) {
      primarySum += sideA.meanReward;
      compareSum += sideB.meanReward;
      common++;
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
      change,
    });
  }
  rows.sort(naturalKeyOrder);
  return {
    primaryName: names.primary,
    compareName: names.compare,
    matchedBy,
    rows,
    counts,
    primaryMean: common ? primarySum / common : null,
    compareMean: common ? compareSum / common : null,
    commonTasks: common,
  };
}
