import { isConfigurationStatus, SYSTEMIC_FAILURE_THRESHOLD } from '../retry_policy';
import type { RolloutFailure } from './run_rollout';

/** Why a run stopped dispatching: the same failure kept coming back, so it will hit every rollout. */
export interface SystemicFailure {
  failureClass: string;
  upstreamStatus?: number;
  /** The last occurrence's message. */
  message: string;
  occurrences: number;
  /** What to do about it, in one sentence. */
  advice: string;
}

/** Failures that can be the run's fault rather than the row's. */
const CANDIDATE_CLASSES = new Set(['model_error', 'model_timeout', 'connection_error']);

/**
 * Watches finished rollouts for a failure that repeats: a rejected key, a missing model or an unreachable
 * endpoint fails every rollout the same way, and dispatching the rest only burns time and requests. It trips
 * after a few identical failures in a row (fewer for configuration errors: 401, 403, 404); any success resets it.
 */
export class SystemicFailureDetector {
  private signature: string | null = null;
  private count = 0;
  private successes = 0;

  /** Returns the systemic failure once it is established, else null. */
  record(outcome: { ok: true } | ({ ok: false } & RolloutFailure)): SystemicFailure | null {
    if (outcome.ok) {
      this.successes += 1;
      this.signature = null;
      this.count = 0;
      return null;
    }
    if (!CANDIDATE_CLASSES.has(outcome.failureClass)) return null;
    const configuration = outcome.upstreamStatus !== undefined && isConfigurationStatus(outcome.upstreamStatus);
    // A row-specific 4xx (too long a prompt, a refused argument) only counts before anything has succeeded.
    const rowSpecific = !configuration && outcome.upstreamStatus !== undefined && outcome.upstreamStatus < 500;
    if (rowSpecific && this.successes > 0) return null;
    const signature = `${outcome.failureClass}|${outcome.upstreamStatus ?? ''}|${normalized(outcome.message)}`;
    if (signature === this.signature) this.count += 1;
    else {
      this.signature = signature;
      this.count = 1;
    }
    const threshold = configuration ? SYSTEMIC_FAILURE_THRESHOLD.configuration : SYSTEMIC_FAILURE_THRESHOLD.other;
    if (this.count < threshold) return null;
    return {
      failureClass: outcome.failureClass,
      ...(outcome.upstreamStatus !== undefined ? { upstreamStatus: outcome.upstreamStatus } : {}),
      message: outcome.message,
      occurrences: this.count,
      advice: adviceFor(outcome),
    };
  }
}

/** Ids, counts and times differ between otherwise identical messages. */
function normalized(message: string): string {
  return message.replace(/\d+/g, '#').replace(/\b[0-9a-f]{8,}\b/gi, '#').slice(0, 300);
}

function adviceFor(failure: RolloutFailure): string {
  switch (failure.upstreamStatus) {
    case 401:
      return 'The model endpoint rejected the API key: set a valid policy_api_key, then run again with +resume_from_cache=true.';
    case 403:
      return 'The model endpoint refused access with this key: check its permissions, then run again with +resume_from_cache=true.';
    case 404:
      return 'The model endpoint does not know the model or the URL: check policy_model_name and policy_base_url, then run again with +resume_from_cache=true.';
  }
  if (failure.upstreamStatus !== undefined && failure.upstreamStatus < 500) {
    return 'The model endpoint rejects every request the same way: fix the request (the task rows or +responses_create_params) and start a fresh run; resuming reuses <stem>_materialized_inputs.jsonl.';
  }
  if (failure.failureClass === 'connection_error') return 'The servers cannot be reached: check that they are running, then run again with +resume_from_cache=true.';
  return 'The model endpoint keeps failing: check that it is up, then run again with +resume_from_cache=true.';
}
