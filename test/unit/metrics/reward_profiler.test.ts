import { describe, expect, it } from 'vitest';
import { localAggregateMetrics, strippedResult } from '../../../src/core/collect/aggregate';
import { pairwiseSum } from '../../../src/core/metrics/pandas_describe';
import { rewardProfileTexts } from '../../../src/core/metrics/reward_profile_files';
import { computeAggregateMetrics, profileCompletionSummary, profileFromData, RewardProfileError } from '../../../src/core/metrics/reward_profiler';
import { dumpOrjson } from '../../../src/core/python/json_dump';
import { parsePythonJson } from '../../../src/core/python/json_parse';
import { pyDict, type PyDict } from '../../../src/core/python/value';
import { readNemoGymMetricsFile } from '../../support/paths';

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');
const dicts = (text: string) => lines(text).map((line) => parsePythonJson(line) as PyDict);

/** What `gym eval aggregate` computes from a rollout file: results in key order, grouped by agent, stripped. */
function aggregateFile(text: string): string {
  const sorted = lines(text)
    .map((line) => ({ line, value: JSON.parse(line) as { _ng_task_index: number; _ng_rollout_index: number } }))
    .sort((a, b) => a.value._ng_task_index - b.value._ng_task_index || a.value._ng_rollout_index - b.value._ng_rollout_index);
  const byAgent = new Map<string, string[]>();
  for (const { line } of sorted) {
    const { agent, text: stripped } = strippedResult(line);
    byAgent.set(agent, [...(byAgent.get(agent) ?? []), stripped]);
  }
  const entries = [...byAgent].map(([agent, texts]) => {
    const metrics = localAggregateMetrics(texts);
    return pyDict([
      ['agent_ref', pyDict([['name', agent]])],
      ['agent_metrics', metrics.get('agent_metrics')!],
      ['key_metrics', metrics.get('key_metrics')!],
      ['group_level_metrics', metrics.get('group_level_metrics')!],
    ]);
  });
  return dumpOrjson(entries, { indent2: true });
}

describe('aggregate metrics, byte for byte as NeMo Gym wrote them', () => {
  for (const name of ['blackjack', 'example_multi_turn_gymnasium', 'grl_tetris']) {
    it(name, () => {
      expect(aggregateFile(readNemoGymMetricsFile(`${name}_rollouts.jsonl`))).toBe(readNemoGymMetricsFile(`${name}_rollouts_aggregate_metrics.json`));
    });
  }
});

describe('reward profile (gym eval profile), byte for byte as NeMo Gym wrote it', () => {
  it('longmt_eval: <stem>_reward_profiling.jsonl and <stem>_agent_metrics.json', () => {
    const rows = dicts(readNemoGymMetricsFile('longmt_eval_rollouts_materialized_inputs.jsonl.gz'));
    const results = dicts(readNemoGymMetricsFile('longmt_eval_rollouts.jsonl.gz'));
    const texts = rewardProfileTexts(profileFromData(rows, results));
    expect(texts.rewardProfiling).toBe(readNemoGymMetricsFile('longmt_eval_rollouts_reward_profiling.jsonl.gz'));
    expect(texts.agentMetrics).toBe(readNemoGymMetricsFile('longmt_eval_rollouts_agent_metrics.json.gz'));
  });
});

describe('pandas semantics', () => {
  const metrics = (responses: string[]) => dumpOrjson(computeAggregateMetrics(responses.map((text) => parsePythonJson(text) as PyDict)).get('agent_metrics')!);

  it('ints stay ints in max/min when every column is int64, and turn float beside a float column', () => {
    expect(metrics(['{"_ng_task_index":0,"_ng_rollout_index":0,"reward":1}', '{"_ng_task_index":0,"_ng_rollout_index":1,"reward":0}'])).toBe(
      '{"mean/reward":0.5,"max/reward":1,"min/reward":0,"median/reward":0.5,"std/reward":0.7071067811865476}',
    );
    expect(metrics(['{"_ng_task_index":0,"_ng_rollout_index":0,"reward":1.0,"n":3}', '{"_ng_task_index":1,"_ng_rollout_index":0,"reward":0.0,"n":4}'])).toBe(
      '{"mean/reward":0.5,"mean/n":3.5,"max/reward":1.0,"max/n":4.0,"min/reward":0.0,"min/n":3.0,"median/reward":0.5,"median/n":3.5,"std/reward":0.7071067811865476,"std/n":0.7071067811865476}',
    );
  });

  it('a field some rollouts lack is float64, skipped where missing; a lone value has std 0 only when every std is missing', () => {
    const group = computeAggregateMetrics(
      ['{"_ng_task_index":0,"_ng_rollout_index":0,"reward":1.0,"x":2}', '{"_ng_task_index":0,"_ng_rollout_index":1,"reward":0.0}'].map((t) => parsePythonJson(t) as PyDict),
    ).get('group_level_metrics') as PyDict[];
    const text = dumpOrjson(group[0]!);
    expect(text).toContain('"mean/x":2.0,"max/reward":1.0,"max/x":2.0');
    expect(text).not.toContain('std/x'); // std of one value is NaN, and reward's std is not: NaN is dropped
    const single = computeAggregateMetrics([parsePythonJson('{"_ng_task_index":0,"_ng_rollout_index":0,"reward":1.0,"x":2}') as PyDict]);
    expect(dumpOrjson(single.get('agent_metrics')!)).toContain('"std/reward":0.0,"std/x":0.0');
  });

  it('booleans count as ints; rollout_infos put reward first, then usage, then the other numbers', () => {
    const group = computeAggregateMetrics([parsePythonJson('{"_ng_task_index":0,"_ng_rollout_index":0,"ok":true,"reward":1.0,"response":{"usage":{"input_tokens":5}}}') as PyDict]).get(
      'group_level_metrics',
    ) as PyDict[];
    expect(dumpOrjson(group[0]!.get('rollout_infos')!)).toBe('[{"rollout_id":"0:0","_ng_task_index":0,"_ng_rollout_index":0,"reward":1.0,"input_tokens":5,"ok":1}]');
  });

  it("numpy's pairwise summation (not a running sum) from 8 values on", () => {
    const values = [1e16, 1, 1, 1, 1, 1, 1, 1, -1e16];
    expect(values.reduce((a, b) => a + b, 0)).toBe(0); // a running sum loses each 1 against 1e16
    expect(pairwiseSum(values)).toBe(6); // ((1e16 + 1) + (1 + 1)) + ((1 + 1) + (1 + 1)), then the ninth
    expect(pairwiseSum(values.slice(0, 7))).toBe(1e16); // below 8 values numpy adds in order
  });

  it('no rollouts: empty metrics, as NeMo Gym answers', () => {
    expect(dumpOrjson(computeAggregateMetrics([]))).toBe('{"group_level_metrics":[],"agent_metrics":{},"key_metrics":{}}');
  });
});

describe('profile alignment', () => {
  const row = (t: number, r: number) => parsePythonJson(`{"_ng_task_index":${t},"_ng_rollout_index":${r},"agent_ref":{"name":"a"},"responses_create_params":{"temperature":1.0}}`) as PyDict;
  const result = (t: number, r: number, reward: string) => parsePythonJson(`{"_ng_task_index":${t},"_ng_rollout_index":${r},"reward":${reward},"response":{}}`) as PyDict;

  it('a missing rollout is an error naming the keys, unless partial rollouts are allowed', () => {
    expect(() => profileFromData([row(0, 0), row(0, 1)], [result(0, 0, '1.0')])).toThrow(
      new RewardProfileError(
        'Materialized input rows and rollout results do not have matching rollout keys. Missing rollout results for 1 materialized input rows. Missing rollout keys: [(0, 1)].\n\nUse ++allow_partial_rollouts=True to profile completed rollouts from a partial collection.',
      ),
    );
    const profile = profileFromData([row(0, 0), row(0, 1)], [result(0, 0, '1.0')], true);
    expect(dumpOrjson(profile.groupLevelMetrics[0]!)).toContain('"sample":{"agent_ref":{"name":"a"},"responses_create_params":{"temperature":1.0}},"num_rollouts":1,"expected_num_rollouts":2,"missing_num_rollouts":1,"reward_profile_completion_pct":50.0');
    expect(profileCompletionSummary([row(0, 0), row(0, 1), row(1, 0)], [result(0, 0, '1.0')])).toMatchObject({ completed_rollout_rows: 1, expected_rollout_rows: 3, partial_input_rows: 1, missing_input_rows: 1 });
  });

  it('a duplicate key and a result without an input row are errors', () => {
    expect(() => profileFromData([row(0, 0)], [result(0, 0, '1.0'), result(0, 0, '0.0')])).toThrow('Duplicate result row for rollout key (0, 0)');
    expect(() => profileFromData([row(0, 0)], [result(0, 0, '1.0'), result(3, 1, '0.0')])).toThrow('Found 1 extra rollout rows. Extra rollout keys: [(3, 1)]');
  });
});

describe('strippedResult', () => {
  it('keeps every field but the conversation, numbers as written, and response.usage at the end', () => {
    const line = '{"responses_create_params":{"input":[]},"response":{"id":"r","output":[{"t":"a \\"}\\" b"}],"usage":{"input_tokens":3,"total_tokens":4}},"reward":1.0,"id":7,"reward_explanation":{"x":1},"_ng_task_index":2,"_ng_rollout_index":0,"agent_ref":{"name":"ag"}}';
    expect(strippedResult(line)).toEqual({ agent: 'ag', text: '{"reward":1.0,"id":7,"_ng_task_index":2,"_ng_rollout_index":0,"agent_ref":{"name":"ag"},"response":{"usage":{"input_tokens":3,"total_tokens":4}}}' });
    expect(strippedResult('{ "reward" : 0.0 , "response" : { "usage" : { } } }').text).toBe('{"reward" : 0.0}');
  });
});
