/**
 * NeMo Gym's `RewardProfiler` and `compute_aggregate_metrics` (nemo_gym/reward_profile.py): per-task and
 * per-agent statistics over rollout results, as `gym eval profile`, `/aggregate_metrics` and every
 * `<stem>_aggregate_metrics.json` carry them. Values are Python values (ints and floats kept apart, dicts in
 * insertion order) so that the files come out byte for byte as NeMo Gym writes them.
 */
import { isPyDict, PyFloat, pyDict, type PyDict, type PyValue } from '../python/value';
import { describeRows, type NumericColumn } from './pandas_describe';

export const TASK_INDEX = '_ng_task_index';
export const ROLLOUT_INDEX = '_ng_rollout_index';

/** A mistake in the rows or results (duplicate or unmatched rollout keys); the message is NeMo Gym's. */
export class RewardProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RewardProfileError';
  }
}

type RolloutKey = readonly [number, number];

function keyNumber(record: PyDict, field: string): number {
  const value = record.get(field);
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value);
  throw new RewardProfileError(`a row has no integer ${field} (${value === undefined ? 'missing' : JSON.stringify(value instanceof PyFloat ? value.value : value)})`);
}

export function rolloutKeyOf(record: PyDict): RolloutKey {
  return [keyNumber(record, TASK_INDEX), keyNumber(record, ROLLOUT_INDEX)];
}

const keyText = (key: RolloutKey) => `${key[0]}:${key[1]}`;
const pyTuple = (key: RolloutKey) => `(${key[0]}, ${key[1]})`;
const compareKeys = (a: RolloutKey, b: RolloutKey) => a[0] - b[0] || a[1] - b[1];

function indexByKey(records: readonly PyDict[], name: string): Map<string, { key: RolloutKey; record: PyDict }> {
  const indexed = new Map<string, { key: RolloutKey; record: PyDict }>();
  for (const record of records) {
    const key = rolloutKeyOf(record);
    if (indexed.has(keyText(key))) throw new RewardProfileError(`Duplicate ${name} row for rollout key ${pyTuple(key)}`);
    indexed.set(keyText(key), { key, record });
  }
  return indexed;
}

function sortedKeys(map: Map<string, { key: RolloutKey }>, keep: (text: string) => boolean): RolloutKey[] {
  return [...map].filter(([text]) => keep(text)).map(([, { key }]) => key).sort(compareKeys);
}

/** `align_rows_and_results`: the (row, result) pairs in key order. */
export function alignRowsAndResults(rows: readonly PyDict[], results: readonly PyDict[], allowPartialRollouts = false): Array<[PyDict, PyDict]> {
  const rowsByKey = indexByKey(rows, 'materialized input');
  const resultsByKey = indexByKey(results, 'result');
  const missingResults = sortedKeys(rowsByKey, (key) => !resultsByKey.has(key));
  const missingRows = sortedKeys(resultsByKey, (key) => !rowsByKey.has(key));
  const list = (keys: RolloutKey[]) => `[${keys.slice(0, 10).map(pyTuple).join(', ')}]`;
  if (missingRows.length > 0) {
    throw new RewardProfileError(
      'Rollout results contain rows with no matching materialized input rows. ' +
        `Found ${missingRows.length} extra rollout rows. Extra rollout keys: ${list(missingRows)}`,
    );
  }
  if (missingResults.length > 0 && !allowPartialRollouts) {
    throw new RewardProfileError(
      'Materialized input rows and rollout results do not have matching rollout keys. ' +
        `Missing rollout results for ${missingResults.length} materialized input rows. ` +
        `Missing rollout keys: ${list(missingResults)}.\n\n` +
        'Use ++allow_partial_rollouts=True to profile completed rollouts from a partial collection.',
    );
  }
  return sortedKeys(rowsByKey, (key) => resultsByKey.has(key)).map((key) => [rowsByKey.get(keyText(key))!.record, resultsByKey.get(keyText(key))!.record]);
}

export interface CompletionSummary {
  expected_rollout_rows: number;
  completed_rollout_rows: number;
  missing_rollout_rows: number;
  extra_rollout_rows: number;
  reward_profile_completion_pct: number;
  total_input_rows: number;
  complete_input_rows: number;
  partial_input_rows: number;
  missing_input_rows: number;
}

/** `profile_completion_summary`. */
export function profileCompletionSummary(rows: readonly PyDict[], results: readonly PyDict[]): CompletionSummary {
  const rowsByKey = indexByKey(rows, 'materialized input');
  const resultsByKey = indexByKey(results, 'result');
  const expectedByTask = new Map<number, number>();
  const completedByTask = new Map<number, number>();
  for (const [text, { key }] of rowsByKey) {
    expectedByTask.set(key[0], (expectedByTask.get(key[0]) ?? 0) + 1);
    if (resultsByKey.has(text)) completedByTask.set(key[0], (completedByTask.get(key[0]) ?? 0) + 1);
  }
  let complete = 0;
  let partial = 0;
  let missing = 0;
  for (const [task, expected] of expectedByTask) {
    const completed = completedByTask.get(task) ?? 0;
    if (completed === expected) complete++;
    else if (completed > 0) partial++;
    else missing++;
  }
  const completedRows = [...rowsByKey.keys()].filter((key) => resultsByKey.has(key)).length;
  return {
    expected_rollout_rows: rowsByKey.size,
    completed_rollout_rows: completedRows,
    missing_rollout_rows: rowsByKey.size - completedRows,
    extra_rollout_rows: [...resultsByKey.keys()].filter((key) => !rowsByKey.has(key)).length,
    reward_profile_completion_pct: rowsByKey.size === 0 ? 100 : (100 * completedRows) / rowsByKey.size,
    total_input_rows: expectedByTask.size,
    complete_input_rows: complete,
    partial_input_rows: partial,
    missing_input_rows: missing,
  };
}

/** Python's `isinstance(v, (int, float))` with bools as ints: the value, or undefined for anything else. */
function numericValue(value: PyValue | undefined): number | PyFloat | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof PyFloat) return value;
  return undefined;
}

function usageOf(result: PyDict): PyDict {
  const response = result.get('response');
  const usage = isPyDict(response ?? null) ? (response as PyDict).get('usage') : undefined;
  return usage !== undefined && isPyDict(usage) ? usage : pyDict();
}

/** `rollout_info_from_result`. */
export function rolloutInfoFromResult(result: PyDict): PyDict {
  const [task, rollout] = rolloutKeyOf(result);
  const info = pyDict([
    ['rollout_id', `${task}:${rollout}`],
    [TASK_INDEX, task],
    [ROLLOUT_INDEX, rollout],
  ]);
  if (result.has('reward')) info.set('reward', result.get('reward')!);
  for (const [key, value] of usageOf(result)) {
    const number = numericValue(value);
    if (number !== undefined) info.set(key, number);
  }
  for (const [key, value] of result) {
    if (key === TASK_INDEX || key === ROLLOUT_INDEX || key === 'reward' || key === 'response') continue;
    const number = numericValue(value);
    if (number !== undefined) info.set(key, number);
  }
  return info;
}

interface ProfileTable {
  columns: NumericColumn[];
  taskOf: number[];
  agentOf: string[];
}

/** `DataFrame.from_records` over the numeric fields of each `result | usage`. */
function numericTable(pairs: ReadonlyArray<[PyDict, PyDict]>): ProfileTable {
  const byName = new Map<string, { isFloat: boolean; values: number[] }>();
  const taskOf: number[] = [];
  const agentOf: string[] = [];
  pairs.forEach(([row, result], index) => {
    taskOf.push(rolloutKeyOf(row)[0]);
    const agentRef = row.get('agent_ref');
    const name = isPyDict(agentRef ?? null) ? (agentRef as PyDict).get('name') : undefined;
    agentOf.push(typeof name === 'string' ? name : String(name));
    const merged = new Map(result);
    for (const [key, value] of usageOf(result)) merged.set(key, value);
    for (const [key, value] of merged) {
      if (key === TASK_INDEX || key === ROLLOUT_INDEX) continue;
      const number = numericValue(value);
      if (number === undefined) continue;
      let column = byName.get(key);
      if (!column) byName.set(key, (column = { isFloat: false, values: new Array<number>(index).fill(NaN) }));
      column.values[index] = number instanceof PyFloat ? number.value : number;
      if (number instanceof PyFloat) column.isFloat = true;
    }
  });
  const columns = [...byName].map(([name, column]) => {
    while (column.values.length < pairs.length) column.values.push(NaN);
    for (let i = 0; i < column.values.length; i++) if (column.values[i] === undefined) column.values[i] = NaN;
    const isFloat = column.isFloat || column.values.some((value) => Number.isNaN(value));
    return { name, isFloat, values: column.values };
  });
  return { columns, taskOf, agentOf };
}

function groupRows<K>(keys: readonly K[], compare: (a: K, b: K) => number): Array<[K, number[]]> {
  const groups = new Map<K, number[]>();
  keys.forEach((key, row) => {
    const rows = groups.get(key);
    if (rows) rows.push(row);
    else groups.set(key, [row]);
  });
  return [...groups].sort(([a], [b]) => compare(a, b));
}

export interface ProfileResult {
  groupLevelMetrics: PyDict[];
  agentLevelMetrics: PyDict[];
}

/** `profile_from_data`: per-task metrics (with the task's first row as `sample` and its rollouts' infos) and per-agent metrics. */
export function profileFromData(rows: readonly PyDict[], results: readonly PyDict[], allowPartialRollouts = false): ProfileResult {
  const pairs = alignRowsAndResults(rows, results, allowPartialRollouts);
  if (pairs.length === 0) return { groupLevelMetrics: [], agentLevelMetrics: [] };
  const expectedByTask = new Map<number, number>();
  for (const row of rows) expectedByTask.set(rolloutKeyOf(row)[0], (expectedByTask.get(rolloutKeyOf(row)[0]) ?? 0) + 1);
  const table = numericTable(pairs);

  const groupLevelMetrics = groupRows(table.taskOf, (a, b) => a - b).map(([task, members]) => {
    const metrics = pyDict([[TASK_INDEX, task], ...describeRows(table.columns, members)]);
    const sample = new Map(pairs[members[0]!]![0]);
    sample.delete(TASK_INDEX);
    sample.delete(ROLLOUT_INDEX);
    const expected = expectedByTask.get(task) ?? 0;
    const infos = members.map((member) => rolloutInfoFromResult(pairs[member]![1]));
    infos.sort((a, b) => (a.get(ROLLOUT_INDEX) as number) - (b.get(ROLLOUT_INDEX) as number));
    metrics.set('sample', sample);
    metrics.set('num_rollouts', members.length);
    metrics.set('expected_num_rollouts', expected);
    metrics.set('missing_num_rollouts', expected - members.length);
    metrics.set('reward_profile_completion_pct', new PyFloat(expected === 0 ? 100 : (100 * members.length) / expected));
    metrics.set('rollout_infos', infos);
    return metrics;
  });

  const agentLevelMetrics = groupRows(table.agentOf, (a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(([agent, members]) =>
    pyDict([...describeRows(table.columns, members), ['agent_ref', pyDict([['name', agent]])]]),
  );
  return { groupLevelMetrics, agentLevelMetrics };
}

/** `compute_aggregate_metrics` with the default hooks (no `compute_metrics`, `key_metrics` = every `mean/*`). */
export function computeAggregateMetrics(verifyResponses: readonly PyDict[]): PyDict {
  if (verifyResponses.length === 0) {
    return pyDict([
      ['group_level_metrics', []],
      ['agent_metrics', pyDict()],
      ['key_metrics', pyDict()],
    ]);
  }
  const rows: PyDict[] = [];
  const results: PyDict[] = [];
  for (const response of verifyResponses) {
    rows.push(
      pyDict([
        [TASK_INDEX, response.get(TASK_INDEX) ?? 0],
        [ROLLOUT_INDEX, response.get(ROLLOUT_INDEX) ?? 0],
        ['agent_ref', pyDict([['name', 'agent']])],
      ]),
    );
    const withDefaults = new Map(response);
    for (const key of [TASK_INDEX, ROLLOUT_INDEX]) if (!withDefaults.has(key)) withDefaults.set(key, 0);
    if (!withDefaults.has('response')) withDefaults.set('response', pyDict());
    results.push(withDefaults);
  }
  const { groupLevelMetrics, agentLevelMetrics } = profileFromData(rows, results);
  const agentMetrics = pyDict();
  for (const entry of agentLevelMetrics) for (const [key, value] of entry) if (key !== 'agent_ref') agentMetrics.set(key, value);
  const keyMetrics = pyDict([...agentMetrics].filter(([key]) => key.startsWith('mean/')));
  return pyDict([
    ['group_level_metrics', groupLevelMetrics],
    ['agent_metrics', agentMetrics],
    ['key_metrics', keyMetrics],
  ]);
}
