import { z } from 'zod';

/** Failure classes written to `<stem>_failures.jsonl`. */
export const FailureClass = z.enum([
  'model_error', // the policy endpoint failed after retries (HTTP status, malformed body)
  'model_timeout', // the policy endpoint did not answer in time
  'agent_error', // the agent or resources server failed (HTTP 5xx, bad body)
  'verify_error', // /verify failed
  'invalid_row', // the input row broke the schema (with skip_invalid_rows)
  'connection_error', // a server could not be reached
  'rollout_timeout', // the whole rollout took longer than the per-rollout deadline
  'cancelled', // the run was cancelled before this rollout finished
  'unknown',
]);
export type FailureClass = z.infer<typeof FailureClass>;

/** One line of `<stem>_failures.jsonl`: every (task, repeat) ends as one output line or one failure line. */
export const FailureRecord = z
  .object({
    _ng_task_index: z.number().int(),
    _ng_rollout_index: z.number().int(),
    _ng_attempt_index: z.number().int().optional(),
    agent_ref: z.object({ name: z.string() }).passthrough().optional(),
    _ng_failure_class: FailureClass,
    _ng_failure_message: z.string(),
    /** Terminal failures are not retried on resume. */
    _ng_failure_terminal: z.boolean().optional(),
    /** The model endpoint's HTTP status, when its answer caused the failure. */
    upstream_status: z.number().int().optional(),
    /** For invalid rows: the input file, 1-based line and the field at fault. */
    input_file: z.string().optional(),
    input_line: z.number().int().optional(),
    field: z.string().optional(),
  })
  .passthrough();
export type FailureRecord = z.infer<typeof FailureRecord>;
