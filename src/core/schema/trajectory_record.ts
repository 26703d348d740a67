import { z } from 'zod';

/**
 * `ng_trajectory`: NeMo Gym's `TrajectoryRecord` (nemo_gym/rollout_observability.py, schema version 1.0), one per
 * rollout row. Every model there forbids extra keys, so each object here is strict: a record that passes here also
 * passes NeMo Gym's `TrajectoryRecord.model_validate` (its collector drops a producer record that does not). Times
 * are UTC Unix seconds (`started_at`, `completed_at`, `timestamp`); durations are milliseconds.
 */

const count = z.number().int().min(0).nullable().optional();
const milliseconds = z.number().min(0).nullable().optional();
const seconds = z.number().nullable().optional();
const text = z.string().nullable().optional();

/** `ModelServerRef`: a plain pydantic model (extra keys are ignored, not refused). */
export const ModelServerRef = z.object({ type: z.literal('responses_api_models'), name: z.string() });
export type ModelServerRef = z.infer<typeof ModelServerRef>;

export const ModelCallRef = z
  .strictObject({ model_call_id: text, model_ref: ModelServerRef.nullable().optional(), response_id: text })
  .refine((ref) => Boolean(ref.model_call_id) || (ref.model_ref != null && Boolean(ref.response_id)), {
    message: 'model_call_id or both model_ref and response_id are required',
  });
export type ModelCallRef = z.infer<typeof ModelCallRef>;

export const TrajectoryTokenStats = z.strictObject({
  prompt_tokens: count,
  completion_tokens: count,
  reasoning_tokens: count,
  total_tokens: count,
  cached_tokens: count,
});
export type TrajectoryTokenStats = z.infer<typeof TrajectoryTokenStats>;

export const TrajectoryResponseMetadata = z.strictObject({
  response_id: text,
  model_ref: ModelServerRef.nullable().optional(),
  model: text,
  dialect: text,
  status_code: z.number().int().nullable().optional(),
  response_status: text,
  finish_reason: text,
  error_category: text,
  latency_ttft_ms: milliseconds,
});
export type TrajectoryResponseMetadata = z.infer<typeof TrajectoryResponseMetadata>;

export const TrajectoryModelCall = z.strictObject({
  model_call_id: text,
  started_at: seconds,
  completed_at: seconds,
  duration_ms: milliseconds,
  request: z.unknown().optional(),
  response: z.unknown().optional(),
  response_metadata: TrajectoryResponseMetadata.optional(),
  token_stats: TrajectoryTokenStats.optional(),
});
export type TrajectoryModelCall = z.infer<typeof TrajectoryModelCall>;

export const TrajectoryTurn = z.strictObject({
  invocation_id: z.string(),
  task_id: z.string(),
  rollout_id: z.string(),
  turn_no: z.number().int().min(1),
  timestamp: z.number(),
  question: z.unknown().optional(),
  answer: z.unknown().optional(),
  reasoning_content: z.unknown().optional(),
  resolved: z.boolean().nullable().optional(),
  step_count: z.number().int().min(0),
  model_calls: z.array(ModelCallRef).optional(),
});
export type TrajectoryTurn = z.infer<typeof TrajectoryTurn>;

/**
 * One item of NeMo Gym's `NeMoGymResponseInputItem` union; all of its members are objects with a `type` or a `role`.
 * Checked in place (a conversation is most of a record, and the collector validates every row).
 */
const ConversationItem = z.custom<Record<string, unknown>>(
  (item) => typeof item === 'object' && item !== null && !Array.isArray(item) && (typeof (item as { type?: unknown }).type === 'string' || typeof (item as { role?: unknown }).role === 'string'),
  { message: 'a conversation item needs a type or a role' },
);

export const InvocationStatus = z.enum(['completed', 'failed', 'incomplete', 'unknown']);
export type InvocationStatus = z.infer<typeof InvocationStatus>;

export const AgentInvocation = z.strictObject({
  kind: z.literal('agent_invocation').optional(),
  invocation_id: z.string(),
  parent_invocation_id: text,
  spawned_by_tool_call_id: text,
  status: InvocationStatus.optional(),
  duration_ms: milliseconds,
  error_type: text,
  model_calls: z.array(ModelCallRef).optional(),
  conversation: z.array(ConversationItem).optional(),
});
export type AgentInvocation = z.infer<typeof AgentInvocation>;

export const ToolCallStatus = z.enum(['completed', 'failed', 'timeout', 'cancelled', 'incomplete', 'unknown']);
export type ToolCallStatus = z.infer<typeof ToolCallStatus>;

export const TrajectoryToolCall = z
  .strictObject({
    kind: z.literal('tool_call').optional(),
    invocation_id: z.string(),
    tool_call_id: z.string(),
    sandbox_id: text,
    tool_name: text,
    started_at: seconds,
    completed_at: seconds,
    duration_ms: milliseconds,
    timing_source: z.enum(['executor', 'artifact', 'harness']).nullable().optional(),
    status: ToolCallStatus.optional(),
    error_type: text,
    output: z.unknown().optional(),
  })
  .refine((call) => call.started_at == null || call.completed_at == null || call.completed_at >= call.started_at, {
    message: 'completed_at must not precede started_at',
  });
export type TrajectoryToolCall = z.infer<typeof TrajectoryToolCall>;

export const ObservationGap = z.strictObject({ code: z.string(), invocation_id: text, detail: text });
export type ObservationGap = z.infer<typeof ObservationGap>;

export const TrajectoryRecord = z
  .strictObject({
    schema_version: z.literal('1.0').optional(),
    task_id: z.string(),
    rollout_id: z.string(),
    invocations: z.array(AgentInvocation).optional(),
    turns: z.array(TrajectoryTurn).optional(),
    model_calls: z.array(TrajectoryModelCall).optional(),
    tool_calls: z.array(TrajectoryToolCall).optional(),
    gaps: z.array(ObservationGap).optional(),
  })
  .superRefine((record, context) => {
    const invocationIds = (record.invocations ?? []).map((invocation) => invocation.invocation_id);
    if (new Set(invocationIds).size !== invocationIds.length) context.addIssue({ code: 'custom', message: 'invocation_id must be unique within a trajectory' });
    const callIds = (record.model_calls ?? []).map((call) => call.model_call_id).filter((id): id is string => Boolean(id));
    if (new Set(callIds).size !== callIds.length) context.addIssue({ code: 'custom', message: 'model_call_id must be unique within a trajectory' });
    const turnKeys = new Set<string>();
    for (const turn of record.turns ?? []) {
      if (turn.task_id !== record.task_id || turn.rollout_id !== record.rollout_id) context.addIssue({ code: 'custom', message: 'turn identity must match the trajectory' });
      const key = JSON.stringify([turn.invocation_id, turn.turn_no]);
      if (turnKeys.has(key)) context.addIssue({ code: 'custom', message: 'turn number must be unique within an invocation' });
      turnKeys.add(key);
    }
  });
export type TrajectoryRecord = z.infer<typeof TrajectoryRecord>;
