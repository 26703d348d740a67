import type { ModelApi } from './conversation.js';

/** Fault injection for the fake OpenAI server: which model requests fail, and how. */

export type Fault =
  /** 429 with `Retry-After` (seconds, may be fractional) and OpenAI's rate-limit error body. */
  | { kind: 'rate_limit'; retryAfterSeconds?: number }
  /** 500 with OpenAI's server-error body; `Retry-After` only if given. */
  | { kind: 'server_error'; retryAfterSeconds?: number }
  /** 503 with OpenAI's overloaded body; `Retry-After` only if given. */
  | { kind: 'service_unavailable'; retryAfterSeconds?: number }
  /** Destroys the socket before any response bytes, or after the headers and half the body. */
  | { kind: 'drop_connection'; when?: 'before_headers' | 'mid_body' }
  /** Waits this long, then answers normally (if the client is still there). */
  | { kind: 'slow'; delayMs: number }
  /** 200 with a JSON content type and a truncated body. */
  | { kind: 'malformed_json' }
  /** 400 (or 422) with OpenAI's `Invalid schema for function '<name>'` error about tools[toolIndex]. */
  | { kind: 'tool_schema_error'; status?: 400 | 422; toolIndex?: number; message?: string }
  /** Never answers (until the client goes away or the server closes). */
  | { kind: 'hang' }
  /** Waits until `release` resolves, then answers normally (a test decides when). */
  | { kind: 'held'; release: Promise<void> }
  /** 200 with a body that is not JSON at all. */
  | { kind: 'garbage' }
  /** 200 with a valid JSON body of about `bytes` bytes (a huge message). */
  | { kind: 'oversized'; bytes: number }
  /** 200 with a JSON body whose arrays nest `depth` levels deep. */
  | { kind: 'deeply_nested'; depth: number }
  /** OpenAI's 401 for an invalid key, whatever key was sent. */
  | { kind: 'unauthorized' };

export type FaultKind = Fault['kind'];

export interface FaultContext {
  /** Model requests since the plan was installed (0-based). */
  planRequestIndex: number;
  api: ModelApi;
  body: Record<string, unknown>;
}

export interface FaultPlan {
  /** Faults by model-request index, counted from when the plan was installed (0-based). */
  byRequestIndex?: Record<number, Fault>;
  /** Each model request independently fails with `probability`, with a fault drawn from `faults` (seeded). */
  random?: { probability: number; faults: readonly Fault[]; seed: number };
  /** Decides per request; a returned fault wins over the other rules. */
  decide?: (context: FaultContext) => Fault | undefined;
}

/** mulberry32: a small seeded PRNG, so random fault runs repeat exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks the fault (if any) for each model request under one plan. */
export class FaultSchedule {
  private requestIndex = 0;
  private readonly random?: () => number;

  constructor(private readonly plan: FaultPlan | undefined) {
    if (plan?.random) this.random = seededRandom(plan.random.seed);
  }

  next(api: ModelApi, body: Record<string, unknown>): Fault | undefined {
    const planRequestIndex = this.requestIndex;
    this.requestIndex += 1;
    if (!this.plan) return undefined;
    const decided = this.plan.decide?.({ planRequestIndex, api, body });
    if (decided) return decided;
    const indexed = this.plan.byRequestIndex?.[planRequestIndex];
    if (indexed) return indexed;
    const random = this.plan.random;
    if (random && this.random && random.faults.length > 0 && this.random() < random.probability) {
      return random.faults[Math.floor(this.random() * random.faults.length)];
    }
    return undefined;
  }
}

export function openAIError(message: string, type: string, code: string | null = null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

export const RATE_LIMIT_BODY = openAIError(
  'Rate limit reached for gpt-4.1 in organization org-fake0000 on tokens per min (TPM): Limit 30000, Used 29800, ' +
    'Requested 2340. Please try again in 2.28s. Visit https://platform.openai.com/account/rate-limits to learn more.',
  'tokens',
  'rate_limit_exceeded',
);

export const SERVER_ERROR_BODY = openAIError(
  'The server had an error while processing your request. Sorry about that!',
  'server_error',
);

export const SERVICE_UNAVAILABLE_BODY = openAIError('The server is overloaded or not ready yet.', 'server_error');

/** OpenAI's answer to a function tool whose schema it refuses. */
export function toolSchemaErrorBody(api: ModelApi, toolIndex: number, toolName: string, message?: string) {
  const param = api === 'chat' ? `tools[${toolIndex}].function.parameters` : `tools[${toolIndex}].parameters`;
  return openAIError(
    message ?? `Invalid schema for function '${toolName}': In context=(), 'additionalProperties' is required to be supplied and to be false.`,
    'invalid_request_error',
    'invalid_function_parameters',
    param,
  );
}
