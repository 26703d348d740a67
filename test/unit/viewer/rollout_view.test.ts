import { describe, expect, it } from 'vitest';
import type { RolloutLine } from '../../../src/core/viewer/rollout_index';
import { buildRolloutView, type RolloutViewContext } from '../../../src/core/viewer/rollout_view';
import { makeRollout, makeTask, Random, serialize, xssRollout } from '../../support/rollout_fixtures';

const context: RolloutViewContext = { role: 'primary', inputRecord: null, joinedTaskId: null, joinedCategory: null, responseError: null };

function lineOf(record: unknown, entry = 0): RolloutLine {
  const text = typeof record === 'string' ? record : JSON.stringify(record);
  let parsed: Record<string, unknown> | null;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = null;
  }
  return { entry, lineNumber: entry + 1, record: parsed, error: parsed ? null : 'not valid JSON', text };
}

describe('buildRolloutView', () => {
  it('lays the conversation out in order with numbered steps and their outputs', () => {
    const rng = new Random(7);
    const record = JSON.parse(serialize(makeRollout({ task: makeTask(1, rng), rng, reasoning: true, datasetFields: true, taskIndex: 3, rolloutIndex: 1 }), 'python'));
    const view = buildRolloutView(lineOf(record), context);
    const kinds = view.items.map((i) => i.kind);
    expect(kinds.slice(0, 3)).toEqual(['message', 'message', 'reasoning']);
    const calls = view.items.filter((i) => i.kind === 'call');
    const outputs = view.items.filter((i) => i.kind === 'output');
    expect(calls.map((c) => (c.kind === 'call' ? c.step : 0))).toEqual([1, 2, 3]);
    expect(outputs.map((o) => (o.kind === 'output' ? [o.step, o.name] : null))).toEqual([
      [1, 'company_directory_find_email_address'],
      [2, 'calendar_search_events'],
      [3, 'calendar_create_event'],
    ]);
    expect(calls.map((c) => (c.kind === 'call' ? c.stateChanging : null))).toEqual([false, false, true]);
    const first = outputs[0];
    expect(first?.kind === 'output' && first.output.json && first.output.text.startsWith('{\n  "output": [')).toBe(true);
    expect(view.items.at(-1)).toMatchObject({ kind: 'message', role: 'assistant', origin: 'output', turn: 4 });
    expect(view.header).toMatchObject({ reward: 1, taskIndex: 3, rolloutIndex: 1, taskId: '1', category: 'workplace_assistant_calendar', model: 'gpt-4.1-2025-04-14', toolCount: 27 });
    expect(view.header.usage?.cachedTokens).toBe(2048);
    expect(view.groundTruth).toMatchObject({ origin: 'rollout', kind: 'calls', readOnlyCalls: 2 });
    expect(view.groundTruth.rows.map((r) => r.status)).toEqual(['match']);
    expect(view.fields.map((f) => f.name)).toContain('environment_name');
    expect(view.fields.map((f) => f.name)).not.toContain('response');
  });

  it('shows the verifier explanation of a reward of 0, and flags an unexpected shape', () => {
    const rng = new Random(8);
    const record = JSON.parse(serialize(makeRollout({ task: makeTask(0, rng), rng, outcome: 'wrong-arguments', datasetFields: true }), 'compact'));
    const view = buildRolloutView(lineOf(record), context);
    expect(view.explanation?.kind).toBe('explanation');
    if (view.explanation?.kind === 'explanation') expect(view.explanation.explanation.tables[0]?.table).toBe('email');
    expect(view.groundTruth.rows.map((r) => r.status)).toEqual(['differs']);

    const invalid = buildRolloutView(lineOf({ ...record, reward_explanation: { reward: 'zero' } }), context);
    expect(invalid.explanation?.kind).toBe('invalid');
  });

  it('reads a string ground truth as "nothing may change"', () => {
    const rng = new Random(9);
    const task = { ...makeTask(0, rng), groundTruth: 'no action needed' };
    const view = buildRolloutView(lineOf(JSON.parse(serialize(makeRollout({ task, rng, datasetFields: true }), 'compact'))), context);
    expect(view.groundTruth.kind).toBe('no-changes');
    expect(view.groundTruth.text).toBe('no action needed');
  });

  it('takes the ground truth from the input row when the line has none', () => {
    const rng = new Random(10);
    const task = makeTask(2, rng);
    const record = JSON.parse(serialize(makeRollout({ task, rng }), 'compact'));
    const view = buildRolloutView(lineOf(record), { ...context, inputRecord: { ground_truth: [{ name: 'analytics_create_plot', arguments: '{}' }] }, joinedCategory: 'workplace_assistant_analytics', joinedTaskId: '2' });
    expect(view.groundTruth.origin).toBe('input');
    expect(view.header).toMatchObject({ category: 'workplace_assistant_analytics', categoryOrigin: 'input', taskId: '2' });
  });

  it('tolerates odd lines: string input, unknown items, non-JSON arguments, orphan outputs', () => {
    const view = buildRolloutView(
      lineOf({
        responses_create_params: { input: 'hello' },
        response: {
          output: [
            { type: 'web_search_call', id: 'ws' },
            { type: 'function_call', name: 'email_send_email', call_id: 'a', arguments: '{"recipient": ' },
            { type: 'function_call_output', call_id: 'zzz', output: 'plain text' },
            'not an object',
          ],
        },
        reward: 0,
      }),
      context,
    );
    expect(view.items.map((i) => i.kind)).toEqual(['message', 'other', 'call', 'output', 'other']);
    const call = view.items[2];
    expect(call?.kind === 'call' && call.arguments.json).toBe(false);
    const output = view.items[3];
    expect(output?.kind === 'output' && output.step).toBeNull();
    expect(view.groundTruth.kind).toBe('absent');
  });

  it('describes a broken line', () => {
    const view = buildRolloutView(lineOf('{"reward": 1,', 4), context);
    expect(view.broken).toBe('not valid JSON');
    expect(view.raw).toBe('{"reward": 1,');
    expect(view.lineNumber).toBe(5);
  });

  it('keeps markup in the data as plain strings', () => {
    const view = buildRolloutView(lineOf(JSON.parse(serialize(xssRollout(), 'compact'))), context);
    const user = view.items.find((i) => i.kind === 'message' && i.role === 'user');
    expect(user?.kind === 'message' && user.text).toContain('<script>window.__pwned=2');
    expect(view.header.category).toContain('<b onmouseover');
  });
});
