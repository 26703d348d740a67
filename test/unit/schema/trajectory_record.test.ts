import { describe, expect, it } from 'vitest';
import { ModelCallRef, TrajectoryRecord, TrajectoryToolCall } from '../../../src/core/schema/trajectory_record';

const turn = (turnNo: number, extra: Record<string, unknown> = {}) => ({ invocation_id: 'root', task_id: '2', rollout_id: '2-3', turn_no: turnNo, timestamp: 1.5, step_count: 0, ...extra });

describe('TrajectoryRecord (NeMo Gym rollout_observability.py, extra="forbid")', () => {
  it('accepts the minimal record and a full one', () => {
    expect(TrajectoryRecord.safeParse({ task_id: '2', rollout_id: '2-3' }).success).toBe(true);
    const full = {
      schema_version: '1.0',
      task_id: '2',
      rollout_id: '2-3',
      invocations: [{ kind: 'agent_invocation', invocation_id: 'root', status: 'incomplete', model_calls: [{ model_call_id: 'm1' }], conversation: [{ role: 'user', content: 'hi' }, { type: 'function_call_output', call_id: 'c', output: 'x' }] }],
      turns: [turn(1, { model_calls: [{ model_ref: { type: 'responses_api_models', name: 'policy_model' }, response_id: 'resp_1' }] })],
      model_calls: [{ model_call_id: 'm1', started_at: 1, completed_at: 2, duration_ms: 1000, response_metadata: { status_code: 200, finish_reason: null }, token_stats: { prompt_tokens: 5, cached_tokens: 0 } }],
      tool_calls: [{ invocation_id: 'root', tool_call_id: 'c', status: 'failed', error_type: 'http_422', started_at: 1, completed_at: 1, output: 'x' }],
      gaps: [{ code: 'resolution_unavailable', invocation_id: 'root' }],
    };
    expect(TrajectoryRecord.safeParse(full).error?.issues).toBeUndefined();
  });

  it('refuses unknown keys at every level, as pydantic does with extra="forbid"', () => {
    expect(TrajectoryRecord.safeParse({ task_id: '2', rollout_id: '2-3', extra: 1 }).success).toBe(false);
    expect(TrajectoryRecord.safeParse({ task_id: '2', rollout_id: '2-3', model_calls: [{ model_call_id: 'm', attempts: 2 }] }).success).toBe(false);
    expect(TrajectoryRecord.safeParse({ task_id: '2', rollout_id: '2-3', model_calls: [{ token_stats: { input_tokens: 2 } }] }).success).toBe(false);
    expect(TrajectoryRecord.safeParse({ task_id: '2', rollout_id: '2-3', gaps: [{ code: 'x', why: 'y' }] }).success).toBe(false);
  });

  it('checks the constraints NeMo Gym checks', () => {
    const base = { task_id: '2', rollout_id: '2-3' };
    expect(TrajectoryRecord.safeParse({ ...base, turns: [turn(0)] }).success).toBe(false);
    expect(TrajectoryRecord.safeParse({ ...base, turns: [turn(1, { rollout_id: 'other' })] }).success).toBe(false);
    expect(TrajectoryRecord.safeParse({ ...base, turns: [turn(1), turn(1)] }).success).toBe(false);
    expect(TrajectoryRecord.safeParse({ ...base, invocations: [{ invocation_id: 'a' }, { invocation_id: 'a' }] }).success).toBe(false);
    expect(TrajectoryRecord.safeParse({ ...base, model_calls: [{ model_call_id: 'm' }, { model_call_id: 'm' }] }).success).toBe(false);
    expect(TrajectoryRecord.safeParse({ ...base, model_calls: [{ duration_ms: -1 }] }).success).toBe(false);
    expect(TrajectoryRecord.safeParse({ ...base, model_calls: [{ token_stats: { total_tokens: 1.5 } }] }).success).toBe(false);
    expect(TrajectoryRecord.safeParse({ ...base, invocations: [{ invocation_id: 'a', status: 'done' }] }).success).toBe(false);
    expect(TrajectoryRecord.safeParse({ ...base, schema_version: '2.0' }).success).toBe(false);
  });

  it('a model-call reference needs a model_call_id, or both model_ref and response_id', () => {
    expect(ModelCallRef.safeParse({ model_call_id: 'm' }).success).toBe(true);
    expect(ModelCallRef.safeParse({ model_ref: { type: 'responses_api_models', name: 'p' }, response_id: 'r' }).success).toBe(true);
    expect(ModelCallRef.safeParse({ response_id: 'r' }).success).toBe(false);
    expect(ModelCallRef.safeParse({ model_call_id: '' }).success).toBe(false);
  });

  it('a tool call cannot end before it started', () => {
    expect(TrajectoryToolCall.safeParse({ invocation_id: 'root', tool_call_id: 'c', started_at: 2, completed_at: 1 }).success).toBe(false);
    expect(TrajectoryToolCall.safeParse({ invocation_id: 'root', tool_call_id: 'c', status: 'exploded' }).success).toBe(false);
  });
});
