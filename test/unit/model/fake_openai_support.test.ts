import { describe, expect, it } from 'vitest';
import { FaultSchedule, seededRandom } from '../../support/fake_openai/faults.js';
import {
  EXAMPLE_ROLLOUTS_PATH,
  EXAMPLE_ROLLOUTS_TASKS_PATH,
  describeRequest,
  fixedScript,
  loadRecordedRollouts,
  oracleScript,
  replayRecordedRollouts,
} from '../../support/fake_openai/index.js';

describe('fake OpenAI support: recorded rollouts', () => {
  it('splits the 5 recorded rollouts into their model turns', () => {
    const rollouts = loadRecordedRollouts(EXAMPLE_ROLLOUTS_PATH);
    expect(rollouts.map((rollout) => rollout.turns.length)).toEqual([2, 2, 3, 3, 3]);
    expect(rollouts.map((rollout) => rollout.reward)).toEqual([0, 1, 1, 1, 1]);
    expect(rollouts[0]!.userText).toBe('Create a bar chart of total visits since November 30');
    expect(rollouts[2]!.turns[0]!.toolOutputs).toHaveLength(1);
  });

  it('replay picks the turn by the number of tool outputs, and refuses unknown conversations', async () => {
    const script = replayRecordedRollouts(EXAMPLE_ROLLOUTS_PATH);
    const request = (count: number, text = 'Delete Casey Wilson from the crm') =>
      describeRequest('chat', { messages: [{ role: 'user', content: text }, ...Array.from({ length: count }, () => ({ role: 'tool', content: 'x' }))] }, 0);
    expect(await script(request(1))).toMatchObject({ items: [{ type: 'function_call', name: 'customer_relationship_manager_delete_customer' }] });
    expect(await script(request(3))).toMatchObject({ raw: { status: 400 } });
    expect(await script(request(0, 'unknown'))).toMatchObject({ raw: { status: 400 } });
  });
});

describe('fake OpenAI support: scripts', () => {
  it('the oracle calls each ground-truth tool, then answers', async () => {
    const script = oracleScript(EXAMPLE_ROLLOUTS_TASKS_PATH);
    const request = (count: number) => describeRequest('responses', { input: [{ role: 'user', content: 'Delete Casey Wilson from the crm' }, ...Array.from({ length: count }, () => ({ type: 'function_call_output', call_id: 'c', output: 'x' }))] }, 0);
    expect(await script(request(0))).toEqual({
      items: [{ type: 'function_call', name: 'customer_relationship_manager_delete_customer', arguments: '{"customer_id":"00000014"}', callId: 'call_oracle_0' }],
    });
    expect(await script(request(1))).toMatchObject({ items: [{ type: 'message' }] });
  });

  it('the fixed script makes 4 turns with 3 tool calls', async () => {
    const script = fixedScript();
    const kinds = [];
    for (let count = 0; count < 4; count += 1) {
      const reply = await script(describeRequest('responses', { input: Array.from({ length: count }, () => ({ type: 'function_call_output', call_id: 'c', output: 'x' })) }, count));
      kinds.push('items' in reply ? reply.items.map((item) => item.type).join() : 'raw');
    }
    expect(kinds).toEqual(['function_call', 'function_call', 'function_call', 'message']);
  });
});

describe('fake OpenAI support: fault schedule', () => {
  it('the seeded RNG repeats', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  it('picks faults by index, by decision, and at random with a seed', () => {
    const indexed = new FaultSchedule({ byRequestIndex: { 1: { kind: 'server_error' } } });
    expect([indexed.next('responses', {}), indexed.next('responses', {}), indexed.next('responses', {})]).toEqual([undefined, { kind: 'server_error' }, undefined]);
    const decided = new FaultSchedule({ decide: ({ planRequestIndex }) => (planRequestIndex === 0 ? { kind: 'malformed_json' } : undefined) });
    expect(decided.next('chat', {})).toEqual({ kind: 'malformed_json' });
    const draw = () => {
      const schedule = new FaultSchedule({ random: { probability: 0.5, seed: 7, faults: [{ kind: 'rate_limit' }, { kind: 'server_error' }] } });
      return Array.from({ length: 20 }, () => schedule.next('responses', {})?.kind ?? 'none');
    };
    const first = draw();
    expect(draw()).toEqual(first);
    expect(first).toContain('none');
    expect(first.some((kind) => kind !== 'none')).toBe(true);
  });
});
