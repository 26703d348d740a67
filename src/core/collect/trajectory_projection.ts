import { isJsonObject, type JsonObject } from '../json_object';
import { rolloutIdOf, taskIdOf } from '../rollout_identity';
import {
  TrajectoryRecord,
  type AgentInvocation,
  type ModelCallRef,
  type ObservationGap,
  type TrajectoryModelCall,
  type TrajectoryToolCall,
  type TrajectoryTurn,
} from '../schema/trajectory_record';

/**
 * The collector's `ng_trajectory` for one rollout, as NeMo Gym's collector projects it
 * (nemo_gym/rollout_collection.py `_build_trajectory_record`): the agent's own record (NeMo Gym's simple agent and
 * ours report one), validated, put under the rollout's identity, its turns in time order, and gaps for what no one
 * observed. NeMo Gym writes nothing when no agent reported anything; here every row gets a record: from an agent that
 * reported none, the conversation and tool outputs are taken from its answer, and the gap `agent_trajectory_unavailable`
 * says that timings, turns and model calls were not observed.
 */
export function projectTrajectory(row: JsonObject, result: JsonObject): TrajectoryRecord {
  const taskId = taskIdOf(row) ?? 'unknown';
  const rolloutId = rolloutIdOf(row) ?? `${String(row._ng_task_index)}-${String(row._ng_rollout_index)}`;
  const gaps: ObservationGap[] = [];
  let invocations: AgentInvocation[] = [];
  let turns: TrajectoryTurn[] = [];
  let toolCalls: TrajectoryToolCall[] = [];
  let modelCalls: TrajectoryModelCall[] = [];

  const produced = result.ng_trajectory;
  if (isJsonObject(produced)) {
    const parsed = TrajectoryRecord.safeParse(produced);
    if (parsed.success) {
      const record = parsed.data;
      const mismatches = [['task_id', record.task_id, taskId], ['rollout_id', record.rollout_id, rolloutId]].filter(([, producer, canonical]) => producer !== canonical).map(([field]) => field);
      if (mismatches.length > 0) gaps.push(gap('producer_trajectory_identity_mismatch', null, mismatches.join(',')));
      turns = (record.turns ?? []).map((turn) => ({ ...turn, task_id: taskId, rollout_id: rolloutId }));
      gaps.push(...(record.gaps ?? []));
      invocations = record.invocations ?? [];
      toolCalls = record.tool_calls ?? [];
      modelCalls = record.model_calls ?? [];
    } else {
      gaps.push(gap('producer_trajectory_invalid', null, 'ValidationError'));
    }
  } else {
    ({ invocations, toolCalls } = observedInAnswer(result));
    gaps.push(gap('agent_trajectory_unavailable', null, agentName(row)));
  }

  turns.sort((a, b) => a.timestamp - b.timestamp || compareText(a.invocation_id, b.invocation_id) || a.turn_no - b.turn_no);
  if (modelCalls.length === 0) gaps.push(gap('model_calls_unavailable'));
  if (turns.length === 0) gaps.push(gap('turns_unavailable'));
  if (!invocations.some((invocation) => (invocation.conversation ?? []).length > 0)) gaps.push(gap('conversation_unavailable'));

  return {
    schema_version: '1.0',
    task_id: taskId,
    rollout_id: rolloutId,
    invocations: invocations.map(dumpInvocation),
    turns: turns.map(dumpTurn),
    model_calls: modelCalls.map(dumpModelCall),
    tool_calls: toolCalls.map(dumpToolCall),
    gaps: uniqueGaps(gaps).map((g) => gap(g.code, g.invocation_id, g.detail)),
  };
}

/** From an answer without a trajectory: the conversation (input, then output) and each tool call's output. */
function observedInAnswer(result: JsonObject): { invocations: AgentInvocation[]; toolCalls: TrajectoryToolCall[] } {
  const params = isJsonObject(result.responses_create_params) ? result.responses_create_params : {};
  const input = typeof params.input === 'string' ? [{ content: params.input, role: 'user', type: 'message' }] : Array.isArray(params.input) ? params.input : [];
  const output = isJsonObject(result.response) && Array.isArray(result.response.output) ? result.response.output : [];
  const conversation = [...input, ...output].filter(isJsonObject);
  const outputs = new Map<string, unknown>();
  for (const item of output) if (isJsonObject(item) && item.type === 'function_call_output' && typeof item.call_id === 'string') outputs.set(item.call_id, item.output);
  const toolCalls: TrajectoryToolCall[] = output
    .filter((item): item is JsonObject => isJsonObject(item) && item.type === 'function_call' && typeof item.call_id === 'string')
    .map((call) => ({
      kind: 'tool_call',
      invocation_id: 'root',
      tool_call_id: call.call_id as string,
      tool_name: typeof call.name === 'string' ? call.name : null,
      status: 'unknown',
      output: outputs.get(call.call_id as string) ?? null,
    }));
  return { invocations: [{ invocation_id: 'root', status: 'unknown', conversation }], toolCalls };
}

function agentName(row: JsonObject): string | null {
  return isJsonObject(row.agent_ref) && typeof row.agent_ref.name === 'string' ? row.agent_ref.name : null;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One gap per (code, invocation, detail), in first-seen order. */
function uniqueGaps(gaps: ObservationGap[]): ObservationGap[] {
  const seen = new Map<string, ObservationGap>();
  for (const g of gaps) {
    const key = JSON.stringify([g.code, g.invocation_id ?? null, g.detail ?? null]);
    if (!seen.has(key)) seen.set(key, g);
  }
  return [...seen.values()];
}

// The dumps below write every field, defaults included, in the models' declaration order: what pydantic's
// `model_dump(mode="json")` gives NeMo Gym's collector.

function gap(code: string, invocationId: string | null = null, detail: string | null = null): ObservationGap {
  return { code, invocation_id: invocationId ?? null, detail: detail ?? null };
}

function dumpRef(ref: ModelCallRef): ModelCallRef {
  return { model_call_id: ref.model_call_id ?? null, model_ref: ref.model_ref ?? null, response_id: ref.response_id ?? null };
}

function dumpInvocation(invocation: AgentInvocation): AgentInvocation {
  return {
    kind: 'agent_invocation',
    invocation_id: invocation.invocation_id,
    parent_invocation_id: invocation.parent_invocation_id ?? null,
    spawned_by_tool_call_id: invocation.spawned_by_tool_call_id ?? null,
    status: invocation.status ?? 'unknown',
    duration_ms: invocation.duration_ms ?? null,
    error_type: invocation.error_type ?? null,
    model_calls: (invocation.model_calls ?? []).map(dumpRef),
    conversation: invocation.conversation ?? [],
  };
}

function dumpTurn(turn: TrajectoryTurn): TrajectoryTurn {
  return {
    invocation_id: turn.invocation_id,
    task_id: turn.task_id,
    rollout_id: turn.rollout_id,
    turn_no: turn.turn_no,
    timestamp: turn.timestamp,
    question: turn.question ?? null,
    answer: turn.answer ?? null,
    reasoning_content: turn.reasoning_content ?? null,
    resolved: turn.resolved ?? null,
    step_count: turn.step_count,
    model_calls: (turn.model_calls ?? []).map(dumpRef),
  };
}

function dumpModelCall(call: TrajectoryModelCall): TrajectoryModelCall {
  const metadata = call.response_metadata ?? {};
  const tokens = call.token_stats ?? {};
  return {
    model_call_id: call.model_call_id ?? null,
    started_at: call.started_at ?? null,
    completed_at: call.completed_at ?? null,
    duration_ms: call.duration_ms ?? null,
    request: call.request ?? null,
    response: call.response ?? null,
    response_metadata: {
      response_id: metadata.response_id ?? null,
      model_ref: metadata.model_ref ?? null,
      model: metadata.model ?? null,
      dialect: metadata.dialect ?? null,
      status_code: metadata.status_code ?? null,
      response_status: metadata.response_status ?? null,
      finish_reason: metadata.finish_reason ?? null,
      error_category: metadata.error_category ?? null,
      latency_ttft_ms: metadata.latency_ttft_ms ?? null,
    },
    token_stats: {
      prompt_tokens: tokens.prompt_tokens ?? null,
      completion_tokens: tokens.completion_tokens ?? null,
      reasoning_tokens: tokens.reasoning_tokens ?? null,
      total_tokens: tokens.total_tokens ?? null,
      cached_tokens: tokens.cached_tokens ?? null,
    },
  };
}

function dumpToolCall(call: TrajectoryToolCall): TrajectoryToolCall {
  return {
    kind: 'tool_call',
    invocation_id: call.invocation_id,
    tool_call_id: call.tool_call_id,
    sandbox_id: call.sandbox_id ?? null,
    tool_name: call.tool_name ?? null,
    started_at: call.started_at ?? null,
    completed_at: call.completed_at ?? null,
    duration_ms: call.duration_ms ?? null,
    timing_source: call.timing_source ?? null,
    status: call.status ?? 'unknown',
    error_type: call.error_type ?? null,
    output: call.output ?? null,
  };
}
