import type { ConversationItem, TimelineGap, TimelineItem, TimelineTokens, TimelineView } from './model';

/**
 * The turn timeline of one rollout, from its `ng_trajectory` (NeMo Gym's TrajectoryRecord): each model call and
 * tool call on a time axis with its duration, tokens, retries and errors, linked to the conversation's turns and
 * steps, and the gaps the record declares (max_steps reached, what the agent did not observe). Read tolerantly:
 * a field of the wrong type is left out rather than failing the rollout's view.
 */

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

export const NO_TRAJECTORY = 'No timeline: this line has no ng_trajectory (written before the collector recorded trajectories).';

/** Finish reasons of an answer cut short. */
const CUT_REASONS = new Set(['length', 'max_output_tokens', 'max_tokens', 'content_filter', 'model_context_window_exceeded']);

function gapText(code: string, detail: string | null): string {
  const value = detail?.includes('=') ? detail.slice(detail.indexOf('=') + 1) : detail;
  switch (code) {
    case 'max_steps_reached':
      return `Stopped at max_steps${value ? ` (${value})` : ''}: the model still asked for tools when the agent stopped it.`;
    case 'agent_trajectory_unavailable':
      return `The agent${detail ? ` (${detail})` : ''} reported no trajectory: no timings, turns or model calls were observed.`;
    case 'model_calls_unavailable':
      return 'No model calls were recorded.';
    case 'turns_unavailable':
      return 'No turns were recorded.';
    case 'conversation_unavailable':
      return 'No conversation was recorded.';
    case 'resolution_unavailable':
      return 'The verifier gave no "resolved" for the last turn.';
    case 'model_call_payloads_truncated':
      return `Model-call payloads past the byte budget${value ? ` (${value} bytes)` : ''} were left out.`;
    case 'model_call_reference_unavailable':
      return `A model answer had no response id${detail ? ` (${detail.replace(':', ' ')})` : ''}.`;
    case 'producer_trajectory_invalid':
      return 'The agent\'s trajectory did not pass the schema and was dropped.';
    case 'producer_trajectory_identity_mismatch':
      return `The agent's trajectory named another rollout (${detail ?? 'identity'}).`;
    case 'trajectory_projection_failed':
      return 'The collector could not build this trajectory.';
    default:
      return detail ? `${code.replace(/_/g, ' ')}: ${detail}` : code.replace(/_/g, ' ');
  }
}

/** `model_call_retried` details: `<model_call_id>:attempts=<n>`. */
function retriesOf(gaps: Json[]): Map<string, number> {
  const attempts = new Map<string, number>();
  for (const gap of gaps) {
    if (gap.code !== 'model_call_retried') continue;
    const match = /^(.*):attempts=(\d+)$/.exec(str(gap.detail) ?? '');
    if (match) attempts.set(match[1]!, Number(match[2]));
  }
  return attempts;
}

function tokensOf(value: unknown): TimelineTokens | null {
  if (!isRecord(value)) return null;
  const tokens = { prompt: num(value.prompt_tokens), completion: num(value.completion_tokens), reasoning: num(value.reasoning_tokens), cached: num(value.cached_tokens) };
  return Object.values(tokens).some((v) => v !== null) ? tokens : null;
}

function httpProblem(status: number | null, category: string | null): string | null {
  if (status !== null && status >= 400) return category ? `HTTP ${status} (${category.replace(/_/g, ' ')})` : `HTTP ${status}`;
  return category ? category.replace(/_/g, ' ') : null;
}

/** `http_422` → `HTTP 422`; exception names as they are. */
function toolProblem(errorType: string | null, status: string | null): string {
  const http = /^http_(\d{3})$/.exec(errorType ?? '');
  if (http) return `HTTP ${http[1]}`;
  return errorType ?? status ?? 'failed';
}

interface Span {
  startedAt: number | null;
  durationMs: number | null;
}

function spanOf(call: Json): Span {
  const startedAt = num(call.started_at);
  const completedAt = num(call.completed_at);
  const durationMs = num(call.duration_ms) ?? (startedAt !== null && completedAt !== null ? Math.max(0, (completedAt - startedAt) * 1000) : null);
  return { startedAt, durationMs };
}

export function buildTimeline(trajectory: unknown, conversation: readonly ConversationItem[]): TimelineView {
  if (trajectory === undefined || trajectory === null) return { kind: 'absent', reason: NO_TRAJECTORY };
  if (!isRecord(trajectory)) return { kind: 'absent', reason: 'No timeline: ng_trajectory is not an object.' };
  const gaps = records(trajectory.gaps);
  const attempts = retriesOf(gaps);

  // Model call → conversation turn, through the record's turns (each names its model call).
  const turnOfCall = new Map<string, number>();
  for (const turn of records(trajectory.turns)) {
    const turnNo = num(turn.turn_no);
    for (const ref of records(turn.model_calls)) {
      const id = str(ref.model_call_id);
      if (id && turnNo !== null) turnOfCall.set(id, turnNo);
    }
  }
  // Tool call → conversation step and turn, by call id.
  const steps = new Map<string, { step: number; turn: number }>();
  for (const item of conversation) if (item.kind === 'call' && item.callId) steps.set(item.callId, { step: item.step, turn: item.turn });

  const spans: { item: Omit<TimelineItem, 'startMs'>; startedAt: number | null }[] = [];
  records(trajectory.model_calls).forEach((call, index) => {
    const id = str(call.model_call_id);
    const metadata = isRecord(call.response_metadata) ? call.response_metadata : {};
    const status = num(metadata.status_code);
    const category = str(metadata.error_category);
    const finishReason = str(metadata.finish_reason);
    const responseStatus = str(metadata.response_status);
    const failed = category !== null || (status !== null && status >= 400);
    const cut = !failed && ((finishReason !== null && CUT_REASONS.has(finishReason)) || responseStatus === 'incomplete');
    const span = spanOf(call);
    spans.push({
      startedAt: span.startedAt,
      item: {
        kind: 'model',
        label: `model call ${index + 1}`,
        durationMs: span.durationMs,
        status: failed ? 'error' : cut ? 'cut' : 'ok',
        problem: failed ? httpProblem(status, category) : cut ? `cut at ${finishReason ?? responseStatus ?? 'incomplete'}` : null,
        turn: id ? (turnOfCall.get(id) ?? null) : null,
        step: null,
        attempts: id && (attempts.get(id) ?? 1) > 1 ? attempts.get(id)! : null,
        tokens: tokensOf(call.token_stats),
        finishReason,
      },
    });
  });
  for (const call of records(trajectory.tool_calls)) {
    const status = str(call.status);
    const failed = status === 'failed' || status === 'timeout' || status === 'cancelled';
    const where = steps.get(str(call.tool_call_id) ?? '');
    const span = spanOf(call);
    spans.push({
      startedAt: span.startedAt,
      item: {
        kind: 'tool',
        label: str(call.tool_name) ?? '(unnamed tool)',
        durationMs: span.durationMs,
        status: failed ? 'error' : 'ok',
        problem: failed ? toolProblem(str(call.error_type), status) : null,
        turn: where?.turn ?? null,
        step: where?.step ?? null,
        attempts: null,
        tokens: null,
        finishReason: null,
      },
    });
  }

  const starts = spans.map((s) => s.startedAt).filter((t): t is number => t !== null);
  const origin = starts.length > 0 ? Math.min(...starts) : null;
  const items: TimelineItem[] = spans.map(({ item, startedAt }) => ({ ...item, startMs: origin !== null && startedAt !== null ? (startedAt - origin) * 1000 : null }));
  // Time order; untimed items by turn, a model call before the tools it asked for.
  items.sort((a, b) => (a.startMs !== null && b.startMs !== null ? a.startMs - b.startMs : 0) || (a.turn ?? 0) - (b.turn ?? 0) || (a.kind === b.kind ? (a.step ?? 0) - (b.step ?? 0) : a.kind === 'model' ? -1 : 1));

  const invocation = records(trajectory.invocations)[0] ?? {};
  const ends = items.filter((i) => i.startMs !== null).map((i) => i.startMs! + (i.durationMs ?? 0));
  const totalMs = Math.max(ends.length > 0 ? Math.max(...ends) : 0, num(invocation.duration_ms) ?? 0);

  let stop: TimelineGap | null = null;
  const others: TimelineGap[] = [];
  for (const gap of gaps) {
    const code = str(gap.code) ?? 'unknown';
    if (code === 'model_call_retried') continue;
    const entry = { code, detail: str(gap.detail), text: gapText(code, str(gap.detail)) };
    if (code === 'max_steps_reached' && stop === null) stop = entry;
    else others.push(entry);
  }
  return { kind: 'timeline', startedAt: origin, totalMs, status: str(invocation.status), error: str(invocation.error_type), items, stop, gaps: others };
}
