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
