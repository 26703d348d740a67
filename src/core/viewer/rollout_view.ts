import { RewardExplanation } from '../schema/reward_explanation';
import { alignCalls, alignmentVerdict, type PlainCall } from './call_alignment';
import { formatJson, formatValue } from './json_text';
import type { ConversationItem, ExplanationView, FileRole, FormattedText, GroundTruthView, RolloutHeader, RolloutView } from './model';
import type { RolloutLine } from './rollout_index';
import { previewOf } from './text_preview';
import { buildTimeline } from './timeline';
import { isErrorToolOutput, isStateChangingTool } from './tool_calls';

/**
 * Turns one parsed rollout line into what the viewer shows: the conversation in reading order with numbered
 * steps, the ground truth aligned with the state-changing calls, and the verifier's explanation.
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

function idText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function formatted(raw: string): FormattedText {
  const result = formatJson(raw);
  return { text: result.text, json: result.valid };
}

/** A tool output as sent with the rollout: its beginning when long (the page asks for the rest on request). */
function previewed(raw: string): FormattedText {
  const full = formatted(raw);
  const preview = previewOf(full.text);
  return preview.whole ? { ...full, text: preview.text, whole: preview.whole } : full;
}

/** Text of a message `content`: a string, or parts (text, refusal; placeholders for images and files). */
export function contentToText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return content === undefined || content === null ? '' : formatValue(content);
  return content
    .map((part) => {
      if (!isRecord(part)) return formatValue(part);
      if (typeof part.text === 'string') return part.text;
      if (typeof part.refusal === 'string') return `[refusal] ${part.refusal}`;
      if (part.type === 'input_image') return '[image]';
      if (part.type === 'input_file') return `[file${typeof part.filename === 'string' ? ` ${part.filename}` : ''}]`;
      return formatValue(part);
    })
    .join('\n');
}

function reasoningText(item: Json): string {
  const texts: string[] = [];
  for (const field of ['summary', 'content'] as const) {
    const parts = item[field];
    if (!Array.isArray(parts)) continue;
    for (const part of parts) if (isRecord(part) && typeof part.text === 'string' && part.text.trim() !== '') texts.push(part.text);
  }
  return texts.join('\n\n');
}

function argumentsText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

interface ConversationBuild {
  items: ConversationItem[];
  predictedCalls: PlainCall[];
  readOnlyCalls: number;
}

/** Both the task input and the response output, in execution order. */
function buildConversation(params: unknown, response: unknown, options: { fullOutputs?: boolean } = {}): ConversationBuild {
  const outputText = options.fullOutputs ? formatted : previewed;
  const items: ConversationItem[] = [];
  const predictedCalls: PlainCall[] = [];
  const callNames = new Map<string, { name: string; step: number }>();
  let step = 0;
  let turn = 0;
  let inModelRun = false;
  let readOnlyCalls = 0;

  const addItem = (raw: unknown, origin: 'input' | 'output'): void => {
    if (!isRecord(raw)) {
      items.push({ kind: 'other', itemType: typeof raw, turn, json: formatValue(raw) });
      return;
    }
    const type = str(raw.type) ?? (typeof raw.role === 'string' ? 'message' : 'unknown');
    if (type === 'function_call_output') {
      inModelRun = false;
      const callId = str(raw.call_id);
      const call = callId ? callNames.get(callId) : undefined;
      const body = typeof raw.output === 'string' ? raw.output : formatValue(raw.output);
      items.push({
        kind: 'output',
        step: call?.step ?? null,
        turn,
        name: call?.name ?? null,
        callId,
        output: outputText(body),
        error: isErrorToolOutput(body),
      });
      const predicted = predictedCalls.find((c) => c.position === call?.step);
      if (predicted && isErrorToolOutput(body)) predicted.failed = true;
      return;
    }
    if (origin === 'output' && !inModelRun) {
      turn++;
      inModelRun = true;
    }
    switch (type) {
      case 'message':
        items.push({ kind: 'message', role: str(raw.role) ?? 'assistant', text: contentToText(raw.content), origin, turn });
        return;
      case 'reasoning':
        items.push({ kind: 'reasoning', text: reasoningText(raw), turn });
        return;
      case 'function_call': {
        step++;
        const name = str(raw.name) ?? '(unnamed)';
        const args = argumentsText(raw.arguments);
        const callId = str(raw.call_id);
        if (callId) callNames.set(callId, { name, step });
        const stateChanging = isStateChangingTool(name);
        if (stateChanging) predictedCalls.push({ position: step, name, arguments: args });
        else readOnlyCalls++;
        items.push({ kind: 'call', step, turn, name, callId, arguments: formatted(args), stateChanging });
        return;
      }
      default:
        items.push({ kind: 'other', itemType: type, turn, json: formatValue(raw) });
    }
  };

  const input = isRecord(params) ? params.input : undefined;
  if (typeof input === 'string') items.push({ kind: 'message', role: 'user', text: input, origin: 'input', turn: 0 });
  else if (Array.isArray(input)) for (const item of input) addItem(item, 'input');
  const output = isRecord(response) ? response.output : undefined;
  if (Array.isArray(output)) for (const item of output) addItem(item, 'output');
  return { items, predictedCalls, readOnlyCalls };
}

function groundTruthCalls(value: unknown[]): PlainCall[] {
  return value.map((item, position) => {
    if (!isRecord(item)) return { position, name: '(not a call)', arguments: formatValue(item) };
    return { position, name: str(item.name) ?? '(unnamed)', arguments: argumentsText(item.arguments) };
  });
}

function buildGroundTruth(
  own: unknown,
  fromInput: unknown,
  conversation: ConversationBuild,
): GroundTruthView {
  const origin: GroundTruthView['origin'] = own !== undefined && own !== null ? 'rollout' : fromInput !== undefined && fromInput !== null ? 'input' : 'none';
  const value = origin === 'rollout' ? own : origin === 'input' ? fromInput : undefined;
  if (typeof value === 'string') {
    const rows = alignCalls([], conversation.predictedCalls);
    return {
      origin,
      kind: 'no-changes',
      text: value,
      rows,
      readOnlyCalls: conversation.readOnlyCalls,
      verdict: `The ground truth is a string, so the verifier replays no expected calls: the reward is 1 only if nothing changes. ${alignmentVerdict(rows)}`,
    };
  }
  if (!Array.isArray(value)) {
    return {
      origin: 'none',
      kind: 'absent',
      text: null,
      rows: alignCalls([], conversation.predictedCalls),
      readOnlyCalls: conversation.readOnlyCalls,
      verdict: 'No ground truth in this line or its input row.',
    };
  }
  const rows = alignCalls(groundTruthCalls(value), conversation.predictedCalls);
  return { origin, kind: 'calls', text: null, rows, readOnlyCalls: conversation.readOnlyCalls, verdict: alignmentVerdict(rows) };
}

function buildExplanation(value: unknown): ExplanationView | null {
  if (value === undefined || value === null) return null;
  const parsed = RewardExplanation.safeParse(value);
  if (parsed.success) return { kind: 'explanation', explanation: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    kind: 'invalid',
    json: formatValue(value),
    problem: issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'does not match the expected shape',
  };
}

const FIELD_JSON_MAX_CHARS = 20_000;
const SHOWN_ELSEWHERE = new Set(['responses_create_params', 'response', 'reward', 'ground_truth', 'reward_explanation', 'id', 'category']);

function clip(text: string): string {
  return text.length > FIELD_JSON_MAX_CHARS ? `${text.slice(0, FIELD_JSON_MAX_CHARS)}\n… (${text.length - FIELD_JSON_MAX_CHARS} more characters)` : text;
}

function buildFields(record: Json): { name: string; json: string }[] {
  const fields: { name: string; json: string }[] = [];
  for (const [name, value] of Object.entries(record)) {
    if (!SHOWN_ELSEWHERE.has(name)) fields.push({ name, json: clip(formatValue(value)) });
  }
  const params = record.responses_create_params;
  if (isRecord(params)) {
    const sampling = Object.fromEntries(Object.entries(params).filter(([key, v]) => key !== 'input' && key !== 'tools' && v !== null));
    fields.push({ name: 'responses_create_params (without input and tools)', json: clip(formatValue(sampling)) });
    if (Array.isArray(params.tools)) {
      const names = params.tools.map((tool) => (isRecord(tool) ? (str(tool.name) ?? '?') : '?'));
      fields.push({ name: `tools (${names.length})`, json: names.join('\n') });
    }
  }
  return fields;
}

function buildHeader(record: Json, context: RolloutViewContext): RolloutHeader {
  const response = isRecord(record.response) ? record.response : {};
  const params = isRecord(record.responses_create_params) ? record.responses_create_params : {};
  const usage = isRecord(response.usage) ? response.usage : null;
  const inputDetails = usage && isRecord(usage.input_tokens_details) ? usage.input_tokens_details : {};
  const outputDetails = usage && isRecord(usage.output_tokens_details) ? usage.output_tokens_details : {};
  const agentRef = isRecord(record.agent_ref) ? record.agent_ref : {};
  const ownCategory = str(record.category);
  return {
    reward: num(record.reward) ?? (typeof record.reward === 'boolean' ? Number(record.reward) : null),
    taskIndex: num(record._ng_task_index),
    rolloutIndex: num(record._ng_rollout_index),
    taskId: idText(record.id) ?? context.joinedTaskId,
    category: ownCategory ?? context.joinedCategory,
    categoryOrigin: ownCategory !== null ? 'rollout' : context.joinedCategory !== null ? 'input' : 'none',
    agentName: str(agentRef.name),
    model: str(response.model),
    status: str(response.status),
    responseError: context.responseError,
    createdAt: num(response.created_at),
    usage: usage
      ? {
          inputTokens: num(usage.input_tokens),
          outputTokens: num(usage.output_tokens),
          totalTokens: num(usage.total_tokens),
          cachedTokens: num(inputDetails.cached_tokens),
          reasoningTokens: num(outputDetails.reasoning_tokens),
        }
      : null,
    toolCount: Array.isArray(params.tools) ? params.tools.length : 0,
    temperature: num(params.temperature),
  };
}

export interface RolloutViewContext {
  role: FileRole;
  /** The matching input row (materialized inputs or task file), when the line lacks dataset fields. */
  inputRecord: Json | null;
  joinedTaskId: string | null;
  joinedCategory: string | null;
  responseError: string | null;
}

const RAW_PREVIEW_CHARS = 4000;

/** The whole text of item `index`'s output (or arguments), for "Show all" on a previewed block. */
export function itemFullText(line: RolloutLine, index: number): string | null {
  const record = line.record;
  if (record === null) return null;
  const item = buildConversation(record.responses_create_params, record.response, { fullOutputs: true }).items[index];
  if (!item) return null;
  if (item.kind === 'output') return item.output.text;
  if (item.kind === 'call') return item.arguments.text;
  return null;
}

export function buildRolloutView(line: RolloutLine, context: RolloutViewContext): Omit<RolloutView, 'buildMs'> {
  const record = line.record;
  if (record === null) {
    return {
      role: context.role,
      entry: line.entry,
      lineNumber: line.lineNumber,
      broken: line.error ?? 'unreadable line',
      raw: line.text.length > RAW_PREVIEW_CHARS ? `${line.text.slice(0, RAW_PREVIEW_CHARS)}…` : line.text,
      header: buildHeader({}, context),
      items: [],
      groundTruth: { origin: 'none', kind: 'absent', text: null, rows: [], readOnlyCalls: 0, verdict: '' },
      explanation: null,
      fields: [],
      timeline: { kind: 'absent', reason: 'No timeline: the line is not a readable rollout.' },
    };
  }
  const conversation = buildConversation(record.responses_create_params, record.response);
  const fromInput = context.inputRecord?.ground_truth;
  return {
    role: context.role,
    entry: line.entry,
    lineNumber: line.lineNumber,
    broken: null,
    raw: null,
    header: buildHeader(record, context),
    items: conversation.items,
    groundTruth: buildGroundTruth(record.ground_truth, fromInput, conversation),
    explanation: buildExplanation(record.reward_explanation),
    fields: buildFields(record),
    timeline: buildTimeline(record.ng_trajectory, conversation.items),
  };
}
