import type { FailureClass } from '../schema/failure_record';
import { HttpCallError, type HttpClient } from '../servers/http/http_client';
import { FAILURE_CLASS_HEADER, FAILURE_TERMINAL_MARK, PEER_FAILURE_CLASSES } from '../servers/http/inner_server_error';

type JsonObject = Record<string, unknown>;

export type RolloutAttempt =
  | { ok: true; bodyText: string; result: JsonObject }
  | { ok: false; failureClass: FailureClass; message: string; retryable: boolean };

export interface RolloutRunOptions {
  client: HttpClient;
  agentUrl: string;
  maxAttempts: number;
  timeoutMs: number | null;
  signal?: AbortSignal;
  /** Delay before attempt n+1 (n ≥ 1); exponential with jitter by default. */
  backoffMs?: (attempt: number) => number;
  onRetry?: (attempt: number, failure: Extract<RolloutAttempt, { ok: false }>) => void;
}

export type RolloutOutcomeResult =
  | { ok: true; bodyText: string; result: JsonObject; attempts: number }
  | { ok: false; failureClass: FailureClass; message: string; attempts: number; terminal: boolean };

export class RolloutCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'RolloutCancelled';
  }
}

export function defaultBackoffMs(attempt: number): number {
  const base = Math.min(10_000, 500 * 2 ** (attempt - 1));
  return base / 2 + Math.random() * (base / 2);
}

/** One rollout: `POST /run` on the agent, retried by policy; a failure is returned, never thrown. */
export async function runRolloutWithRetries(row: JsonObject, options: RolloutRunOptions): Promise<RolloutOutcomeResult> {
  const body = row;
  const backoff = options.backoffMs ?? defaultBackoffMs;
  let attempt = 0;
  for (;;) {
    attempt += 1;
    const outcome = await attemptRollout(body, options);
    if (outcome.ok) return { ...outcome, attempts: attempt };
    if (!outcome.retryable || attempt >= options.maxAttempts) {
      return { ok: false, failureClass: outcome.failureClass, message: outcome.message, attempts: attempt, terminal: !outcome.retryable };
    }
    options.onRetry?.(attempt, outcome);
    await sleep(backoff(attempt), options.signal);
  }
}

async function attemptRollout(body: JsonObject, options: RolloutRunOptions): Promise<RolloutAttempt> {
  let status: number;
  let bodyText: string;
  let failureHeader: string | undefined;
  let json: unknown;
  try {
    const answer = await options.client.postJson(`${options.agentUrl}/run`, body, {
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    status = answer.status;
    bodyText = answer.bodyText;
    json = answer.json;
    const header = answer.headers[FAILURE_CLASS_HEADER];
    failureHeader = Array.isArray(header) ? header[0] : header;
  } catch (error) {
    if (error instanceof HttpCallError) {
      if (error.kind === 'cancelled') throw new RolloutCancelled();
      return error.kind === 'timeout'
        ? { ok: false, failureClass: 'rollout_timeout', message: error.message, retryable: true }
        : { ok: false, failureClass: 'connection_error', message: error.message, retryable: true };
    }
    throw error;
  }
  if (status === 200) {
    try {
      const result: unknown = json !== undefined ? json : JSON.parse(bodyText);
      if (typeof result === 'object' && result !== null && !Array.isArray(result) && 'reward' in result) {
        return { ok: true, bodyText, result: result as JsonObject };
      }
    } catch {
      // reported below
    }
    return { ok: false, failureClass: 'agent_error', message: `The agent's answer is not a verify result: ${bodyText.slice(0, 500)}`, retryable: false };
  }
  const readable = readableBody(bodyText);
  const message = /\(via \S+\)$/.test(readable) ? readable : `HTTP ${status} from the agent: ${readable}`;
  if (status >= 500) {
    const [cls, terminalMark] = (failureHeader ?? '').split(';');
    const failureClass = PEER_FAILURE_CLASSES.has(cls ?? '') ? (cls as FailureClass) : 'agent_error';
    return { ok: false, failureClass, message, retryable: terminalMark !== FAILURE_TERMINAL_MARK };
  }
  return { ok: false, failureClass: 'agent_error', message, retryable: false };
}

/**
 * The message worth reading in an agent's error body: NeMo Gym wraps an inner server's body as
 * `Hit an exception in <server> calling an inner server: b'<body>'`; the inner `error.message` or `detail`
 * says what actually went wrong.
 */
export function readableBody(bodyText: string): string {
  let text = bodyText;
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (typeof parsed === 'string') text = parsed;
  } catch {
    // not JSON: keep the raw text
  }
  const wrapped = /^Hit an exception in (\S+) calling an inner server: b(['"])([\s\S]*)\2$/.exec(text);
  if (wrapped) {
    const inner = innerMessage(unescapePythonBytes(wrapped[3]!));
    if (inner) text = `${inner} (via ${wrapped[1]})`;
  }
  return text.length > 4000 ? `${text.slice(0, 4000)}…` : text;
}

function innerMessage(body: string): string | null {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'string') return parsed;
    if (typeof parsed === 'object' && parsed !== null) {
      const error = (parsed as { error?: { message?: unknown } }).error;
      if (error && typeof error.message === 'string') return error.message;
      const detail = (parsed as { detail?: unknown }).detail;
      if (detail !== undefined) return `detail: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`;
    }
  } catch {
    return body.trim() === '' ? null : body;
  }
  return null;
}

/** Undoes Python's bytes repr escapes (`\\`, `\'`, `\n`, `\xNN`), decoding the bytes as UTF-8. */
function unescapePythonBytes(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\' || i + 1 >= text.length) {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = text[++i]!;
    if (next === 'x') {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(({ n: 10, r: 13, t: 9 } as Record<string, number>)[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new RolloutCancelled());
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new RolloutCancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
