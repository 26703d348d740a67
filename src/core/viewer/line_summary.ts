import { KeyMatcher, MALFORMED, scanArray, scanObject, skipValue, skipWhitespace } from './json_scan';
import type { RolloutFacts, RolloutNumbers } from './model';
import { isErrorToolOutput, isStateChangingTool } from './tool_calls';

/**
 * The fields of one rollout line (or input row) that the list, filters and statistics need, picked out of the
 * line's bytes without parsing the whole line. Absent numbers are NaN (floats) or -1 (indices, counts), so the
 * index can hold them in typed arrays.
 */
export interface LineSummary extends RolloutFacts, RolloutNumbers<never> {
  agentName: string | null;
  /** Byte ranges (absolute) of `responses_create_params.input` and `response.output`: what text search reads. */
  inputStart: number;
  inputEnd: number;
  outputStart: number;
  outputEnd: number;
}

export const TITLE_MAX_CHARS = 160;
/** Strings longer than this are decoded only in part when only a prefix is needed. */
const PREFIX_DECODE_BYTES = 4096;

function emptySummary(): LineSummary {
  return {
    broken: null,
    reward: Number.NaN,
    taskIndex: -1,
    rolloutIndex: -1,
    taskId: null,
    category: null,
    agentName: null,
    title: null,
    turns: 0,
    toolCalls: 0,
    stateChangingCalls: 0,
    toolErrors: 0,
    inputTokens: Number.NaN,
    outputTokens: Number.NaN,
    totalTokens: Number.NaN,
    responseError: null,
    hasGroundTruth: false,
    hasRewardExplanation: false,
    inputStart: 0,
    inputEnd: 0,
    outputStart: 0,
    outputEnd: 0,
  };
}

const TOP_KEYS = new KeyMatcher([
  'reward',
  '_ng_task_index',
  '_ng_rollout_index',
  'id',
  'category',
  'agent_ref',
  'responses_create_params',
  'response',
  'ground_truth',
  'reward_explanation',
  '_ng_failure_class',
] as const);
const PARAMS_KEYS = new KeyMatcher(['input'] as const);
const RESPONSE_KEYS = new KeyMatcher(['output', 'usage', 'status', 'error', 'incomplete_details'] as const);
const USAGE_KEYS = new KeyMatcher(['input_tokens', 'output_tokens', 'total_tokens'] as const);
const ITEM_KEYS = new KeyMatcher(['type', 'role', 'content', 'name', 'output', 'text'] as const);
const NAME_KEYS = new KeyMatcher(['name'] as const);
const REASON_KEYS = new KeyMatcher(['reason', 'message'] as const);

const QUOTE = 0x22;
const LBRACE = 0x7b;
const LBRACKET = 0x5b;
const NULL_BYTE = 0x6e; // 'n' of null

function decodeString(b: Buffer, start: number, end: number): string | null {
  if (b[start] !== QUOTE) return null;
  // Short plain-ASCII strings (item types, tool names, roles) need no JSON decoding.
  if (end - start <= 128) {
    let plain = true;
    for (let i = start + 1; i < end - 1; i++) {
      const c = b[i] as number;
      if (c === 0x5c || c >= 0x80) {
        plain = false;
        break;
      }
    }
    if (plain) return b.toString('latin1', start + 1, end - 1);
  }
  try {
    return JSON.parse(b.toString('utf8', start, end)) as string;
  } catch {
    return null;
  }
}

/** Decodes at most the first `maxBytes` of a string token, cutting at a place that keeps escapes whole. */
function decodeStringPrefix(b: Buffer, start: number, end: number, maxBytes: number): string | null {
  if (end - start <= maxBytes) return decodeString(b, start, end);
  let cut = start + maxBytes;
  for (let attempt = 0; attempt < 12 && cut > start + 1; attempt++, cut--) {
    try {
      return JSON.parse(b.toString('utf8', start, cut) + '"') as string;
    } catch {
      // cut inside an escape sequence or a multi-byte character: move left and retry
    }
  }
  return null;
}

function decodeNumber(b: Buffer, start: number, end: number): number {
  const c = b[start];
  if (c === QUOTE || c === LBRACE || c === LBRACKET || c === NULL_BYTE) return Number.NaN;
  const text = b.toString('latin1', start, end);
  if (text === 'true') return 1;
  if (text === 'false') return 0;
  return Number(text);
}

/** A dataset id may be a number or a string; anything else (null, objects) counts as absent. */
function decodeScalarText(b: Buffer, start: number, end: number): string | null {
  const c = b[start];
  if (c === QUOTE) return decodeString(b, start, end);
  if (c === LBRACE || c === LBRACKET || c === NULL_BYTE) return null;
  return b.toString('latin1', start, end);
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > TITLE_MAX_CHARS ? `${flat.slice(0, TITLE_MAX_CHARS - 1)}…` : flat;
}

/** Reads the text of a message `content`: a string, or the first part carrying `text`. */
function contentText(b: Buffer, start: number, end: number): string | null {
  if (b[start] === QUOTE) return decodeStringPrefix(b, start, end, PREFIX_DECODE_BYTES);
  if (b[start] !== LBRACKET) return null;
  let text: string | null = null;
  const after = scanArray(b, start, end, (valueStart) => {
    const valueEnd = skipValue(b, valueStart, end);
    if (text === null && b[valueStart] === LBRACE) {
      scanObject(b, valueStart, valueEnd, (ks, ke, vs) => {
        const ve = skipValue(b, vs, valueEnd);
        if (ITEM_KEYS.match(b, ks, ke) === 'text' && text === null) text = decodeStringPrefix(b, vs, ve, PREFIX_DECODE_BYTES);
        return ve;
      });
    }
    return valueEnd;
  });
  return after < 0 ? null : text;
}

/** The first user message of `responses_create_params.input` (a string input is the user message itself). */
function firstUserMessage(b: Buffer, start: number, end: number): string | null {
  if (b[start] === QUOTE) return decodeStringPrefix(b, start, end, PREFIX_DECODE_BYTES);
  if (b[start] !== LBRACKET) return null;
  let found: string | null = null;
  scanArray(b, start, end, (itemStart) => {
    const itemEnd = skipValue(b, itemStart, end);
    if (found !== null || b[itemStart] !== LBRACE) return itemEnd;
    let role: string | null = null;
    let content: string | null = null;
    scanObject(b, itemStart, itemEnd, (ks, ke, vs) => {
      const ve = skipValue(b, vs, itemEnd);
      const key = ITEM_KEYS.match(b, ks, ke);
      if (key === 'role') role = decodeString(b, vs, ve);
      else if (key === 'content') content = contentText(b, vs, ve);
      return ve;
    });
    if (role === 'user' && content !== null) found = content;
    return itemEnd;
  });
  return found;
}

const OUTPUT_PREFIX_ERROR = Buffer.from('"{\\"error\\"');
const OUTPUT_PREFIX_DETAIL = Buffer.from('"{\\"detail\\"');
/** Tool outputs longer than this are data, not error messages; only their prefix is checked. */
const ERROR_OUTPUT_MAX_BYTES = 2048;

function toolOutputIsError(b: Buffer, start: number, end: number): boolean {
  if (b[start] !== QUOTE) return false;
  if (end - start > ERROR_OUTPUT_MAX_BYTES) {
    return b.subarray(start, start + OUTPUT_PREFIX_ERROR.length).equals(OUTPUT_PREFIX_ERROR) ||
      b.subarray(start, start + OUTPUT_PREFIX_DETAIL.length).equals(OUTPUT_PREFIX_DETAIL);
  }
  const text = decodeString(b, start, end);
  return text !== null && isErrorToolOutput(text);
}

function scanOutputItems(b: Buffer, start: number, end: number, summary: LineSummary): number {
  let inModelRun = false;
  return scanArray(b, start, end, (itemStart) => {
    const itemEnd = skipValue(b, itemStart, end);
    if (itemEnd < 0 || b[itemStart] !== LBRACE) return itemEnd;
    let type: string | null = null;
    let name: string | null = null;
    let outputStart = -1;
    let outputEnd = -1;
    scanObject(b, itemStart, itemEnd, (ks, ke, vs) => {
      const ve = skipValue(b, vs, itemEnd);
      const key = ITEM_KEYS.match(b, ks, ke);
      if (key === 'type') type = decodeString(b, vs, ve);
      else if (key === 'name') name = decodeString(b, vs, ve);
      else if (key === 'output') {
        outputStart = vs;
        outputEnd = ve;
      }
      return ve;
    });
    if (type === 'function_call_output') {
      inModelRun = false;
      if (outputStart >= 0 && toolOutputIsError(b, outputStart, outputEnd)) summary.toolErrors++;
      return itemEnd;
    }
    if (!inModelRun) summary.turns++;
    inModelRun = true;
    if (type === 'function_call') {
      summary.toolCalls++;
      if (name !== null && isStateChangingTool(name)) summary.stateChangingCalls++;
    }
    return itemEnd;
  });
}

function scanUsage(b: Buffer, start: number, end: number, summary: LineSummary): number {
  if (b[start] !== LBRACE) return skipValue(b, start, end);
  return scanObject(b, start, end, (ks, ke, vs) => {
    const ve = skipValue(b, vs, end);
    const key = USAGE_KEYS.match(b, ks, ke);
    if (key === 'input_tokens') summary.inputTokens = decodeNumber(b, vs, ve);
    else if (key === 'output_tokens') summary.outputTokens = decodeNumber(b, vs, ve);
    else if (key === 'total_tokens') summary.totalTokens = decodeNumber(b, vs, ve);
    return ve;
  });
}

/** `error` / `incomplete_details` objects: their `message` or `reason`, else a generic word. */
function describeProblem(b: Buffer, start: number, end: number, fallback: string): string {
  let detail: string | null = null;
  if (b[start] === LBRACE) {
    scanObject(b, start, end, (ks, ke, vs) => {
      const ve = skipValue(b, vs, end);
      if (detail === null && REASON_KEYS.match(b, ks, ke) !== null) detail = decodeStringPrefix(b, vs, ve, 400);
      return ve;
    });
  } else if (b[start] === QUOTE) {
    detail = decodeStringPrefix(b, start, end, 400);
  }
  return detail ? `${fallback}: ${shorten(detail)}` : fallback;
}

function scanResponse(b: Buffer, start: number, end: number, summary: LineSummary): number {
  if (b[start] !== LBRACE) return skipValue(b, start, end);
  let status: string | null = null;
  let problem: string | null = null;
  const after = scanObject(b, start, end, (ks, ke, vs) => {
    const key = RESPONSE_KEYS.match(b, ks, ke);
    if (key === 'output') {
      if (b[vs] !== LBRACKET) return skipValue(b, vs, end);
      const ve = scanOutputItems(b, vs, end, summary);
      summary.outputStart = vs;
      summary.outputEnd = ve;
      return ve;
    }
    if (key === 'usage') return scanUsage(b, vs, end, summary);
    const ve = skipValue(b, vs, end);
    if (ve < 0 || b[vs] === NULL_BYTE) return ve;
    if (key === 'status') status = decodeString(b, vs, ve);
    else if (key === 'error') problem ??= describeProblem(b, vs, ve, 'error');
    else if (key === 'incomplete_details') problem ??= describeProblem(b, vs, ve, 'incomplete');
    return ve;
  });
  if (problem === null && status !== null && status !== 'completed') problem = `status ${status}`;
  if (problem !== null) summary.responseError ??= problem;
  return after;
}

function scanParams(b: Buffer, start: number, end: number, summary: LineSummary): number {
  if (b[start] !== LBRACE) return skipValue(b, start, end);
  return scanObject(b, start, end, (ks, ke, vs) => {
    const ve = skipValue(b, vs, end);
    if (PARAMS_KEYS.match(b, ks, ke) === 'input' && ve >= 0) {
      summary.inputStart = vs;
      summary.inputEnd = ve;
      const message = firstUserMessage(b, vs, ve);
      if (message !== null) summary.title = shorten(message);
    }
    return ve;
  });
}

function scanAgentRef(b: Buffer, start: number, end: number, summary: LineSummary): number {
  const ve = skipValue(b, start, end);
  if (ve < 0 || b[start] !== LBRACE) return ve;
  scanObject(b, start, ve, (ks, ke, vs) => {
    const itemEnd = skipValue(b, vs, ve);
    if (NAME_KEYS.match(b, ks, ke) === 'name') summary.agentName = decodeString(b, vs, itemEnd);
    return itemEnd;
  });
  return ve;
}

/** Summarises the JSON text in `b[start, end)` (one line without its newline). Never throws. */
export function summarizeLine(b: Buffer, start: number, end: number): LineSummary {
  const summary = emptySummary();
  const first = skipWhitespace(b, start, end);
  if (b[first] !== LBRACE) {
    summary.broken = first < end && skipValue(b, first, end) >= 0 ? 'not a JSON object' : 'not valid JSON';
    return summary;
  }
  const after = scanObject(b, first, end, (ks, ke, vs) => {
    const key = TOP_KEYS.match(b, ks, ke);
    switch (key) {
      case 'responses_create_params':
        return scanParams(b, vs, end, summary);
      case 'response':
        return scanResponse(b, vs, end, summary);
      case 'agent_ref':
        return scanAgentRef(b, vs, end, summary);
      default:
        break;
    }
    const ve = skipValue(b, vs, end);
    if (ve < 0) return ve;
    switch (key) {
      case 'reward':
        summary.reward = decodeNumber(b, vs, ve);
        break;
      case '_ng_task_index': {
        const n = decodeNumber(b, vs, ve);
        summary.taskIndex = Number.isInteger(n) && n >= 0 ? n : -1;
        break;
      }
      case '_ng_rollout_index': {
        const n = decodeNumber(b, vs, ve);
        summary.rolloutIndex = Number.isInteger(n) && n >= 0 ? n : -1;
        break;
      }
      case 'id':
        summary.taskId = decodeScalarText(b, vs, ve);
        break;
      case 'category':
        summary.category = b[vs] === QUOTE ? decodeString(b, vs, ve) : null;
        break;
      case 'ground_truth':
        summary.hasGroundTruth = b[vs] !== NULL_BYTE;
        break;
      case 'reward_explanation':
        summary.hasRewardExplanation = b[vs] === LBRACE;
        break;
      case '_ng_failure_class': {
        const failure = decodeString(b, vs, ve);
        if (failure) summary.responseError = `failure ${failure}`;
        break;
      }
      default:
        break;
    }
    return ve;
  });
  if (after === MALFORMED || skipWhitespace(b, after, end) !== end) {
    const broken = emptySummary();
    broken.broken = 'not valid JSON';
    return broken;
  }
  return summary;
}
