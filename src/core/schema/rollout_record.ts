import { z } from 'zod';
import { TrajectoryRecord } from './trajectory_record';

/**
 * One line of a rollout file: the agent's `/run` answer (NeMo Gym's verify response: the request echoed with the
 * final `response` and the `reward`) stamped by the collector with the rollout's identity and its `ng_trajectory`
 * (see trajectory_record.ts). Unknown fields pass through (environments add their own; ours adds
 * `reward_explanation`).
 */
export const RolloutRecord = z.looseObject({
  responses_create_params: z.record(z.string(), z.unknown()),
  response: z.looseObject({ output: z.array(z.unknown()) }),
  reward: z.number(),
  _ng_task_index: z.number().int().min(0),
  _ng_rollout_index: z.number().int().min(0),
  /** Present on a retried rollout (NeMo Gym stamps it on a resumed retry; our collector also on a retry within a run). */
  _ng_attempt_index: z.number().int().min(1).optional(),
  /** The row's own capture id, when its input row had one (NeMo Gym's `_ng_rollout_id`). */
  _ng_rollout_id: z.string().optional(),
  agent_ref: z.looseObject({ name: z.string() }),
  id: z.union([z.number().int(), z.string()]).nullable().optional(),
  category: z.string().nullable().optional(),
  environment_name: z.string().nullable().optional(),
  ground_truth: z.union([z.array(z.unknown()), z.string()]).nullable().optional(),
  reward_explanation: z.record(z.string(), z.unknown()).optional(),
  ng_trajectory: TrajectoryRecord.optional(),
});
export type RolloutRecord = z.infer<typeof RolloutRecord>;
