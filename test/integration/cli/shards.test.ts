import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli';
import { freePort } from '../../support/free_port';
import { readJsonl } from '../../support/jsonl';
import { REPO_ROOT } from '../../support/paths';

const TASKS = join(REPO_ROOT, 'examples/workplace_assistant/tasks.jsonl');

interface Row {
  _ng_task_index: number;
  _ng_rollout_index: number;
  reward: number;
}

const keyOf = (row: Row) => `${row._ng_task_index}:${row._ng_rollout_index}`;

/** `gym eval run` with the oracle agent (no model needed), servers started for the run on a free head port. */
async function evalRun(output: string, extra: string[]) {
  return runCli('gym', [
    'eval', 'run', '--environment', 'workplace_assistant', '-a', 'workplace_assistant_oracle_agent', '-i', TASKS, '-o', output,
    '--num-repeats', '2', `+head_server={host: 127.0.0.1, port: ${await freePort()}}`, ...extra,
  ]);
}

/**
 * Issue 10: `--num-shards N --shard-index I` splits a run by task index (all repeats of a task together), each shard
 * with its own files, and `gym eval aggregate` merges the shards into what one run writes.
 */
describe('shards: three shard processes plus aggregate equal one run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gym-shards-'));
  const single = join(dir, 'single.jsonl');
  const shard = (index: number) => join(dir, 'shards', `part-${index}.jsonl`);

  beforeAll(async () => {
    mkdirSync(join(dir, 'shards'));
    const results = await Promise.all([evalRun(single, []), ...[0, 1, 2].map((index) => evalRun(shard(index), ['--num-shards', '3', '--shard-index', String(index)]))]);
    for (const result of results) expect(result.code, result.stderr).toBe(0);
  });

  it('each shard holds the tasks whose index is its own modulo 3, every repeat of them, and says so in _shard.json', () => {
    const all = new Set<number>();
    for (const index of [0, 1, 2]) {
      const rows = readJsonl<Row>(shard(index));
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row._ng_task_index % 3).toBe(index);
      const tasks = new Set(rows.map((row) => row._ng_task_index));
      for (const task of tasks) expect(rows.filter((row) => row._ng_task_index === task).map((row) => row._ng_rollout_index).sort()).toEqual([0, 1]);
      tasks.forEach((task) => all.add(task));
      const inputs = readJsonl<Row>(shard(index).replace('.jsonl', '_materialized_inputs.jsonl'));
      expect(inputs.map(keyOf).sort()).toEqual(rows.map(keyOf).sort());
      const manifest = JSON.parse(readFileSync(shard(index).replace('.jsonl', '_shard.json'), 'utf8')) as Record<string, unknown>;
      expect(manifest).toMatchObject({ num_shards: 3, shard_index: index, total_rollouts: 24, shard_rollouts: rows.length });
    }
    expect(all.size).toBe(12);
  });

  it('aggregate merges them into the single run: same keys, rewards, materialized inputs and metrics', async () => {
    const merged = join(dir, 'merged.jsonl');
    const result = await runCli('gym', ['eval', 'aggregate', '-i', join(dir, 'shards/part-*.jsonl'), '-o', merged]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Aggregating 3 shard(s):');
    expect(result.stderr).not.toContain('not given');
    // The single run writes rollouts as they finish; aggregate writes them in key order.
    const byKey = (a: Row, b: Row) => a._ng_task_index - b._ng_task_index || a._ng_rollout_index - b._ng_rollout_index;
    const mergedRows = readJsonl<Row>(merged);
    const singleRows = readJsonl<Row>(single).sort(byKey);
    expect(mergedRows).toHaveLength(24);
    expect(mergedRows.map(keyOf)).toEqual(singleRows.map(keyOf));
    expect(mergedRows.map((row) => row.reward)).toEqual(singleRows.map((row) => row.reward));
    expect(readFileSync(join(dir, 'merged_materialized_inputs.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'single_materialized_inputs.jsonl'), 'utf8'));
    expect(JSON.parse(readFileSync(join(dir, 'merged_aggregate_metrics.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(join(dir, 'single_aggregate_metrics.json'), 'utf8')));
  });

  it('a partial set of shards is merged with a note naming the missing shard', async () => {
    const result = await runCli('gym', ['eval', 'aggregate', '-i', `${shard(0)},${shard(2)}`, '-o', join(dir, 'partial.jsonl')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('shard 1 of 3 not given');
  });

  it('an output that the glob matches is replaced when it is an earlier merge, refused when it is a shard', async () => {
    const copy = join(dir, 'rerun');
    mkdirSync(copy);
    for (const index of [0, 1, 2]) for (const suffix of ['.jsonl', '_materialized_inputs.jsonl', '_shard.json']) cpSync(shard(index).replace('.jsonl', suffix), join(copy, `part-${index}${suffix}`));
    const before = readFileSync(join(copy, 'part-0.jsonl'), 'utf8');
    const intoShard = await runCli('gym', ['eval', 'aggregate', '-i', join(copy, 'part-*.jsonl'), '-o', join(copy, 'part-0.jsonl')]);
    expect(intoShard.code).toBe(1);
    expect(intoShard.stderr).toContain(`The output ${join(copy, 'part-0.jsonl')} matches the shards' glob and holds 8 rollouts that none of the shards hold`);
    expect(readFileSync(join(copy, 'part-0.jsonl'), 'utf8')).toBe(before);
    // A merge run twice with an output the glob matches: the earlier merge is left out and replaced.
    for (let run = 0; run < 2; run++) {
      const again = await runCli('gym', ['eval', 'aggregate', '-i', join(copy, '*.jsonl'), '-o', join(copy, 'all.jsonl')]);
      expect(again.code, again.stderr).toBe(0);
      expect(readJsonl<Row>(join(copy, 'all.jsonl'))).toHaveLength(24);
    }
  });

  it('overlapping shards (the same shard twice) are refused, naming the files', async () => {
    const copy = join(dir, 'copy');
    mkdirSync(copy);
    for (const suffix of ['.jsonl', '_materialized_inputs.jsonl', '_shard.json']) cpSync(shard(1).replace('.jsonl', suffix), join(copy, `again${suffix}`));
    const result = await runCli('gym', ['eval', 'aggregate', '-i', `${shard(1)},${join(copy, 'again.jsonl')}`, '-o', join(dir, 'twice.jsonl')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Shard 1 of 3 is given twice: ${shard(1)} and ${join(copy, 'again.jsonl')}`);
  });

  it('shards of different inputs are refused although they share no task', async () => {
    const other = join(dir, 'other.jsonl');
    const run = await evalRun(other, ['--num-shards', '3', '--shard-index', '1', '--limit', '10']);
    expect(run.code, run.stderr).toBe(0);
    const result = await runCli('gym', ['eval', 'aggregate', '-i', `${shard(0)},${other}`, '-o', join(dir, 'mixed.jsonl')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('These shards are of different inputs');
    expect(result.stderr).toContain(shard(0));
    expect(result.stderr).toContain(other);
  });

  it('a shard resumes on its own, and only as the same shard', async () => {
    const resumed = join(dir, 'resumed.jsonl');
    for (const suffix of ['.jsonl', '_materialized_inputs.jsonl', '_shard.json']) cpSync(shard(2).replace('.jsonl', suffix), resumed.replace('.jsonl', suffix));
    const lines = readFileSync(resumed, 'utf8').split('\n').filter((line) => line !== '');
    writeFileSync(resumed, `${lines[0]}\n`);
    const wrong = await evalRun(resumed, ['--num-shards', '3', '--shard-index', '0', '--resume']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('This output holds shard 2 of 3; resuming it as shard 0 of 3');
    const again = await evalRun(resumed, ['--num-shards', '3', '--shard-index', '2', '--resume']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`Resuming: ${lines.length} rollouts in all, 1 already accounted for, ${lines.length - 1} to collect.`);
    expect(readJsonl<Row>(resumed).map(keyOf).sort()).toEqual(readJsonl<Row>(shard(2)).map(keyOf).sort());
  });

  it('a shard index out of range is a usage error naming the flag', async () => {
    const result = await runCli('gym', ['eval', 'run', '--no-serve', '-a', 'x', '-i', TASKS, '-o', join(dir, 'bad.jsonl'), '--num-shards', '3', '--shard-index', '3']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('shard_index=3 is out of range: with num_shards=3 it must be 0 to 2 (--shard-index / +shard_index)');
  });
});
