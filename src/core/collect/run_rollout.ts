import type { JsonObject } from '../json_object';
import { isRetryableStatus, isConfigurationStatus, rolloutBackoffMs } from '../retry_policy';
import type { FailureClass } from '../schema/failure_record';
import { HttpCallError, type HttpClient } from '../servers/http/http_client';
import { FAILURE_CLASS_HEADER, FAILURE_TERMINAL_MARK, PEER_FAILURE_CLASSES } from '../servers/http/inner_server_error';
import { describeAgentError } from './agent_error_body';

/** Why one attempt at a rollout failed, and what trying again can do about it (see retry_policy.ts). */
export interface RolloutFailure {
  failureClass: FailureClass;
  message: string;
  /** Trying the same rollout again in this run can succeed. */
  retryNow: boolean;
  /** A later run (`+resume_from_cache=true`) should try it again; otherwise the failure is terminal. */
  resumable: boolean;
  /** The model endpoint's HTTP status, when its answer caused the failure. */
  upstreamStatus?: number;
}

export type RolloutAttempt = { ok: true; bodyText: string; result: JsonObject } | ({ ok: false } & RolloutFailure);

export interface RolloutRunOptions {
  client: HttpClient;
  agentUrl: string;
  maxAttempts: number;
  timeoutMs: number | null;
  /** Aborted when the run is cancelled or stops: the rollout is then left unwritten (`RolloutCancelled`). */
  signal?: AbortSignal;
  /** Delay before attempt n+1 (n ≥ 1). */
  backoffMs?: (attempt: number) => number;
  /** Attempts an earlier run already made at this rollout (a resume): the first attempt here has this index. */
  priorAttempts?: number;
  onRetry?: (attempt: number, failure: RolloutFailure) => void;
}

/** `attempts`: made in this run; `attemptIndex`: NeMo Gym's `_ng_attempt_index` of the last one (0 for a first try). */
export type RolloutOutcomeResult =
  | { ok: true; bodyText: string; result: JsonObject; attempts: number; attemptIndex: number }
  | ({ ok: false; attempts: number; attemptIndex: number } & RolloutFailure);

/** The run was cancelled or stopped while this rollout was under way; nothing is written for it. */
export class RolloutCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'RolloutCancelled';
  }
}

/**
 * One rollout: `POST /run` on the agent, retried by policy; a failure is returned, never thrown. A retry carries
 * `_ng_attempt_index` (as NeMo Gym stamps a resumed retry), so the agent and the trajectory tell the attempts apart.
 */
export async function runRolloutWithRetries(row: JsonObject, options: RolloutRunOptions): Promise<RolloutOutcomeResult> {
  const backoff = options.backoffMs ?? ((attempt: number) => rolloutBackoffMs(attempt));
  let attempt = 0;
  for (;;) {
    attempt += 1;
    const attemptIndex = (options.priorAttempts ?? 0) + attempt - 1;
    const outcome = await attemptRollout(attemptIndex > 0 ? { ...row, _ng_attempt_index: attemptIndex } : row, options);
    if (outcome.ok) return { ...outcome, attempts: attempt, attemptIndex };
    if (!outcome.retryNow || attempt >= options.maxAttempts) return { ...outcome, attempts: attempt, attemptIndex };
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
        ? failure('rollout_timeout', `The rollout did not finish within ${options.timeoutMs} ms (+rollout_timeout_seconds).`, true, true)
        : failure('connection_error', error.message, true, true);
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
    return failure('agent_error', `The agent's answer is not a verify result: ${bodyText.slice(0, 500)}`, false, false);
  }
  const described = describeAgentError(bodyText);
  const message = described.via ? described.message : `HTTP ${status} from the agent: ${described.message}`;
  const upstream = described.upstreamStatus;
  if (status >= 500) {
    const [cls, terminalMark] = (failureHeader ?? '').split(';');
    const failureClass = PEER_FAILURE_CLASSES.has(cls ?? '') ? (cls as FailureClass) : 'agent_error';
    const retryNow = terminalMark !== FAILURE_TERMINAL_MARK && (upstream === undefined || isRetryableStatus(upstream));
    const resumable = retryNow || (upstream !== undefined && isConfigurationStatus(upstream));
    return { ...failure(failureClass, message, retryNow, resumable), ...(upstream !== undefined ? { upstreamStatus: upstream } : {}) };
  }
  return failure('agent_error', message, false, false);
}

function failure(failureClass: FailureClass, message: string, retryNow: boolean, resumable: boolean): { ok: false } & RolloutFailure {
  return { ok: false, failureClass, message, retryNow, resumable };
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
