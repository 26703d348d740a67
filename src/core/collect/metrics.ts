/**
 * Aggregate metrics as NeMo Gym computes them for `/aggregate_metrics` and `<stem>_aggregate_metrics.json`
 * (NEMO_GYM_PROTOCOL.md §5.8): `<stat>/<field>` for mean, max, min, median and std (sample std, ddof=1) over
 * the numeric top-level fields of each result (booleans as ints) plus the ints in `response.usage`.
 * We add unbiased pass@k for the reward when tasks have repeats.
 */
import { isPassingReward, passAtK } from '../reward';

export type MetricsRecord = Record<string, number>;

export interface GroupLevelMetrics extends Record<string, unknown> {
  _ng_task_index: number;
  num_rollouts: number;
  expected_num_rollouts: number;
  missing_num_rollouts: number;
  reward_profile_completion_pct: number;
  rollout_infos: Array<Record<string, unknown>>;
}

export interface AggregateMetrics {
  group_level_metrics: GroupLevelMetrics[];
  agent_metrics: MetricsRecord;
  key_metrics: MetricsRecord;
}

const EXCLUDED_FIELDS = new Set(['id']);

/** The numeric fields of one result that metrics are computed over. */
export function numericFields(result: Record<string, unknown>): Map<string, number> {
  const fields = new Map<string, number>();
  for (const [key, value] of Object.entries(result)) {
    if (key.startsWith('_ng_') || EXCLUDED_FIELDS.has(key)) continue;
    if (typeof value === 'number' && Number.isFinite(value)) fields.set(key, value);
    else if (typeof value === 'boolean') fields.set(key, value ? 1 : 0);
  }
  const response = result.response;
  if (response && typeof response === 'object' && 'usage' in response) {
    const usage = (response as { usage?: unknown }).usage;
    if (usage && typeof usage === 'object') {
      for (const [key, value] of Object.entries(usage)) {
        if (typeof value === 'number' && Number.isInteger(value) && !fields.has(key)) fields.set(key, value);
      }
    }
  }
  return fields;
}

function statistics(rows: Array<Map<string, number>>): MetricsRecord {
  const byField = new Map<string, number[]>();
  for (const row of rows) {
    for (const [key, value] of row) {
      let values = byField.get(key);
      if (!values) byField.set(key, (values = []));
      values.push(value);
    }
  }
  const stats: MetricsRecord = {};
  const stds: Array<[string, number]> = [];
  for (const [field, values] of byField) {
    const sorted = [...values].sort((a, b) => a - b);
    const n = values.length;
    const mean = values.reduce((sum, v) => sum + v, 0) / n;
    stats[`mean/${field}`] = mean;
    stats[`max/${field}`] = sorted[n - 1]!;
    stats[`min/${field}`] = sorted[0]!;
    stats[`median/${field}`] = n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
    const std = n > 1 ? Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1)) : Number.NaN;
    stds.push([`std/${field}`, std]);
  }
  const allNaN = stds.every(([, std]) => Number.isNaN(std));
  for (const [key, std] of stds) stats[key] = allNaN ? 0 : Number.isNaN(std) ? 0 : std;
  return stats;
}


export function computeAggregateMetrics(results: Array<Record<string, unknown>>): AggregateMetrics {
  const groups = new Map<number, Array<Record<string, unknown>>>();
  for (const result of results) {
    const taskIndex = typeof result._ng_task_index === 'number' ? result._ng_task_index : -1;
    let group = groups.get(taskIndex);
    if (!group) groups.set(taskIndex, (group = []));
    group.push(result);
  }
  const expected = Math.max(0, ...[...groups.values()].map((g) => g.length));
  const groupLevel: GroupLevelMetrics[] = [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([taskIndex, group]) => {
      const rows = group.map(numericFields);
      return {
        ...statistics(rows),
        _ng_task_index: taskIndex,
        sample: { agent_ref: { name: 'agent' } },
        num_rollouts: group.length,
        expected_num_rollouts: expected,
        missing_num_rollouts: expected - group.length,
        reward_profile_completion_pct: expected === 0 ? 100 : (100 * group.length) / expected,
        rollout_infos: group.map((result, i) => ({
          rollout_id: `${taskIndex}:${typeof result._ng_rollout_index === 'number' ? result._ng_rollout_index : i}`,
          _ng_task_index: taskIndex,
          _ng_rollout_index: result._ng_rollout_index ?? i,
          ...Object.fromEntries(rows[i]!),
        })),
      };
    });
  const agentMetrics = statistics(results.map(numericFields));
  Object.assign(agentMetrics, passAtKMetrics(groups));
  const keyMetrics: MetricsRecord = {};
  for (const [key, value] of Object.entries(agentMetrics)) if (key.startsWith('mean/') || key.startsWith('pass@')) keyMetrics[key] = value;
  return { group_level_metrics: groupLevel, agent_metrics: agentMetrics, key_metrics: keyMetrics };
}

/** `pass@k/reward` (percent) for k = 1 and k = the repeat count, when every reward is 0 or 1 and tasks repeat. */
function passAtKMetrics(groups: Map<number, Array<Record<string, unknown>>>): MetricsRecord {
  // A loop, not Math.min(...sizes): spreading one argument per task overflows the stack on large runs.
  let repeats = Infinity;
  for (const group of groups.values()) repeats = Math.min(repeats, group.length);
  if (groups.size === 0 || repeats < 2) return {};
  const rewards = [...groups.values()].map((g) => g.map((r) => r.reward));
  if (!rewards.every((rs) => rs.every((r) => r === 0 || r === 1))) return {};
  const metrics: MetricsRecord = {};
  for (const k of new Set([1, repeats])) {
    const perTask = rewards.map((rs) => passAtK(rs.length, rs.filter((r) => isPassingReward(r as number)).length, k));
    metrics[`pass@${k}/reward`] = (100 * perTask.reduce((s, v) => s + v, 0)) / perTask.length;
  }
  return metrics;
}
