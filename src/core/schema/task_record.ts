import { z } from 'zod';

/**
 * One task row (a line of an input JSONL): NeMo Gym's verify request fields as it types them; unknown fields pass
 * through. `responses_create_params` itself is checked by responses.ts.
 */
export const TaskRecord = z.looseObject({
  id: z.union([z.number().int(), z.string()]).optional(),
  responses_create_params: z.record(z.string(), z.unknown()),
  // Items are checked one by one by the dataset checks, so a problem is reported at the item's field.
  ground_truth: z.union([z.array(z.unknown()), z.string()]).optional(),
  category: z.string().optional(),
  environment_name: z.string().optional(),
  agent_ref: z.looseObject({ name: z.string() }).optional(),
});
export type TaskRecord = z.infer<typeof TaskRecord>;
