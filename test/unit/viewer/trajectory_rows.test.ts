import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assignMembers } from '../../../src/core/collect/row_text';
import { projectTrajectory } from '../../../src/core/collect/trajectory_projection';
import { typedJson } from '../../../src/core/python/typed_json';
import { TRAJECTORY_FLOATS } from '../../../src/core/schema/float_shapes';
import { summarizeLine } from '../../../src/core/viewer/line_summary';
import { EXAMPLE_ROLLOUTS_PATH } from '../../support/fake_openai/shared_data';

/** A trajectory whose nested keys are named like the row's own (reward, response, _ng_task_index, ...). */
function withTrajectory(line: string, index: number): string {
  const row = JSON.parse(line) as Record<string, unknown>;
  const stamped = { ...row, _ng_task_index: index, _ng_rollout_index: 0, agent_ref: { name: 'a' } };
  const trajectory = projectTrajectory(stamped, stamped);
  const decoy = { ...trajectory, gaps: [...trajectory.gaps!, { code: 'x', invocation_id: null, detail: '"reward":5,"_ng_task_index":9,"response":{}' }] };
  return assignMembers(line, [['_ng_task_index', String(index)], ['_ng_rollout_index', '0'], ['agent_ref', '{"name":"a"}'], ['ng_trajectory', typedJson(decoy, TRAJECTORY_FLOATS)]])!;
}

describe('rows with ng_trajectory in the viewer', () => {
  it('summarise exactly as the same rows without it (the scanner reads top-level fields only)', () => {
    const lines = readFileSync(EXAMPLE_ROLLOUTS_PATH, 'utf8').split('\n').filter((line) => line.trim() !== '');
    for (const [index, line] of lines.entries()) {
      const stamped = assignMembers(line, [['_ng_task_index', String(index)], ['_ng_rollout_index', '0'], ['agent_ref', '{"name":"a"}']])!;
      const plain = summarizeLine(Buffer.from(stamped), 0, Buffer.byteLength(stamped));
      const rich = withTrajectory(line, index);
      expect(rich.length).toBeGreaterThan(stamped.length);
      const summary = summarizeLine(Buffer.from(rich), 0, Buffer.byteLength(rich));
      expect({ ...summary, inputStart: 0, inputEnd: 0, outputStart: 0, outputEnd: 0 }).toEqual({ ...plain, inputStart: 0, inputEnd: 0, outputStart: 0, outputEnd: 0 });
      expect(summary.broken).toBeNull();
    }
  });
});
