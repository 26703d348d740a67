import type { CategoryProgress, CollectionProgress, RolloutOutcome } from './api';

interface CategoryCounts {
  done: number;
  failed: number;
  total: number;
  rewardSum: number;
  rewardCount: number;
}

/** Running figures of a collection: done/failed, mean reward, rate and ETA, per category. */
export class ProgressTracker {
  private done = 0;
  private failed = 0;
  private resumed = 0;
  private finishedThisRun = 0;
  private retries = 0;
  private rewardSum = 0;
  private rewardCount = 0;
  private recent: RolloutOutcome[] = [];
  private readonly categories = new Map<string, CategoryCounts>();
  private readonly startedAt: number;

  constructor(
    private readonly total: number,
    categoryTotals: Map<string, number>,
    now = Date.now(),
  ) {
    this.startedAt = now;
    for (const [category, count] of categoryTotals) this.categories.set(category, { done: 0, failed: 0, total: count, rewardSum: 0, rewardCount: 0 });
  }

  /** A rollout already accounted for when resuming (an output line, or a failure that is not retried). */
  recordResumed(category: string | null, reward: number | null): void {
    this.resumed += 1;
    this.count(category, reward);
  }

  record(outcome: RolloutOutcome): void {
    this.finishedThisRun += 1;
    this.retries += Math.max(0, (outcome.attempts ?? 1) - 1);
    this.count(outcome.category, outcome.reward);
    this.recent.push(outcome);
  }

  private count(category: string | null, reward: number | null): void {
    if (reward === null) this.failed += 1;
    else {
      this.done += 1;
      this.rewardSum += reward;
      this.rewardCount += 1;
    }
    const entry = this.categories.get(category ?? '');
    if (!entry) return;
    if (reward === null) entry.failed += 1;
    else {
      entry.done += 1;
      entry.rewardSum += reward;
      entry.rewardCount += 1;
    }
  }

  snapshot(now = Date.now()): CollectionProgress {
    const elapsedSeconds = (now - this.startedAt) / 1000;
    const rolloutsPerSecond = elapsedSeconds > 0 ? this.finishedThisRun / elapsedSeconds : 0;
    const remaining = this.total - this.done - this.failed;
    const byCategory: CategoryProgress[] = [...this.categories].map(([category, c]) => ({
      category,
      done: c.done,
      failed: c.failed,
      total: c.total,
      meanReward: c.rewardCount > 0 ? c.rewardSum / c.rewardCount : null,
    }));
    const recent = this.recent;
    this.recent = [];
    return {
      total: this.total,
      done: this.done,
      failed: this.failed,
      resumed: this.resumed,
      meanReward: this.rewardCount > 0 ? this.rewardSum / this.rewardCount : null,
      meanRewardOverAttempted: this.done + this.failed > 0 ? this.rewardSum / (this.done + this.failed) : null,
      retries: this.retries,
      rolloutsPerSecond,
      elapsedSeconds,
      etaSeconds: remaining === 0 ? 0 : rolloutsPerSecond > 0 ? remaining / rolloutsPerSecond : null,
      byCategory,
      recent,
    };
  }
}
