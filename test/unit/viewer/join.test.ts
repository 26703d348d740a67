import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JoinedRollouts } from '../../../src/core/viewer/joined_rollouts';
import { RolloutIndex, readRollout } from '../../../src/core/viewer/rollout_index';
import { buildRolloutView } from '../../../src/core/viewer/rollout_view';
import { ViewerSession } from '../../../src/core/viewer/viewer_session';
import { WORKPLACE_DATA_DIR as DATA } from '../../support/paths';
import { generateRolloutSet, makeTempDir, writeJsonl } from '../../support/rollout_fixtures';

describe('joining ground truth from the input rows', () => {
  it('joins the real example rollouts with their task rows by line order', async () => {
    const joined = new JoinedRollouts(await RolloutIndex.open(`${DATA}/example_rollouts.jsonl`), await RolloutIndex.open(`${DATA}/example_rollouts_tasks.jsonl`));
    expect(joined.rollouts.hasGroundTruth(0)).toBe(false);
    expect(joined.hasGroundTruth(0)).toBe(true);
    expect([0, 1, 2, 3, 4].map((i) => joined.category(i))).toEqual([
      'workplace_assistant_analytics',
      'workplace_assistant_customer_relationship_manager',
      'workplace_assistant_customer_relationship_manager',
      'workplace_assistant_customer_relationship_manager',
      'workplace_assistant_email',
    ]);
    expect(joined.taskId(4)).toBe('4');

    // The reward-0 rollout plotted up to 2024-06-30 where the ground truth says 2023-11-29.
    const line = await readRollout(joined.rollouts, 0);
    const input = await readRollout(joined.inputIndex as RolloutIndex, joined.inputEntryFor(0));
    const view = buildRolloutView(line, { role: 'primary', inputRecord: input.record, joinedTaskId: '0', joinedCategory: joined.category(0), responseError: null });
    expect(view.groundTruth.origin).toBe('input');
    expect(view.groundTruth.rows.map((r) => r.status)).toEqual(['differs']);
    expect(view.groundTruth.rows[0]?.arguments.filter((a) => a.status !== 'same').map((a) => [a.name, a.expected, a.predicted])).toEqual([['time_max', '"2023-11-29"', '"2024-06-30"']]);
    // An empty ground truth: the rollout only read, so nothing to compare.
    const second = buildRolloutView(await readRollout(joined.rollouts, 1), { role: 'primary', inputRecord: (await readRollout(joined.inputIndex as RolloutIndex, 1)).record, joinedTaskId: '1', joinedCategory: null, responseError: null });
    expect(second.groundTruth.kind).toBe('calls');
    expect(second.groundTruth.verdict).toBe('No state changes expected, and none made.');
  });

  it('joins by _ng_task_index from materialized inputs, whatever the completion order', async () => {
    const set = generateRolloutSet({ tasks: 6, repeats: 3, withIndices: true, completionOrder: true, seed: 31 });
    const dir = makeTempDir();
    const joined = new JoinedRollouts(await RolloutIndex.open(writeJsonl(join(dir, 'r.jsonl'), set.lines)), await RolloutIndex.open(writeJsonl(join(dir, 'r_materialized_inputs.jsonl'), set.materializedInputs)));
    for (let i = 0; i < set.lines.length; i++) {
      const task = set.tasks[set.taskOfLine[i] as number];
      expect(joined.category(i)).toBe(task?.category);
      expect(joined.taskId(i)).toBe(String(task?.id));
      expect(joined.hasGroundTruth(i)).toBe(true);
    }
  });

  it('joins a task file by task index, and repeats without indices by position', async () => {
    const set = generateRolloutSet({ tasks: 4, repeats: 2, withIndices: true, seed: 32 });
    const dir = makeTempDir();
    const tasks = await RolloutIndex.open(writeJsonl(join(dir, 'tasks.jsonl'), set.taskRows));
    const byIndex = new JoinedRollouts(await RolloutIndex.open(writeJsonl(join(dir, 'a.jsonl'), set.lines)), tasks);
    expect(byIndex.inputEntryFor(5)).toBe(2);
    expect(byIndex.category(5)).toBe(set.tasks[2]?.category);

    const plain = generateRolloutSet({ tasks: 4, repeats: 2, seed: 32 });
    const byPosition = new JoinedRollouts(await RolloutIndex.open(writeJsonl(join(dir, 'b.jsonl'), plain.lines)), tasks);
    expect([0, 1, 2, 3, 6, 7].map((i) => byPosition.inputEntryFor(i))).toEqual([0, 0, 1, 1, 3, 3]);
  });

  it('makes the session prefer the materialized inputs sidecar over a task file', async () => {
    const dir = makeTempDir();
    copyFileSync(`${DATA}/example_rollouts.jsonl`, join(dir, 'run.jsonl'));
    copyFileSync(`${DATA}/example_rollouts_tasks.jsonl`, join(dir, 'run_materialized_inputs.jsonl'));
    writeFileSync(join(dir, 'other_tasks.jsonl'), '{"id": 77, "category": "wrong", "ground_truth": []}\n');
    const session = new ViewerSession({ rolloutsPath: join(dir, 'run.jsonl'), inputPath: join(dir, 'other_tasks.jsonl'), host: 'browser', live: false });
    await session.whenReady();
    expect(session.info().primary.inputPath).toBe(join(dir, 'run_materialized_inputs.jsonl'));
    expect(session.info().categories).toContain('workplace_assistant_email');
    const view = await session.handle({ type: 'rollout', role: 'primary', entry: 4 });
    expect(view.groundTruth.origin).toBe('input');
    expect(view.groundTruth.verdict).toBe('The expected call was made as expected.');
    session.dispose();
  });
});
