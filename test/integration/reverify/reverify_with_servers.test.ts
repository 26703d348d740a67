import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputPaths } from '../../../src/core/collect/output_paths';
import { silentLogger } from '../../../src/core/logger';
import { defaultReverifyOutput } from '../../../src/core/reverify/reverify_rollouts';
import { reverifyWithOwnServers } from '../../../src/core/reverify/reverify_with_servers';
import { REPO_ROOT } from '../../support/paths';
import { makeTempDir } from '../../support/rollout_fixtures';
import { collectTimelineRollouts } from '../../support/timeline_rollouts';

describe('reverification with servers of its own (what the editor host runs)', () => {
  it('verifies collected rollouts again and reports exactly the reward a changed ground truth flips', async () => {
    const file = join(makeTempDir('gym-reverify-'), 'run_rollouts.jsonl');
    const { rows } = await collectTimelineRollouts(file);
    const inputs = outputPaths(file).materializedInputs;
    // Task 0 only read: with no expected writes its reward becomes 1.
    const edited = readFileSync(inputs, 'utf8').split('\n').filter(Boolean).map((line) => {
      const row = JSON.parse(line) as Record<string, unknown>;
      return JSON.stringify(row._ng_task_index === 0 ? { ...row, ground_truth: [] } : row);
    });
    writeFileSync(inputs, `${edited.join('\n')}\n`);
    const output = defaultReverifyOutput(file);
    const result = await reverifyWithOwnServers({ rolloutsPath: file, inputsPath: inputs, outputPath: output, overwrite: true }, { cwd: REPO_ROOT, env: {}, installRoot: REPO_ROOT, logger: silentLogger });
    expect(rows[0]!.reward).toBe(0);
    expect(result).toMatchObject({ outputPath: output, total: 3, verified: 3, failed: 0, unsafeWarning: null });
    expect(result.changes).toEqual([{ task: 0, rollout: 0, id: expect.anything() as unknown, oldReward: '0.0', newReward: '1.0' }]);
    expect(readFileSync(output, 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
    expect(result.metricsPath).toBe(outputPaths(output).aggregateMetrics);
  });
});
