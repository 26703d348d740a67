/**
 * One policy for what is worth trying again, used by the model layer (per upstream call), the agent (per peer
 * call) and the collector (per rollout, and per run).
 *
 * - retry now: the same request can succeed in a moment (rate limits, overload, dropped connections, timeouts);
 * - resumable: the rollout can succeed on a later run without changing its row (the key or the endpoint was
 *   wrong, or the run stopped), so `+resume_from_cache=true` tries it again; otherwise the failure is terminal;
 * - systemic: the same failure will hit every rollout (a rejected key, an unknown model), so a run stops
 *   dispatching after a few of them instead of burning through the whole dataset.
 */

/** Attempts per rollout before it is written to the failures file (`+max_attempts`). */
export const DEFAULT_ROLLOUT_ATTEMPTS = 3;
/** Retries of one upstream model call after the first (the `openai` SDK's, per model server config `max_retries`). */
export const DEFAULT_MODEL_CALL_RETRIES = 4;

/** HTTP statuses for which the same request may succeed when sent again later. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status === 499 || status >= 500;
}

/** Upstream statuses that say the configuration is wrong (key, permissions, model or URL), not the row. */
export function isConfigurationStatus(status: number): boolean {
  return status === 401 || status === 403 || status === 404;
}

/** Delay before attempt n+1 of a rollout (n ≥ 1): exponential, capped at 10 s, with jitter. */
export function rolloutBackoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(10_000, 500 * 2 ** (attempt - 1));
  return base / 2 + random() * (base / 2);
}

/** Consecutive identical failures after which a run stops: fewer for a rejected key than for anything else. */
export const SYSTEMIC_FAILURE_THRESHOLD = { configuration: 3, other: 5 } as const;
