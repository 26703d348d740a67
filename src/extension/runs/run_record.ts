/**
 * One collection as the Runs view lists it. Records are persisted (extension global state), so runs from earlier
 * editor sessions stay listed; their per-task details are read back from the output files.
 */
import { z } from 'zod';
import type { CollectionProgress } from '../../core/collect/api';

/**
 * `completed`: every rollout is accounted for (some may be failures); `stopped`: the collection stopped itself (a
 * failure that repeats for every rollout, an unwritable output) and the rest can be resumed; `failed`: it could not
 * run at all; `interrupted`: the host or the editor went away mid-run.
 */
export const RunStatus = z.enum(['running', 'completed', 'stopped', 'cancelled', 'failed', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;

/** The latest totals, kept with the record (a CollectionProgress without its per-event parts). */
export const RunTotals = z.object({
  total: z.number(),
  done: z.number(),
  failed: z.number(),
  resumed: z.number(),
  meanReward: z.number().nullable(),
  /** Failures counting as 0 (older records lack it). */
  meanRewardOverAttempted: z.number().nullable().default(null),
  /** Attempts beyond the first (older records lack it). */
  retries: z.number().default(0),
  /** Wall time of the run, earlier attempts (before a resume) included. */
  elapsedSeconds: z.number(),
  etaSeconds: z.number().nullable(),
  byCategory: z.array(z.object({ category: z.string(), done: z.number(), failed: z.number(), total: z.number(), meanReward: z.number().nullable() })),
});
export type RunTotals = z.infer<typeof RunTotals>;

export const RunRecord = z.object({
  id: z.string(),
  inputPath: z.string(),
  outputPath: z.string(),
  agentName: z.string(),
  modelName: z.string().nullable(),
  /** Null: the extension's own host servers. */
  externalHeadServerUrl: z.string().nullable(),
  /** The collection options (JSON), re-sent with `resumeFromCache` to resume. */
  options: z.record(z.string(), z.unknown()),
  status: RunStatus,
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  /** Time spent before the latest resume, so the timer and the ETA go on from where they were. */
  earlierElapsedSeconds: z.number().default(0),
  /** Retries counted before the latest resume. */
  earlierRetries: z.number().default(0),
  totals: RunTotals.nullable(),
  error: z.string().nullable(),
});
export type RunRecord = z.infer<typeof RunRecord>;

/** The totals of a progress event, with the time and retries of the run's earlier attempts added. */
export function totalsFromProgress(progress: CollectionProgress, earlier: { elapsedSeconds: number; retries: number } = { elapsedSeconds: 0, retries: 0 }): RunTotals {
  return {
    total: progress.total,
    done: progress.done,
    failed: progress.failed,
    resumed: progress.resumed,
    meanReward: progress.meanReward,
    meanRewardOverAttempted: progress.meanRewardOverAttempted,
    retries: earlier.retries + progress.retries,
    elapsedSeconds: earlier.elapsedSeconds + progress.elapsedSeconds,
    etaSeconds: progress.etaSeconds,
    byCategory: progress.byCategory.map((category) => ({ ...category })),
  };
}

/** Runs that can continue where they stopped. */
export function isResumable(record: RunRecord): boolean {
  return record.status === 'interrupted' || record.status === 'cancelled' || record.status === 'failed' || record.status === 'stopped' || (record.status === 'completed' && (record.totals?.failed ?? 0) > 0);
}

/** How a finished run ended, for icons and messages: clean, with failures, or not through at all. */
export type RunOutcome = 'running' | 'clean' | 'with-failures' | 'incomplete' | 'failed';

export function runOutcome(record: RunRecord): RunOutcome {
  switch (record.status) {
    case 'running':
      return 'running';
    case 'completed':
      return (record.totals?.failed ?? 0) > 0 ? 'with-failures' : 'clean';
    case 'failed':
      return 'failed';
    default:
      return 'incomplete';
  }
}

/** The agent is the oracle (it replays ground truth): no model is involved. */
export function isOracleAgent(agentName: string): boolean {
  return /oracle/i.test(agentName);
}
