import { describe, expect, it } from 'vitest';
import type { ConversationItem } from '../../../src/core/viewer/model';
import { buildTimeline, NO_TRAJECTORY } from '../../../src/core/viewer/timeline';

const T0 = 1_760_000_000;

function modelCall(id: string, start: number, ms: number, metadata: Record<string, unknown> = {}) {
  return {
    model_call_id: id,
    started_at: T0 + start,
    completed_at: T0 + start + ms / 1000,
    duration_ms: ms,
    response_metadata: { status_code: 200, finish_reason: null, response_status: 'completed', error_category: null, ...metadata },
    token_stats: { prompt_tokens: 1200, completion_tokens: 40, reasoning_tokens: 12, total_tokens: 1240, cached_tokens: null },
  };
}

const conversation: ConversationItem[] = [
  { kind: 'call', step: 1, turn: 1, name: 'email_search_emails', callId: 'call_a', arguments: { text: '{}', json: true }, stateChanging: false },
  { kind: 'call', step: 2, turn: 2, name: 'email_delete_email', callId: 'call_b', arguments: { text: '[1]', json: true }, stateChanging: true },
];

const trajectory = {
  task_id: '0',
  rollout_id: '0-0',
  invocations: [{ invocation_id: 'root', status: 'incomplete', duration_ms: 2500, error_type: null }],
  turns: [1, 2, 3].map((n) => ({ invocation_id: 'root', turn_no: n, timestamp: T0, step_count: 0, model_calls: [{ model_call_id: `m${n}` }] })),
  model_calls: [modelCall('m1', 0, 800), modelCall('m2', 1.0, 300), modelCall('m3', 1.5, 900, { finish_reason: 'max_output_tokens', response_status: 'incomplete' })],
  tool_calls: [
    { invocation_id: 'root', tool_call_id: 'call_a', tool_name: 'email_search_emails', started_at: T0 + 0.85, completed_at: T0 + 0.9, duration_ms: 50, status: 'completed', error_type: null },
    { invocation_id: 'root', tool_call_id: 'call_b', tool_name: 'email_delete_email', started_at: T0 + 1.35, completed_at: T0 + 1.4, duration_ms: 50, status: 'failed', error_type: 'http_422' },
  ],
  gaps: [
    { code: 'model_call_retried', invocation_id: 'root', detail: 'm1:attempts=3' },
    { code: 'max_steps_reached', invocation_id: 'root', detail: 'max_steps=3' },
    { code: 'resolution_unavailable', invocation_id: 'root', detail: null },
  ],
};

describe('buildTimeline', () => {
  it('puts model and tool calls on one axis, with retries, errors, cuts and the max_steps stop', () => {
    const view = buildTimeline(trajectory, conversation);
    if (view.kind !== 'timeline') throw new Error('expected a timeline');
    expect(view.items.map((i) => [i.kind, i.label, Math.round(i.startMs!), i.turn, i.step, i.status])).toEqual([
      ['model', 'model call 1', 0, 1, null, 'ok'],
      ['tool', 'email_search_emails', 850, 1, 1, 'ok'],
      ['model', 'model call 2', 1000, 2, null, 'ok'],
      ['tool', 'email_delete_email', 1350, 2, 2, 'error'],
      ['model', 'model call 3', 1500, 3, null, 'cut'],
    ]);
    expect(view.items[0]!.attempts).toBe(3);
    expect(view.items[2]!.attempts).toBeNull();
    expect(view.items[3]!.problem).toBe('HTTP 422');
    expect(view.items[4]!.problem).toBe('cut at max_output_tokens');
    expect(view.items[0]!.tokens).toEqual({ prompt: 1200, completion: 40, reasoning: 12, cached: null });
    expect(view.totalMs).toBe(2500);
    expect(view.status).toBe('incomplete');
    expect(view.stop).toMatchObject({ code: 'max_steps_reached', text: expect.stringContaining('max_steps (3)') });
    // Retries are on their calls, not repeated as gaps.
    expect(view.gaps.map((g) => g.code)).toEqual(['resolution_unavailable']);
  });

  it('a failed model call shows its HTTP status and category', () => {
    const view = buildTimeline({ ...trajectory, model_calls: [modelCall('m1', 0, 100, { status_code: 429, error_category: 'rate_limit' })], tool_calls: [] }, []);
    expect(view.kind === 'timeline' && view.items[0]).toMatchObject({ status: 'error', problem: 'HTTP 429 (rate limit)' });
  });

  it('rows without ng_trajectory say why there is no timeline', () => {
    expect(buildTimeline(undefined, [])).toEqual({ kind: 'absent', reason: NO_TRAJECTORY });
    expect(buildTimeline('x', []).kind).toBe('absent');
  });

  it('an agent that reported nothing: untimed tool calls in turn order and the gap that says so', () => {
    const view = buildTimeline(
      { task_id: '0', rollout_id: '0-0', tool_calls: [{ invocation_id: 'root', tool_call_id: 'call_b', tool_name: 'b', status: 'unknown' }, { invocation_id: 'root', tool_call_id: 'call_a', tool_name: 'a', status: 'unknown' }], gaps: [{ code: 'agent_trajectory_unavailable', detail: 'oracle' }] },
      conversation,
    );
    if (view.kind !== 'timeline') throw new Error('expected a timeline');
    expect(view.items.map((i) => [i.label, i.startMs, i.step])).toEqual([['a', null, 1], ['b', null, 2]]);
    expect(view.gaps[0]!.text).toContain('reported no trajectory');
  });
});
