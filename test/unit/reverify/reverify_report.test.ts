import { describe, expect, it } from 'vitest';
import { flipCounts, reverifyReportMarkdown, reverifySummary } from '../../../src/core/reverify/reverify_report';
import type { RewardChange } from '../../../src/core/reverify/reverify_rollouts';

const changes: RewardChange[] = [
  { task: 1, rollout: 0, id: 'a', oldReward: '1.0', newReward: '0.0' },
  { task: 1, rollout: 1, id: 'a', oldReward: '1.0', newReward: '0.0' },
  { task: 4, rollout: 0, id: null, oldReward: '0.0', newReward: '1.0' },
  { task: 5, rollout: 0, id: 7, oldReward: '0.0', newReward: 'None' },
];

describe('reverification report', () => {
  it('counts flips between pass and fail, and other changes', () => {
    expect(flipCounts(changes)).toEqual({ nowFailing: 2, nowPassing: 1, other: 1 });
    expect(reverifySummary(40, 0, changes)).toBe('4 of 40 reward(s) changed: 2 now fail, 1 now pass, 1 other change(s).');
    expect(reverifySummary(40, 2, [])).toBe('No reward changed in 40 rollout(s). 2 could not be verified.');
  });

  it('lists each change under its kind, as gym eval reverify names them', () => {
    const text = reverifyReportMarkdown({ rollouts: 'r.jsonl', inputs: 'r_materialized_inputs.jsonl', output: 'r_reverified.jsonl', metrics: null, failures: 'r_reverified_failures.jsonl' }, { total: 40, verified: 40, failed: 0, changes, unsafeWarning: null });
    expect(text).toContain('## Passed before, fail now (2)\n\n- task 1 rollout 0 (id "a"): 1.0 -> 0.0\n- task 1 rollout 1 (id "a"): 1.0 -> 0.0');
    expect(text).toContain('## Failed before, pass now (1)\n\n- task 4 rollout 0: 0.0 -> 1.0');
    expect(text).toContain('## Other reward changes (1)\n\n- task 5 rollout 0 (id 7): 0.0 -> None');
    expect(text).not.toContain('Failures:');
  });
});
