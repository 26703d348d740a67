import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAggregateMetrics, readFailureSummary, sidecarPaths } from '../../../src/core/viewer/sidecars';
import { makeTempDir } from '../../support/rollout_fixtures';

describe('sidecars', () => {
  it('derives the sidecar names from the rollout file stem', () => {
    expect(sidecarPaths('/runs/rollouts.jsonl')).toEqual({
      materializedInputs: '/runs/rollouts_materialized_inputs.jsonl',
      failures: '/runs/rollouts_failures.jsonl',
      aggregateMetrics: '/runs/rollouts_aggregate_metrics.json',
    });
  });

  it('counts failures by class, tolerating classes it does not know and bad lines', async () => {
    const path = join(makeTempDir(), 'r_failures.jsonl');
    writeFileSync(
      path,
      [
        JSON.stringify({ _ng_task_index: 1, _ng_rollout_index: 0, _ng_failure_class: 'model_timeout', _ng_failure_message: 'slow', _ng_failure_terminal: true }),
        JSON.stringify({ _ng_task_index: 2, _ng_rollout_index: 1, _ng_failure_class: 'model_timeout', _ng_failure_message: 'slow again' }),
        JSON.stringify({ _ng_task_index: 3, _ng_rollout_index: 0, _ng_failure_class: 'judge_refused', _ng_failure_message: 'a class from a newer collector' }),
        '{"not": "a failure"}',
        'garbage',
        '',
      ].join('\n'),
    );
    const summary = await readFailureSummary(path);
    expect(summary?.total).toBe(3);
    expect(summary?.unreadable).toBe(2);
    expect(summary?.byClass).toEqual([
      { failureClass: 'model_timeout', count: 2, terminal: 1 },
      { failureClass: 'judge_refused', count: 1, terminal: 0 },
    ]);
    expect(summary?.examples[2]).toEqual({ taskIndex: 3, rolloutIndex: 0, failureClass: 'judge_refused', message: 'a class from a newer collector' });
    expect(await readFailureSummary(join(makeTempDir(), 'missing.jsonl'))).toBeNull();
  });

  it('reads key metrics per agent from the aggregate metrics file', async () => {
    const dir = makeTempDir();
    const path = join(dir, 'r_aggregate_metrics.json');
    writeFileSync(path, JSON.stringify([{ agent_ref: { name: 'simple_agent' }, agent_metrics: { 'mean/reward': 0.5 }, key_metrics: { 'mean/reward': 0.5, 'pass@4/reward': 81.25 }, group_level_metrics: [] }], null, 2));
    expect(await readAggregateMetrics(path)).toEqual({
      path,
      agents: [{ agent: 'simple_agent', keyMetrics: [{ name: 'mean/reward', value: 0.5 }, { name: 'pass@4/reward', value: 81.25 }] }],
    });
    mkdirSync(join(dir, 'a_directory.json'));
    expect(await readAggregateMetrics(join(dir, 'a_directory.json'))).toBeNull();
  });
});
