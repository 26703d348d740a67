import { readFileSync } from 'node:fs';
import type { ModelTurn, TurnItem } from '../../../src/core/model/response_builder.js';
import { contentText, type ScriptRequest } from './conversation.js';
import { loadRecordedRollouts, type RecordedRollout } from './recorded_rollouts.js';

/** How the fake server decides what the model says. */

/** A model turn; rendered as a Responses object or a chat.completion depending on the endpoint called. */
export interface FakeTurn extends ModelTurn {
  /** Responses API output items to send verbatim (replay), instead of rendering `items`. */
  responsesOutput?: Record<string, unknown>[];
  /** Fields laid over the rendered Responses object (e.g. the recorded `id`, `created_at`, `usage`, `billing`). */
  responsesEnvelope?: Record<string, unknown>;
  /** The model name the reply reports (default: the request's). */
  model?: string;
}

/** An exact HTTP answer, for behaviours a turn cannot express. */
export interface RawReply {
  raw: { status: number; headers?: Record<string, string>; body: unknown };
}

export type FakeReply = FakeTurn | RawReply;
export type FakeScript = (request: ScriptRequest) => FakeReply | Promise<FakeReply>;

export function isRawReply(reply: FakeReply): reply is RawReply {
  return 'raw' in reply;
}

/** An OpenAI-style error answer (`{"error": {message, type, param, code}}`). */
export function openAIErrorReply(
  status: number,
  message: string,
  options: { type?: string; code?: string | null; param?: string | null } = {},
): RawReply {
  return {
    raw: {
      status,
      body: { error: { message, type: options.type ?? 'invalid_request_error', param: options.param ?? null, code: options.code ?? null } },
    },
  };
}

type JsonObject = Record<string, unknown>;

/** The neutral form of recorded Responses output items (for rendering them as a chat reply). */
export function turnItemsFromResponsesOutput(items: readonly JsonObject[]): TurnItem[] {
  return items.flatMap((item): TurnItem[] => {
    if (item.type === 'function_call') {
      return [{ type: 'function_call', name: String(item.name), arguments: String(item.arguments), callId: String(item.call_id) }];
    }
    if (item.type === 'message') return [{ type: 'message', text: contentText(item.content) }];
    if (item.type === 'reasoning') {
      const summary = Array.isArray(item.summary) ? item.summary.map((part: JsonObject) => String(part.text)) : [];
      return [{ type: 'reasoning', summary }];
    }
    return [];
  });
}

/**
 * (a) Replays recorded rollouts: the rollout is found by the user message text, the turn by how many tool
 * outputs the request already carries. Responses API replies are the recorded items verbatim, in the recorded
 * envelope; Chat Completions replies say the same (tool_calls with id = call_id, the message text).
 */
export function replayRecordedRollouts(source: string | readonly RecordedRollout[]): FakeScript {
  const rollouts = typeof source === 'string' ? loadRecordedRollouts(source) : source;
  const byUserText = new Map(rollouts.map((rollout) => [rollout.userText, rollout]));
  return (request) => {
    const rollout = request.userText !== undefined ? byUserText.get(request.userText) : undefined;
    if (!rollout) {
      return openAIErrorReply(400, `fake server: no recorded rollout starts with the user message ${JSON.stringify(request.userText)}`);
    }
    let outputsBefore = 0;
    for (const turn of rollout.turns) {
      if (outputsBefore === request.toolOutputCount) {
        const { output: _output, ...envelope } = rollout.response;
        return {
          items: turnItemsFromResponsesOutput(turn.modelItems),
          responsesOutput: turn.modelItems,
          responsesEnvelope: { ...envelope, status: 'completed', incomplete_details: null },
          model: String(rollout.response.model),
          usage: rollout.response.usage as ModelTurn['usage'],
        };
      }
      outputsBefore += turn.toolOutputs.length;
    }
    return openAIErrorReply(
      400,
      `fake server: rollout ${rollout.line} has no turn after ${request.toolOutputCount} tool outputs (it records ${rollout.turns.length} turns)`,
    );
  };
}

export interface GroundTruthCall {
  name: string;
  /** A JSON string, as in NeMo Gym's task rows. */
  arguments: string;
}

/** A task row with a ground truth (`example.jsonl`, `example_rollouts_tasks.jsonl`). */
export interface TaskRow {
  responses_create_params: { input: unknown };
  ground_truth: GroundTruthCall[] | string;
}

function firstUserText(input: unknown): string | undefined {
  if (typeof input === 'string') return input;
  if (!Array.isArray(input)) return undefined;
  const user = (input as JsonObject[]).find((item) => item.role === 'user');
  return user ? contentText(user.content) : undefined;
}

function readTaskRows(path: string): TaskRow[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as TaskRow);
}

/**
 * (b) An oracle for arbitrary task rows: calls each ground-truth tool in turn (one per model turn, arguments
 * as given), then answers with a final message.
 */
export function oracleScript(tasks: string | readonly TaskRow[], options: { finalText?: string } = {}): FakeScript {
  const rows = typeof tasks === 'string' ? readTaskRows(tasks) : tasks;
  const byUserText = new Map<string, GroundTruthCall[]>();
  for (const row of rows) {
    const text = firstUserText(row.responses_create_params.input);
    const calls = typeof row.ground_truth === 'string' ? (JSON.parse(row.ground_truth) as GroundTruthCall[]) : row.ground_truth;
    if (text !== undefined) byUserText.set(text, calls);
  }
  return (request) => {
    const calls = request.userText !== undefined ? byUserText.get(request.userText) : undefined;
    if (!calls) return openAIErrorReply(400, `fake server: no task row has the user message ${JSON.stringify(request.userText)}`);
    const next = calls[request.toolOutputCount];
    if (next) {
      return { items: [{ type: 'function_call', name: next.name, arguments: next.arguments, callId: `call_oracle_${request.toolOutputCount}` }] };
    }
    return { items: [{ type: 'message', text: options.finalText ?? `Done: ${calls.map((call) => call.name).join(', ') || 'nothing to change'}.` }] };
  };
}

/** Read-only workplace tools, so a benchmark's tool calls leave the tables as they were. */
export const BENCHMARK_TOOL_CALLS: readonly GroundTruthCall[] = [
  { name: 'company_directory_find_email_address', arguments: '{"name":"nadia"}' },
  { name: 'email_search_emails', arguments: '{"query":"kofi","page":1,"page_size":1}' },
  { name: 'calendar_search_events', arguments: '{"query":"meeting","page":1,"page_size":1}' },
];

/**
 * (d) A fixed, zero-latency script for benchmarks: one tool call per turn, then a final message (by default
 * 4 model turns with 3 tool calls). Stateless: the turn is the number of tool outputs in the request.
 */
export function fixedScript(options: { toolCalls?: readonly GroundTruthCall[]; finalText?: string } = {}): FakeScript {
  const calls = options.toolCalls ?? BENCHMARK_TOOL_CALLS;
  const finalText = options.finalText ?? 'All done.';
  const usage = { input_tokens: 2300, input_tokens_details: { cached_tokens: 2048 }, output_tokens: 40, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 2340 };
  return (request) => {
    const next = calls[request.toolOutputCount];
    const items: TurnItem[] = next
      ? [{ type: 'function_call', name: next.name, arguments: next.arguments, callId: `call_fixed_${request.toolOutputCount}` }]
      : [{ type: 'message', text: finalText }];
    return { items, usage };
  };
}
