import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JoinedRollouts } from '../../../src/core/viewer/joined_rollouts';
import { RolloutIndex } from '../../../src/core/viewer/rollout_index';
import { computeSummary, passAtK, passHatK, reportedKs } from '../../../src/core/viewer/statistics';
import { generateRolloutSet, makeTempDir, writeJsonl } from '../../support/rollout_fixtures';

/** Every k-subset of n samples with c passes, counted. */
function bruteForce(n: number, c: number, k: number): { anyPass: number; allPass: number } {
  const samples = Array.from({ length: n }, (_, i) => i < c);
  let subsets = 0;
  let anyPass = 0;
  let allPass = 0;
  const choose = (start: number, picked: boolean[]): void => {
    if (picked.length === k) {
      subsets++;
      if (picked.some(Boolean)) anyPass++;
      if (picked.every(Boolean)) allPass++;
      return;
    }
    for (let i = start; i < n; i++) choose(i + 1, [...picked, samples[i] as boolean]);
  };
  choose(0, []);
  return { anyPass: anyPass / subsets, allPass: allPass / subsets };
}

describe('pass@k', () => {
  it('matches the fraction of k-subsets with a pass, for every small n, c, k', () => {
    for (let n = 1; n <= 8; n++) {
      for (let c = 0; c <= n; c++) {
        for (let k = 1; k <= n; k++) {
          const expected = bruteForce(n, c, k);
          expect(passAtK(n, c, k)).toBeCloseTo(expected.anyPass, 12);
          expect(passHatK(n, c, k)).toBeCloseTo(expected.allPass, 12);
        }
      }
    }
  });

  it('is the pass rate at k = 1 and stays finite for large n', () => {
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 12);
    expect(passAtK(1000, 1, 500)).toBeCloseTo(0.5, 12);
    expect(passAtK(2000, 0, 100)).toBe(0);
    expect(passAtK(2000, 1990, 100)).toBe(1);
  });

  it('rejects k outside 1..n', () => {
    expect(() => passAtK(3, 1, 4)).toThrow(RangeError);
    expect(() => passAtK(3, 1, 0)).toThrow(RangeError);
  });

  it('reports powers of two and the largest n', () => {
    expect(reportedKs(1)).toEqual([1]);
    expect(reportedKs(4)).toEqual([1, 2, 4]);
    expect(reportedKs(5)).toEqual([1, 2, 4, 5]);
    expect(reportedKs(0)).toEqual([]);
  });
});

describe('computeSummary', () => {
  it('computes the figures of a file with repeats', async () => {
    const set = generateRolloutSet({ tasks: 12, repeats: 4, withIndices: true, datasetFields: true, completionOrder: true, seed: 21 });
    const path = writeJsonl(join(makeTempDir(), 'r.jsonl'), [...set.lines, 'garbage line']);
    const index = await RolloutIndex.open(path);
    const stats = computeSummary(new JoinedRollouts(index), { file: { role: 'primary', path, name: 'r.jsonl', bytes: 0, rollouts: index.count, pendingLine: null, inputPath: null }, failures: null, aggregateMetrics: null });

    expect(stats.rollouts).toBe(49);
    expect(stats.brokenLines).toBe(1);
    expect(stats.scored).toBe(48);
    const passes = set.rewards.filter((r) => r === 1).length;
    expect(stats.passed).toBe(passes);
    expect(stats.meanReward).toBeCloseTo(passes / 48, 12);
    expect(stats.tasks).toBe(12);
    expect(stats.repeats).toEqual({ min: 4, max: 4 });

    const perTask = new Map<number, number>();
    set.taskOfLine.forEach((t, i) => perTask.set(t, (perTask.get(t) ?? 0) + (set.rewards[i] as number)));
    for (const k of [1, 2, 4]) {
      const expected = [...perTask.values()].reduce((sum, c) => sum + passAtK(4, c, k), 0) / 12;
      expect(stats.passAtK.find((p) => p.k === k)?.value).toBeCloseTo(expected, 12);
    }
    expect(stats.passAtK.map((p) => p.k)).toEqual([1, 2, 4]);
    expect(stats.meanAtK?.k).toBe(4);
    expect(stats.meanAtK?.value).toBeCloseTo(passes / 48, 12);

    expect(stats.byCategory.reduce((sum, c) => sum + c.rollouts, 0)).toBe(48);
    const email = stats.byCategory.find((c) => c.category === 'workplace_assistant_email');
    const emailLines = set.lines.map((l, i) => [l, i] as const).filter(([l]) => l.includes('"workplace_assistant_email"'));
    expect(email?.rollouts).toBe(emailLines.length);
    expect(email?.passAtK?.k).toBe(4);

    expect(stats.rewardHistogram.map((b) => [b.label, b.count])).toEqual([
      ['0.0', 48 - passes],
      ['1.0', passes],
    ]);
    expect(stats.turnsHistogram.reduce((sum, b) => sum + b.count, 0)).toBe(48);
    const totalTokens = set.lines.reduce((sum, l) => sum + (JSON.parse(l) as { response: { usage: { total_tokens: number } } }).response.usage.total_tokens, 0);
    expect(stats.tokens?.total.total).toBe(totalTokens);
    expect(stats.agents).toEqual(['workplace_assistant_simple_agent']);
  });

  it('treats each rollout as its own task when there are no indices or ids', async () => {
    const set = generateRolloutSet({ tasks: 3, repeats: 2, seed: 2 });
    const index = await RolloutIndex.open(writeJsonl(join(makeTempDir(), 'r.jsonl'), set.lines));
    const stats = computeSummary(new JoinedRollouts(index), { file: { role: 'primary', path: '', name: '', bytes: 0, rollouts: 6, pendingLine: null, inputPath: null }, failures: null, aggregateMetrics: null });
    expect(stats.tasks).toBe(6);
    expect(stats.repeats).toEqual({ min: 1, max: 1 });
    expect(stats.meanAtK).toBeNull();
    expect(stats.passAtK.map((p) => p.k)).toEqual([1]);
  });

  it('reports k up to the usual repeat count when tasks have different numbers of repeats', async () => {
    const lines: string[] = [];
    for (let t = 0; t < 3; t++) for (let r = 0; r < 4; r++) lines.push(JSON.stringify({ reward: r < t ? 1.0 : 0.0, _ng_task_index: t, _ng_rollout_index: r, response: { output: [] } }));
    for (let r = 0; r < 8; r++) lines.push(JSON.stringify({ reward: 1.0, _ng_task_index: 3, _ng_rollout_index: r, response: { output: [] } }));
    lines.push(JSON.stringify({ reward: 1.0, _ng_task_index: 4, _ng_rollout_index: 0, response: { output: [] } }));
    const index = await RolloutIndex.open(writeJsonl(join(makeTempDir(), 'r.jsonl'), lines));
    const stats = computeSummary(new JoinedRollouts(index), { file: { role: 'primary', path: '', name: '', bytes: 0, rollouts: lines.length, pendingLine: null, inputPath: null }, failures: null, aggregateMetrics: null });
    expect(stats.repeats).toEqual({ min: 1, max: 8 });
    // Every k over the same tasks: the four with all (at least 4) repeats.
    expect(stats.passAtK.map((p) => [p.k, p.tasks])).toEqual([
      [1, 4],
      [2, 4],
      [4, 4],
    ]);
    expect(stats.completeTasks).toBe(4);
    // Tasks with c = 0, 1, 2 of 4 and one with 8 of 8: pass@4 = (0 + 1 + 1 + 1) / 4.
    expect(stats.passAtK.find((p) => p.k === 4)?.value).toBeCloseTo(0.75, 12);
    expect(stats.meanAtK?.k).toBe(4);
  });

  it('keeps pass@k at or above pass@1 mid-run: every k over the tasks with all their repeats', async () => {
    const line = (t: number, r: number, reward: number) => JSON.stringify({ reward, _ng_task_index: t, _ng_rollout_index: r, response: { output: [] } });
    // Four tasks complete (4 repeats; one of them passed once); three started, each with one passing repeat so
    // far. Over every task, pass@1 would be (1/4 + 3) / 7 ≈ 0.46, above pass@4 = 0.25 over the complete ones.
    const lines: string[] = [];
    for (let t = 0; t < 4; t++) for (let r = 0; r < 4; r++) lines.push(line(t, r, t === 0 && r === 0 ? 1 : 0));
    for (let t = 4; t < 7; t++) lines.push(line(t, 0, 1));
    const index = await RolloutIndex.open(writeJsonl(join(makeTempDir(), 'r.jsonl'), lines));
    const stats = computeSummary(new JoinedRollouts(index), { file: { role: 'primary', path: '', name: '', bytes: 0, rollouts: lines.length, pendingLine: null, inputPath: null }, failures: null, aggregateMetrics: null });
    const at = (k: number) => stats.passAtK.find((p) => p.k === k)?.value ?? Number.NaN;
    expect(stats.completeTasks).toBe(4);
    expect(at(1)).toBeCloseTo(1 / 16, 12);
    expect(at(4)).toBeCloseTo(0.25, 12);
    for (let i = 1; i < stats.passAtK.length; i++) expect(stats.passAtK[i]?.value).toBeGreaterThanOrEqual(stats.passAtK[i - 1]?.value ?? 0);
  });

  it('says when lines repeat the same (task, repeat)', async () => {
    const line = (t: number, r: number) => JSON.stringify({ reward: 1, _ng_task_index: t, _ng_rollout_index: r, response: { output: [] } });
    const lines = [line(0, 0), line(0, 1), line(1, 0), line(0, 1), line(1, 0), line(1, 1)];
    const index = await RolloutIndex.open(writeJsonl(join(makeTempDir(), 'r.jsonl'), lines));
    const stats = computeSummary(new JoinedRollouts(index), { file: { role: 'primary', path: '', name: '', bytes: 0, rollouts: lines.length, pendingLine: null, inputPath: null }, failures: null, aggregateMetrics: null });
    expect(stats.duplicates).toEqual({ lines: 2, firstLine: 4 });
    const clean = computeSummary(new JoinedRollouts(await RolloutIndex.open(writeJsonl(join(makeTempDir(), 'c.jsonl'), lines.slice(0, 3)))), { file: { role: 'primary', path: '', name: '', bytes: 0, rollouts: 3, pendingLine: null, inputPath: null }, failures: null, aggregateMetrics: null });
    expect(clean.duplicates).toBeNull();
  });

  it('summarises an empty file', async () => {
    const index = await RolloutIndex.open(writeJsonl(join(makeTempDir(), 'r.jsonl'), [], { trailingNewline: false }));
    const stats = computeSummary(new JoinedRollouts(index), { file: { role: 'primary', path: '', name: '', bytes: 0, rollouts: 0, pendingLine: null, inputPath: null }, failures: null, aggregateMetrics: null });
    expect(stats).toMatchObject({ rollouts: 0, scored: 0, meanReward: null, tasks: 0, passAtK: [], rewardHistogram: [], tokens: null, meanAtK: null });
  });

  it('bins non-binary rewards into ten ranges', async () => {
    const rewards = [0, 0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.95, 1];
    const lines = rewards.map((reward, i) => JSON.stringify({ reward, _ng_task_index: i, _ng_rollout_index: 0, response: { output: [] } }));
    const index = await RolloutIndex.open(writeJsonl(join(makeTempDir(), 'r.jsonl'), lines));
    const stats = computeSummary(new JoinedRollouts(index), { file: { role: 'primary', path: '', name: '', bytes: 0, rollouts: 10, pendingLine: null, inputPath: null }, failures: null, aggregateMetrics: null });
    expect(stats.rewardHistogram).toHaveLength(10);
    expect(stats.rewardHistogram.map((b) => b.count)).toEqual([2, 1, 1, 1, 1, 1, 1, 0, 0, 2]);
    expect(stats.passed).toBe(1);
  });
});
