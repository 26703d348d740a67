import type { JoinedRollouts } from './joined_rollouts';
import { NO_CATEGORY, type RolloutFilter, type SortSpec } from './model';
import { isPass } from './statistics';

/** The list's structured filters and sort orders, evaluated over the index columns (no file reads). */

function rewardMatches(reward: number, filter: RolloutFilter['reward']): boolean {
  switch (filter ?? 'all') {
    case 'all':
      return true;
    case 'pass':
      return !Number.isNaN(reward) && isPass(reward);
    case 'fail':
      return !Number.isNaN(reward) && reward <= 0;
    case 'partial':
      return !Number.isNaN(reward) && reward > 0 && !isPass(reward);
    case 'unscored':
      return Number.isNaN(reward);
  }
}

/** Entries passing `filter`, in file order (restricted to `within` when given). */
export function filterEntries(joined: JoinedRollouts, filter: RolloutFilter, within: readonly number[] | null): number[] {
  const index = joined.rollouts;
  const categories = filter.categories?.length ? new Set(filter.categories) : null;
  const taskId = filter.taskId?.trim() ? filter.taskId.trim() : null;
  const turnsMin = filter.turnsMin ?? null;
  const turnsMax = filter.turnsMax ?? null;
  const errors = filter.errors ?? 'any';
  const result: number[] = [];
  const test = (i: number): boolean => {
    if (!rewardMatches(index.reward(i), filter.reward)) return false;
    if (categories && !categories.has(joined.category(i) ?? NO_CATEGORY)) return false;
    if (taskId !== null && joined.taskId(i) !== taskId && String(index.taskIndex(i)) !== taskId) return false;
    const turns = index.turns(i);
    if (turnsMin !== null && turns < turnsMin) return false;
    if (turnsMax !== null && turns > turnsMax) return false;
    if (errors !== 'any' && joined.hasError(i) !== (errors === 'errors')) return false;
    return true;
  };
  if (within) {
    for (const i of within) if (Number.isInteger(i) && i >= 0 && i < index.count && test(i)) result.push(i);
  } else {
    for (let i = 0; i < index.count; i++) if (test(i)) result.push(i);
  }
  return result;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Sorts entries in place and returns them; missing values go last in both directions, ties keep file order. */
export function sortEntries(joined: JoinedRollouts, entries: number[], sort: SortSpec): number[] {
  const index = joined.rollouts;
  const direction = sort.descending ? -1 : 1;
  const byNumber = (value: (i: number) => number) => (a: number, b: number): number => {
    const x = value(a);
    const y = value(b);
    const xMissing = Number.isNaN(x) || x < 0;
    const yMissing = Number.isNaN(y) || y < 0;
    if (xMissing !== yMissing) return xMissing ? 1 : -1;
    if (!xMissing && x !== y) return (x - y) * direction;
    return a - b;
  };
  const byText = (value: (i: number) => string | null) => (a: number, b: number): number => {
    const x = value(a);
    const y = value(b);
    if ((x === null) !== (y === null)) return x === null ? 1 : -1;
    return x !== null && y !== null ? collator.compare(x, y) * direction : 0;
  };
  const thenByEntry = (compare: (a: number, b: number) => number) => (a: number, b: number): number => compare(a, b) || a - b;
  switch (sort.key) {
    case 'line':
      return entries.sort((a, b) => (a - b) * direction);
    case 'reward':
      return entries.sort(byNumber((i) => index.reward(i)));
    case 'turns':
      return entries.sort(byNumber((i) => index.turns(i)));
    case 'toolCalls':
      return entries.sort(byNumber((i) => index.toolCalls(i)));
    case 'tokens':
      return entries.sort(byNumber((i) => index.totalTokens(i)));
    case 'category':
      return entries.sort(thenByEntry(byText((i) => joined.category(i))));
    case 'task': {
      const taskOrder = (i: number) => {
        const t = index.taskIndex(i);
        return t >= 0 ? String(t).padStart(10, '0') : joined.taskId(i);
      };
      const byTask = byText(taskOrder);
      return entries.sort((a, b) => byTask(a, b) || index.rolloutIndex(a) - index.rolloutIndex(b) || a - b);
    }
  }
}
