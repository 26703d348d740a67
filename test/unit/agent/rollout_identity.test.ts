import { describe, expect, it } from 'vitest';
import { InvalidRolloutIdError, rolloutIdOf, taskIdOf } from '../../../src/core/rollout_identity';

describe('rollout identity (NeMo Gym maybe_rollout_id_from_run_body, _trajectory_identity)', () => {
  it('derives "<task>-<rollout>", adds "-a<n>" for a retry, and prefers an explicit _ng_rollout_id', () => {
    expect(rolloutIdOf({ _ng_task_index: 2, _ng_rollout_index: 3 })).toBe('2-3');
    expect(rolloutIdOf({ _ng_task_index: 2, _ng_rollout_index: 3, _ng_attempt_index: 0 })).toBe('2-3');
    expect(rolloutIdOf({ _ng_task_index: 2, _ng_rollout_index: 3, _ng_attempt_index: 2 })).toBe('2-3-a2');
    expect(rolloutIdOf({ _ng_task_index: 2, _ng_rollout_index: 3, _ng_rollout_id: 'step7.0-0', _ng_attempt_index: 1 })).toBe('step7.0-0-a1');
    expect(rolloutIdOf({ _ng_task_index: 2 })).toBeNull();
    expect(() => rolloutIdOf({ _ng_rollout_id: '../x' })).toThrow(InvalidRolloutIdError);
    expect(() => rolloutIdOf({ _ng_rollout_id: 7 })).toThrow(InvalidRolloutIdError);
  });

  it('the task id: task_id, problem_id, instance_id, then the task index', () => {
    expect(taskIdOf({ _ng_task_index: 4 })).toBe('4');
    expect(taskIdOf({ _ng_task_index: 4, instance_id: 'i', problem_id: 'p' })).toBe('p');
    expect(taskIdOf({ _ng_task_index: 4, task_id: 12 })).toBe('12');
    expect(taskIdOf({})).toBeNull();
  });
});
