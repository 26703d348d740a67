import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRollouts } from '../../../src/core/viewer/compare';
import { JoinedRollouts } from '../../../src/core/viewer/joined_rollouts';
import { RolloutIndex } from '../../../src/core/viewer/rollout_index';
import { generateRolloutSet, makeTempDir, writeJsonl, type GeneratedSet } from '../../support/rollout_fixtures';

async function joined(lines: string[]): Promise<JoinedRollouts> {
  return new JoinedRollouts(await RolloutIndex.open(writeJsonl(join(makeTempDir(), 'r.jsonl'), lines)));
}

function meanPerTask(set: GeneratedSet): Map<number, number> {
  const sums = new Map<number, [number, number]>();
  set.taskOfLine.forEach((t, i) => {
    const [s, n] = sums.get(t) ?? [0, 0];
    sums.set(t, [s + (set.rewards[i] as number), n + 1]);
  });
  return new Map([...sums].map(([t, [s, n]]) => [t, s / n]));
}

describe('compareRollouts', () => {
  it('gives per-task reward changes, regressions and fixes (matched by dataset id)', async () => {
    const a = generateRolloutSet({ tasks: 30, repeats: 3, withIndices: true, datasetFields: true, completionOrder: true, seed: 1 });
    const b = generateRolloutSet({ tasks: 30, repeats: 3, withIndices: true, datasetFields: true, seed: 2 });
    const result = compareRollouts(await joined(a.lines), await joined(b.lines), { primary: 'a', compare: 'b' });
    expect(result.matchedBy).toBe('task id');
    expect(result.rows).toHaveLength(30);
    const meanA = meanPerTask(a);
    const meanB = meanPerTask(b);
    let regressions = 0;
    let fixes = 0;
    for (const row of result.rows) {
      const task = Number(row.taskId);
      const delta = (meanA.get(task) as number) - (meanB.get(task) as number);
      expect(row.delta).toBeCloseTo(delta, 12);
      expect(row.primary?.rollouts).toBe(3);
      expect(row.change).toBe(delta < 0 ? 'regression' : delta > 0 ? 'fix' : 'same');
      if (delta < 0) regressions++;
      if (delta > 0) fixes++;
    }
    expect(result.counts.regression).toBe(regressions);
    expect(result.counts.fix).toBe(fixes);
    expect(regressions + fixes).toBeGreaterThan(0);
    expect(result.commonTasks).toBe(30);
    expect(result.primaryMean).toBeCloseTo([...meanA.values()].reduce((x, y) => x + y, 0) / 30, 12);
  });

  it('matches by task index without ids and reports tasks only one file has', async () => {
    const a = generateRolloutSet({ tasks: 5, repeats: 2, withIndices: true, seed: 3 });
    const b = generateRolloutSet({ tasks: 3, repeats: 2, withIndices: true, seed: 4 });
    const result = compareRollouts(await joined(a.lines), await joined(b.lines), { primary: 'a', compare: 'b' });
    expect(result.matchedBy).toBe('task index');
    expect(result.counts['only-primary']).toBe(2);
    expect(result.rows.filter((r) => r.change === 'only-primary').map((r) => r.taskIndex)).toEqual([3, 4]);
    expect(result.commonTasks).toBe(3);
  });

  it('falls back to line order', async () => {
    const a = generateRolloutSet({ tasks: 4, repeats: 1, seed: 5 });
    const b = generateRolloutSet({ tasks: 4, repeats: 1, seed: 5 });
    const result = compareRollouts(await joined(a.lines), await joined(b.lines), { primary: 'a', compare: 'b' });
    expect(result.matchedBy).toBe('line order');
    expect(result.counts.same).toBe(4);
  });
});

describe('compareRollouts over repeats', () => {
  /** Minimal rollout lines: task t, repeat r, the given reward. */
  const lines = (rewards: Record<number, number[]>): string[] =>
    Object.entries(rewards).flatMap(([task, list]) => list.map((reward, r) => JSON.stringify({ reward, _ng_task_index: Number(task), _ng_rollout_index: r, response: { output: [] } })));

  it('gives per-task pass@k, paired pass rates, and a bootstrap and a sign test over the common tasks', async () => {
    const a = lines({ 0: [1, 1, 1], 1: [1, 0, 0], 2: [0, 0, 0], 3: [1, 1, 0], 4: [1, 1, 1], 5: [1] });
    const b = lines({ 0: [0, 0, 0], 1: [0, 0, 0], 2: [1, 0, 0], 3: [1, 0, 0], 4: [1, 1, 1], 6: [0, 0, 0] });
    const result = compareRollouts(await joined(a), await joined(b), { primary: 'a', compare: 'b' });
    expect(result.k).toBe(3);
    const row = (task: number) => result.rows.find((r) => r.taskIndex === task);
    expect(row(1)?.primary).toMatchObject({ scored: 3, passed: 1, passAtK: 1 });
    expect(row(1)?.compare?.passAtK).toBe(0);
    expect(row(1)?.deltaPassAtK).toBe(1);
    expect(row(3)?.delta).toBeCloseTo(1 / 3, 12);
    expect(row(5)?.change).toBe('only-primary');
    expect(row(5)?.primary?.passAtK).toBeNull();
    expect(row(6)?.change).toBe('only-compare');
    expect(result.counts).toEqual({ regression: 1, fix: 3, same: 1, 'only-primary': 1, 'only-compare': 1 });
    // Tasks 0–4: pass@1 = mean of c/n; pass@3 = share of tasks with a pass.
    expect(result.passAt1?.primary).toBeCloseTo((1 + 1 / 3 + 0 + 2 / 3 + 1) / 5, 12);
    expect(result.passAt1?.compare).toBeCloseTo((0 + 0 + 1 / 3 + 1 / 3 + 1) / 5, 12);
    expect(result.passAtK).toEqual({ primary: 4 / 5, compare: 3 / 5, tasks: 5 });
    const significance = result.significance;
    expect(significance?.tasks).toBe(5);
    expect(significance?.meanDelta).toBeCloseTo((1 + 1 / 3 - 1 / 3 + 1 / 3 + 0) / 5, 12);
    // 3 tasks up, 1 down, 1 tie: 2 · (1 + 4) / 16.
    expect(significance?.signTest).toMatchObject({ improved: 3, worsened: 1, ties: 1 });
    expect(significance?.signTest.pValue).toBeCloseTo(0.625, 12);
    expect(significance?.bootstrap.low).toBeLessThan(significance?.meanDelta ?? 0);
    expect(significance?.bootstrap.high).toBeGreaterThan(significance?.meanDelta ?? 0);
    expect(significance?.bootstrap.high).toBeLessThanOrEqual(1);
  });

  it('has no pass@k without repeats and no significance with one common task', async () => {
    const result = compareRollouts(await joined(lines({ 0: [1], 1: [0] })), await joined(lines({ 0: [0] })), { primary: 'a', compare: 'b' });
    expect(result.k).toBeNull();
    expect(result.passAtK).toBeNull();
    expect(result.significance).toBeNull();
  });
});
