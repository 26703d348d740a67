/**
 * One collection as the Runs view lists it. Records are persisted (extension global state), so runs from earlier
 * editor sessions stay listed; their per-task details are read back from the output files.
 */
import { z } from 'zod';
import type { CollectionProgress } from '../../core/collect/api';

export const RunStatus = z.enum(['running', 'completed', 'cancelled', 'failed', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;

/** The latest totals, kept with the record (a CollectionProgress without its per-event parts). */
export const RunTotals = z.object({
  total: z.number(),
  done: z.number(),
  failed: z.number(),
  resumed: z.number(),
  meanReward: z.number().nullable(),
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
  totals: RunTotals.nullable(),
  error: z.string().nullable(),
});
export type RunRecord = z.infer<typeof RunRecord>;

export function totalsFromProgress(progress: CollectionProgress): RunTotals {
  return {
    total: progress.total,
    done: progress.done,
    failed: progress.failed,
    resumed: progress.resumed,
    meanReward: progress.meanReward,
    elapsedSeconds: progress.elapsedSeconds,
    etaSeconds: progress.etaSeconds,
    byCategory: progress.byCategory.map((category) => ({ ...category })),
  };
}

/** Runs that can continue where they stopped. */
export function isResumable(record: RunRecord): boolean {
  return record.status === 'interrupted' || record.status === 'cancelled' || record.status === 'failed' || (record.status === 'completed' && (record.totals?.failed ?? 0) > 0);
}
