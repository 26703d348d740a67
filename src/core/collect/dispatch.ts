import type { CollectionStop } from './api';
import { OutputWriteError } from './jsonl_appender';
import type { MaterializedRow } from './materialize';
import { RolloutCancelled, type RolloutOutcomeResult } from './run_rollout';
import { SystemicFailureDetector } from './systemic_failures';

export interface DispatchOptions {
  rows: readonly MaterializedRow[];
  /** Rollouts in flight at once. */
  parallel: number;
  /** The user's cancellation. */
  signal?: AbortSignal;
  /** Runs one rollout; throws {@link RolloutCancelled} when `signal` aborts it. */
  run(row: MaterializedRow, signal: AbortSignal): Promise<RolloutOutcomeResult>;
  /** Writes an outcome; an {@link OutputWriteError} stops the run. */
  record(row: MaterializedRow, outcome: RolloutOutcomeResult): void;
}

/**
 * Sends rows to `run` with bounded concurrency until they are all done or the run stops: on cancellation, on a
 * failure that repeats for every rollout (see systemic_failures.ts), or when an output file cannot be written.
 * Stopping aborts the rollouts in flight, which are then not written: a later `+resume_from_cache=true` collects
 * them. Resolves only once nothing is in flight any more, so callers can stop the servers safely.
 */
export async function dispatchRollouts(options: DispatchOptions): Promise<{ stop: CollectionStop | null }> {
  const stopping = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stopping.signal]) : stopping.signal;
  const detector = new SystemicFailureDetector();
  let stop: CollectionStop | null = null;
  const stopWith = (reason: CollectionStop) => {
    if (stop !== null) return;
    stop = reason;
    stopping.abort();
  };
  let next = 0;

  const worker = async () => {
    while (next < options.rows.length) {
      // Rollouts answered in process can settle without real I/O, leaving the run one chain of microtasks: one
      // macrotask hop per rollout lets signals (Ctrl-C), timers and progress in.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal.aborted || next >= options.rows.length) return;
      const row = options.rows[next++]!;
      let outcome: RolloutOutcomeResult;
      try {
        outcome = await options.run(row, signal);
      } catch (error) {
        if (error instanceof RolloutCancelled && signal.aborted) return;
        // A defect on our side must cost one rollout, not the run.
        outcome = { ok: false, failureClass: 'unknown', message: `Collector error: ${error instanceof Error ? error.message : String(error)}`, retryNow: false, resumable: true, attempts: 1, attemptIndex: 0 };
      }
      if (signal.aborted) return;
      try {
        options.record(row, outcome);
      } catch (error) {
        if (!(error instanceof OutputWriteError)) throw error;
        stopWith({ kind: 'write_error', path: error.path, message: error.message });
        return;
      }
      const systemic = detector.record(outcome);
      if (systemic) stopWith({ kind: 'systemic_failure', failure: systemic });
    }
  };

  const parallel = Math.max(1, Math.min(options.parallel, options.rows.length));
  await Promise.all(Array.from({ length: parallel }, worker));
  if (stop === null && options.signal?.aborted) stop = { kind: 'cancelled' };
  return { stop };
}
