import { describe, expect, it } from 'vitest';
import { RolloutRecord } from '../../../src/core/schema/rollout_record';
import { runChaos } from '../../support/chaos';

/**
 * A few hundred rollouts through faults, pathological patterns from the model and repeated kill -9 with resume:
 * every (task, repeat) ends as exactly one line, in the output or in the failures, and the last run's exit code
 * says which. The longer version is bench/chaos.bench.ts.
 */
describe('chaos', () => {
  it('every key exactly once, no torn line, no duplicate, and a truthful exit code', async () => {
    const outcome = await runChaos({ repeats: 60, kills: 3, faultProbability: 0.08, parallel: 16, seed: 20261205, pathologicalPatterns: true });
    const keyOf = (row: { _ng_task_index: number; _ng_rollout_index: number }) => `${row._ng_task_index}:${row._ng_rollout_index}`;
    const written = outcome.output.map(keyOf);
    const failed = outcome.failures.map(keyOf);
    const report = JSON.stringify({ runs: outcome.runs.map(({ code, killed }) => ({ code, killed })), faults: outcome.faults, written: written.length, failed: failed.length });

    expect(outcome.runs.filter((run) => run.killed).length, report).toBe(3);
    expect(new Set(written).size, report).toBe(written.length);
    expect(new Set(failed).size, report).toBe(failed.length);
    expect(written.filter((key) => failed.includes(key)), report).toEqual([]);
    expect([...written, ...failed].sort(), report).toEqual([...outcome.expectedKeys].sort());

    for (const row of outcome.output) expect(RolloutRecord.safeParse(row).error?.issues, report).toBeUndefined();

    const last = outcome.runs[outcome.runs.length - 1]!;
    expect(last.code, `${report}\n${last.stderrTail}`).toBe(failed.length === 0 ? 0 : 3);
    // The model's catastrophic patterns were stopped, and those rollouts still ended with a reward.
    const stopped = outcome.output.filter((row) => JSON.stringify(row).includes('catastrophic backtracking'));
    expect(stopped.length, report).toBeGreaterThan(0);
    // The faults did happen, including the 401 burst and the hangs.
    expect(outcome.faults.unauthorized).toBeGreaterThan(0);
    expect(Object.keys(outcome.faults).length).toBeGreaterThan(5);
  });
});
