import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TITLE_MAX_CHARS, summarizeLine, type LineSummary } from '../../../src/core/viewer/line_summary';
import { isErrorToolOutput, isStateChangingTool } from '../../../src/core/viewer/tool_calls';
import { EXAMPLE_ROLLOUTS_PATH as EXAMPLE } from '../../support/fake_openai/shared_data';
import { generateRolloutSet, makeRollout, makeTask, Random, serialize, type JsonFormat } from '../../support/rollout_fixtures';

type Json = Record<string, unknown>;

/** What the scanner should find, computed the slow and obvious way. */
function reference(line: string): Partial<LineSummary> {
  const record = JSON.parse(line) as Json;
  const response = (record.response ?? {}) as Json;
  const output = (response.output ?? []) as Json[];
  let turns = 0;
  let inRun = false;
  let toolErrors = 0;
  for (const item of output) {
    if (item.type === 'function_call_output') {
      inRun = false;
      if (isErrorToolOutput(String(item.output))) toolErrors++;
    } else {
      if (!inRun) turns++;
      inRun = true;
    }
  }
  const calls = output.filter((item) => item.type === 'function_call');
  const input = ((record.responses_create_params as Json).input ?? []) as Json[];
  const user = Array.isArray(input) ? input.find((m) => m.role === 'user') : null;
  const usage = (response.usage ?? {}) as Json;
  return {
    reward: typeof record.reward === 'number' ? record.reward : Number.NaN,
    taskIndex: typeof record._ng_task_index === 'number' ? record._ng_task_index : -1,
    rolloutIndex: typeof record._ng_rollout_index === 'number' ? record._ng_rollout_index : -1,
    taskId: record.id === undefined ? null : String(record.id),
    category: typeof record.category === 'string' ? record.category : null,
    title: user ? String(user.content).replace(/\s+/g, ' ').trim().slice(0, TITLE_MAX_CHARS) : null,
    turns,
    toolCalls: calls.length,
    stateChangingCalls: calls.filter((c) => isStateChangingTool(String(c.name))).length,
    toolErrors,
    inputTokens: typeof usage.input_tokens === 'number' ? usage.input_tokens : Number.NaN,
    outputTokens: typeof usage.output_tokens === 'number' ? usage.output_tokens : Number.NaN,
    hasGroundTruth: record.ground_truth !== undefined && record.ground_truth !== null,
    hasRewardExplanation: typeof record.reward_explanation === 'object' && record.reward_explanation !== null,
    broken: null,
  };
}

function summarize(line: string): LineSummary {
  const b = Buffer.from(line, 'utf8');
  return summarizeLine(b, 0, b.length);
}

describe('summarizeLine', () => {
  it('reads the real example rollouts like JSON.parse does', () => {
    const lines = readFileSync(EXAMPLE, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(5);
    const summaries = lines.map(summarize);
    for (const [k, line] of lines.entries()) expect(summaries[k]).toMatchObject(reference(line));
    expect(summaries.map((s) => s.reward)).toEqual([0, 1, 1, 1, 1]);
    expect(summaries.map((s) => s.toolCalls)).toEqual([1, 1, 2, 2, 2]);
    expect(summaries[0]?.title).toBe('Create a bar chart of total visits since November 30');
  });

  for (const format of ['python', 'compact'] as JsonFormat[]) {
    it(`agrees with JSON.parse on generated ${format} lines`, () => {
      const set = generateRolloutSet({ tasks: 10, repeats: 3, withIndices: true, datasetFields: true, reasoning: true, format, seed: 11 });
      for (const line of set.lines) expect(summarize(line)).toMatchObject(reference(line));
    });
  }

  it('records the byte ranges of the input messages and the output items', () => {
    const line = serialize(makeRollout({ task: makeTask(0, new Random(1)), datasetFields: true }), 'compact');
    const s = summarize(line);
    const record = JSON.parse(line) as Json;
    const b = Buffer.from(line);
    expect(JSON.parse(b.toString('utf8', s.inputStart, s.inputEnd))).toEqual((record.responses_create_params as Json).input);
    expect(JSON.parse(b.toString('utf8', s.outputStart, s.outputEnd))).toEqual((record.response as Json).output);
  });

  it('is not fooled by keys inside strings or nested objects', () => {
    const line = JSON.stringify({
      response: { output: [{ type: 'function_call_output', call_id: 'c', output: '{"reward": 5, "_ng_task_index": 9}' }] },
      reward_explanation: { reward: 1, tables: [], skippedPredictedCalls: [], skippedGroundTruthCalls: [], summary: '' },
      nested: { reward: 7, id: 'inner', category: 'inner' },
      reward: 0.25,
      id: 'outer',
    });
    const s = summarize(line);
    expect(s.reward).toBe(0.25);
    expect(s.taskIndex).toBe(-1);
    expect(s.taskId).toBe('outer');
    expect(s.category).toBeNull();
    expect(s.hasRewardExplanation).toBe(true);
  });

  it('reads Unicode titles written raw (orjson) and ASCII-escaped (json.dumps) alike', () => {
    const task = { ...makeTask(1, new Random(2)), prompt: 'Réserve une réunion avec 陈 🙂 demain' };
    const compact = summarize(serialize(makeRollout({ task }), 'compact'));
    const python = summarize(serialize(makeRollout({ task }), 'python'));
    expect(compact.title).toBe(task.prompt);
    expect(python.title).toBe(task.prompt);
  });

  it('shortens long titles and reads message content given as parts', () => {
    const long = 'word '.repeat(200);
    const line = JSON.stringify({ responses_create_params: { input: [{ role: 'user', content: [{ type: 'input_text', text: long }] }] }, response: {}, reward: 1 });
    const title = summarize(line).title ?? '';
    expect(title.length).toBe(TITLE_MAX_CHARS);
    expect(title.endsWith('…')).toBe(true);
    expect(summarize(JSON.stringify({ responses_create_params: { input: 'just a string' }, reward: 1 })).title).toBe('just a string');
  });

  it('flags failed responses and tool errors', () => {
    const incomplete = summarize(JSON.stringify({ response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [] }, reward: 0 }));
    expect(incomplete.responseError).toBe('incomplete: max_output_tokens');
    const failed = summarize(JSON.stringify({ response: { status: 'failed', error: { code: 'x', message: 'upstream 500' }, output: [] } }));
    expect(failed.responseError).toBe('error: upstream 500');
    const tools = summarize(
      JSON.stringify({
        response: {
          status: 'completed',
          output: [
            { type: 'function_call', name: 'email_delete_email', call_id: 'a', arguments: '{}' },
            { type: 'function_call_output', call_id: 'a', output: '{"output":"Email not found."}' },
            { type: 'function_call', name: 'x', call_id: 'b', arguments: '{' },
            { type: 'function_call_output', call_id: 'b', output: '{"error": "Invalid tool call arguments: JSONDecodeError(...)"}' },
            { type: 'function_call', name: 'email_search_emails', call_id: 'c', arguments: '{}' },
            { type: 'function_call_output', call_id: 'c', output: '{"output":{"emails":[]}}' },
          ],
        },
      }),
    );
    expect(tools.responseError).toBeNull();
    expect(tools.toolErrors).toBe(2);
    expect(tools.toolCalls).toBe(3);
    expect(tools.stateChangingCalls).toBe(1);
    expect(tools.turns).toBe(3);
  });

  it('reports lines that are not JSON objects', () => {
    expect(summarize('{"reward": 1').broken).toBe('not valid JSON');
    expect(summarize('not json at all').broken).toBe('not valid JSON');
    expect(summarize('[1, 2, 3]').broken).toBe('not a JSON object');
    expect(summarize('42').broken).toBe('not a JSON object');
    expect(summarize('{"reward": 1} trailing').broken).toBe('not valid JSON');
    expect(summarize('  {"reward": 1}  ').broken).toBeNull();
  });
});
