import { randomUUID } from 'node:crypto';
import { isJsonObject, type JsonObject } from '../json_object';
import type {
  InvocationStatus,
  ModelCallRef,
  ModelServerRef,
  ObservationGap,
  TrajectoryModelCall,
  TrajectoryRecord,
  TrajectoryToolCall,
  TrajectoryTurn,
} from '../schema/trajectory_record';
import { classifyModelCallFailure, classifyStatus, finishReasonOf, tokenStatsOf } from './model_call_facts';

/** The one agent conversation of the simple agent (NeMo Gym's simple agent names it the same). */
export const ROOT_INVOCATION = 'root';

/** Full request/response payloads (NeMo Gym's `observability_enabled`), up to a byte budget per rollout. */
export interface PayloadCapture {
  maxBytes: number;
}

export interface TrajectoryRecorderOptions {
  /** The model server the agent calls, as `model_ref` in the records. */
  modelRef: ModelServerRef | null;
  /** Null: compact (no model-call payloads, no per-turn question). */
  payloads: PayloadCapture | null;
}

/** What the agent saw of one answered model call. */
export interface ModelCallAnswer {
  response: JsonObject;
  status: number;
  /** Upstream HTTP attempts the model server reported (the SDK's retries included), when it did. */
  upstreamAttempts: number | null;
}

/** What the agent saw of one failed model call. */
export interface ModelCallFailure {
  /** The model server's HTTP status, when it answered. */
  status: number | null;
  error: unknown;
  upstreamAttempts: number | null;
}

export interface ModelCallHandle {
  readonly id: string;
  readonly ref: ModelCallRef;
}

export interface ToolCallOutcome {
  /** The resources server's HTTP status; null when no request was made (unparseable arguments). */
  status: number | null;
  /** Python's exception type when the arguments could not be parsed (`JSONDecodeError`, `TypeError`). */
  invalidArgumentsError?: string;
  output: string;
}

interface OpenModelCall {
  handle: ModelCallHandle;
  record: TrajectoryModelCall;
  startedMonotonic: number;
}

const wallSeconds = (): number => Date.now() / 1000;

/**
 * Records what the simple agent does in one rollout, as NeMo Gym's simple agent builds its `TrajectoryRecord`
 * (responses_api_agents/simple_agent/app.py): one `root` invocation with its model-call references, status and
 * conversation; a turn per model call (the model's answer, its reasoning, the tool calls so far); each tool call with
 * its output, status and measured interval. Unlike NeMo Gym's agent, which leaves the model calls to the model
 * server's capture, it also records each model call as measured at the agent's call: start, end, duration, HTTP
 * status, finish reason, error category, token counts, and the upstream attempts when the model server had to retry.
 */
export class TrajectoryRecorder {
  private readonly modelCalls: TrajectoryModelCall[] = [];
  private readonly turns: TrajectoryTurn[] = [];
  private readonly toolCalls: TrajectoryToolCall[] = [];
  private readonly gaps: ObservationGap[] = [];
  private readonly invocationModelCalls: ModelCallRef[] = [];
  private readonly startedMonotonic = performance.now();
  private payloadBytesLeft: number;
  private status: InvocationStatus = 'unknown';
  private errorType: string | null = null;
  private durationMs: number | null = null;
  private conversation: unknown[] = [];

  constructor(private readonly options: TrajectoryRecorderOptions) {
    this.payloadBytesLeft = options.payloads?.maxBytes ?? 0;
  }

  startModelCall(request: JsonObject): OpenModelCall {
    const id = randomUUID().replaceAll('-', '');
    const record: TrajectoryModelCall = {
      model_call_id: id,
      started_at: wallSeconds(),
      completed_at: null,
      duration_ms: null,
      request: this.payload(request),
      response: null,
      response_metadata: emptyMetadata(this.options.modelRef),
      token_stats: tokenStatsOf(undefined),
    };
    this.modelCalls.push(record);
    return { handle: { id, ref: { model_call_id: id, model_ref: this.options.modelRef, response_id: null } }, record, startedMonotonic: performance.now() };
  }

  modelCallAnswered(call: OpenModelCall, answer: ModelCallAnswer): void {
    this.closeModelCall(call, answer.status, answer.upstreamAttempts);
    const { response } = answer;
    const responseId = typeof response.id === 'string' ? response.id : null;
    const metadata = call.record.response_metadata!;
    metadata.response_id = responseId;
    metadata.model = typeof response.model === 'string' ? response.model : typeof call.record.request === 'object' && isJsonObject(call.record.request) && typeof call.record.request.model === 'string' ? call.record.request.model : null;
    metadata.response_status = typeof response.status === 'string' ? response.status : null;
    metadata.finish_reason = finishReasonOf(response);
    call.record.token_stats = tokenStatsOf(response.usage);
    call.record.response = this.payload(response);
    (call.handle.ref as { response_id: string | null }).response_id = responseId;
    if (responseId) this.invocationModelCalls.push(call.handle.ref);
    else this.gaps.push({ code: 'model_call_reference_unavailable', invocation_id: ROOT_INVOCATION, detail: `turn:${this.turns.length + 1}` });
  }

  modelCallFailed(call: OpenModelCall, failure: ModelCallFailure): void {
    this.closeModelCall(call, failure.status, failure.upstreamAttempts);
    call.record.response_metadata!.error_category = failure.status !== null ? classifyStatus(failure.status) ?? classifyModelCallFailure(failure.error) : classifyModelCallFailure(failure.error);
    this.invocationModelCalls.push(call.handle.ref);
  }

  /** One model call's turn: `question` is the input the model saw, `output` what it answered. */
  addTurn(call: OpenModelCall, timestamp: number, question: unknown[], output: unknown[], taskId: string, rolloutId: string): void {
    const reasoning = output.filter((item) => isJsonObject(item) && item.type === 'reasoning');
    this.turns.push({
      invocation_id: ROOT_INVOCATION,
      task_id: taskId,
      rollout_id: rolloutId,
      turn_no: this.turns.length + 1,
      timestamp,
      question: this.options.payloads ? question : null,
      answer: output.filter((item) => !(isJsonObject(item) && item.type === 'reasoning')),
      reasoning_content: reasoning.length > 0 ? reasoning : null,
      resolved: null,
      step_count: this.toolCalls.length,
      model_calls: call.handle.ref.response_id ? [call.handle.ref] : [],
    });
  }

  startToolCall(): { startedAt: number; startedMonotonic: number } {
    return { startedAt: wallSeconds(), startedMonotonic: performance.now() };
  }

  toolCallFinished(started: { startedAt: number; startedMonotonic: number }, call: JsonObject, outcome: ToolCallOutcome): void {
    const completed = outcome.status !== null && outcome.status >= 200 && outcome.status < 400;
    this.toolCalls.push({
      kind: 'tool_call',
      invocation_id: ROOT_INVOCATION,
      tool_call_id: String(call.call_id ?? ''),
      sandbox_id: null,
      tool_name: typeof call.name === 'string' ? call.name : null,
      started_at: started.startedAt,
      completed_at: Math.max(started.startedAt, wallSeconds()),
      duration_ms: performance.now() - started.startedMonotonic,
      timing_source: 'executor',
      status: completed ? 'completed' : 'failed',
      error_type: completed ? null : outcome.status === null ? (outcome.invalidArgumentsError ?? 'ValueError') : `http_${outcome.status}`,
      output: outcome.output,
    });
    const last = this.turns.at(-1);
    if (last) last.step_count = this.toolCalls.length;
  }

  addGap(code: string, detail: string | null = null): void {
    this.gaps.push({ code, invocation_id: ROOT_INVOCATION, detail });
  }

  /** The invocation ended: `status` as NeMo Gym's agent reports it; `conversation` = input + every new item. */
  finish(status: InvocationStatus, conversation: unknown[], errorType: string | null = null): void {
    this.status = status;
    this.errorType = errorType;
    this.conversation = conversation;
    this.durationMs = performance.now() - this.startedMonotonic;
  }

  /** Marks the last turn with the verifier's `resolved`, or says it was not given (NeMo Gym's `/run`). */
  setResolution(resolved: unknown): void {
    const last = this.turns.at(-1);
    if (typeof resolved === 'boolean' && last) last.resolved = resolved;
    else this.addGap('resolution_unavailable');
  }

  toRecord(taskId: string, rolloutId: string): TrajectoryRecord {
    return {
      schema_version: '1.0',
      task_id: taskId,
      rollout_id: rolloutId,
      invocations: [{
        kind: 'agent_invocation',
        invocation_id: ROOT_INVOCATION,
        parent_invocation_id: null,
        spawned_by_tool_call_id: null,
        status: this.status,
        duration_ms: this.durationMs,
        error_type: this.errorType,
        model_calls: this.invocationModelCalls,
        conversation: this.conversation as JsonObject[],
      }],
      turns: this.turns.map((turn) => ({ ...turn, task_id: taskId, rollout_id: rolloutId })),
      model_calls: this.modelCalls,
      tool_calls: this.toolCalls,
      gaps: this.gaps,
    };
  }

  private closeModelCall(call: OpenModelCall, status: number | null, upstreamAttempts: number | null): void {
    call.record.completed_at = Math.max(call.record.started_at!, wallSeconds());
    call.record.duration_ms = performance.now() - call.startedMonotonic;
    call.record.response_metadata!.status_code = status;
    // TrajectoryModelCall has no field for it (extra keys are refused): a call the SDK had to retry is a gap.
    if (upstreamAttempts !== null && upstreamAttempts > 1) this.addGap('model_call_retried', `${call.handle.id}:attempts=${upstreamAttempts}`);
  }

  /** A payload for the record while the budget lasts (full capture only); past it, null and a gap. */
  private payload(value: JsonObject): JsonObject | null {
    if (!this.options.payloads) return null;
    const size = JSON.stringify(value).length;
    if (size > this.payloadBytesLeft) {
      if (!this.gaps.some((gap) => gap.code === 'model_call_payloads_truncated')) {
        this.addGap('model_call_payloads_truncated', `max_bytes=${this.options.payloads.maxBytes}`);
      }
      this.payloadBytesLeft = 0;
      return null;
    }
    this.payloadBytesLeft -= size;
    return value;
  }
}

function emptyMetadata(modelRef: ModelServerRef | null): NonNullable<TrajectoryModelCall['response_metadata']> {
  return {
    response_id: null,
    model_ref: modelRef,
    model: null,
    dialect: 'responses',
    status_code: null,
    response_status: null,
    finish_reason: null,
    error_category: null,
    latency_ttft_ms: null,
  };
}
