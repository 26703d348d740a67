import { describe, expect, it } from 'vitest';
import { projectTrajectory } from '../../../src/core/collect/trajectory_projection';
import { TrajectoryRecord } from '../../../src/core/schema/trajectory_record';

const row = { _ng_task_index: 2, _ng_rollout_index: 3, agent_ref: { name: 'python_agent' } };

describe('projectTrajectory (NeMo Gym rollout_collection.py _build_trajectory_record)', () => {
  it("puts the producer's record under the rollout's identity, says so, and sorts the turns by time", () => {
    const result = {
      ng_trajectory: {
        task_id: 'producer-task',
        rollout_id: 'producer-rollout',
        turns: [
          { invocation_id: 'root', task_id: 'producer-task', rollout_id: 'producer-rollout', turn_no: 2, timestamp: 2.0, step_count: 1 },
          { invocation_id: 'root', task_id: 'producer-task', rollout_id: 'producer-rollout', turn_no: 1, timestamp: 1.0, step_count: 0 },
        ],
        model_calls: [{ model_call_id: 'm1' }],
        invocations: [{ invocation_id: 'root', conversation: [{ role: 'user', content: 'hi' }] }],
        gaps: [{ code: 'resolution_unavailable', invocation_id: 'root' }, { code: 'resolution_unavailable', invocation_id: 'root' }],
      },
    };
    const projected = projectTrajectory({ ...row, task_id: 'collector-task' }, result);
    expect(TrajectoryRecord.safeParse(projected).error?.issues).toBeUndefined();
    expect([projected.task_id, projected.rollout_id]).toEqual(['collector-task', '2-3']);
    expect(projected.turns!.map((turn) => [turn.turn_no, turn.task_id, turn.rollout_id])).toEqual([[1, 'collector-task', '2-3'], [2, 'collector-task', '2-3']]);
    expect(projected.gaps).toEqual([
      { code: 'producer_trajectory_identity_mismatch', invocation_id: null, detail: 'task_id,rollout_id' },
      { code: 'resolution_unavailable', invocation_id: 'root', detail: null },
    ]);
  });

  it('dumps every field with its default, in the models\' order, as pydantic does', () => {
    const projected = projectTrajectory(row, { ng_trajectory: { task_id: '2', rollout_id: '2-3', tool_calls: [{ invocation_id: 'root', tool_call_id: 'c' }], model_calls: [{ model_call_id: 'm' }] } });
    expect(Object.keys(projected)).toEqual(['schema_version', 'task_id', 'rollout_id', 'invocations', 'turns', 'model_calls', 'tool_calls', 'gaps']);
    expect(projected.tool_calls![0]).toEqual({ kind: 'tool_call', invocation_id: 'root', tool_call_id: 'c', sandbox_id: null, tool_name: null, started_at: null, completed_at: null, duration_ms: null, timing_source: null, status: 'unknown', error_type: null, output: null });
    expect(Object.keys(projected.model_calls![0]!)).toEqual(['model_call_id', 'started_at', 'completed_at', 'duration_ms', 'request', 'response', 'response_metadata', 'token_stats']);
    expect(projected.gaps!.map((gap) => gap.code)).toEqual(['turns_unavailable', 'conversation_unavailable']);
  });

  it('a producer record that breaks the schema is replaced by the gap that says so', () => {
    const projected = projectTrajectory(row, { ng_trajectory: { task_id: '2', rollout_id: '2-3', surprise: true } });
    expect(projected.gaps!.map((gap) => gap.code)).toEqual(['producer_trajectory_invalid', 'model_calls_unavailable', 'turns_unavailable', 'conversation_unavailable']);
  });

  it('without a producer record: the conversation and tool outputs from the answer, and gaps for what nobody observed', () => {
    const result = {
      responses_create_params: { input: [{ role: 'user', content: 'hi', type: 'message' }] },
      response: { output: [{ type: 'function_call', call_id: 'c1', name: 'email_send_email', arguments: '{}' }, { call_id: 'c1', output: 'sent', type: 'function_call_output' }, { type: 'message', role: 'assistant', content: [] }] },
      reward: 1.0,
    };
    const projected = projectTrajectory({ ...row, _ng_attempt_index: 2 }, result);
    expect(TrajectoryRecord.safeParse(projected).error?.issues).toBeUndefined();
    expect(projected.rollout_id).toBe('2-3-a2');
    expect(projected.invocations![0]!.conversation).toHaveLength(4);
    expect(projected.invocations![0]!.status).toBe('unknown');
    expect(projected.tool_calls!.map((call) => [call.tool_call_id, call.tool_name, call.status, call.output])).toEqual([['c1', 'email_send_email', 'unknown', 'sent']]);
    expect(projected.gaps!.map((gap) => [gap.code, gap.detail])).toEqual([['agent_trajectory_unavailable', 'python_agent'], ['model_calls_unavailable', null], ['turns_unavailable', null]]);
  });
});
