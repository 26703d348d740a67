import { z } from 'zod';

/**
 * Why a verification gave its reward: the verifier replays the predicted and the ground-truth calls on fresh
 * state and compares five tables (WORKPLACE_TOOLS.md §7). This records, for every table that differs, how.
 * Sent as the extra `reward_explanation` field of the `/verify` response, so it lands in each rollout line.
 */
export const CellValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type CellValue = z.infer<typeof CellValue>;

export const ExplainedRow = z.object({
  /** pandas row label (verification compares labels too). */
  label: z.number(),
  /** The row's id column value (email_id, event_id, task_id, customer_id; file_path for plots). */
  key: CellValue,
  /** The row as stored (before the verifier's lower-casing). */
  values: z.record(z.string(), CellValue),
});
export type ExplainedRow = z.infer<typeof ExplainedRow>;

export const ChangedCell = z.object({
  column: z.string(),
  expected: CellValue,
  predicted: CellValue,
});
export type ChangedCell = z.infer<typeof ChangedCell>;

export const ChangedRow = z.object({
  key: CellValue,
  expectedLabel: z.number(),
  predictedLabel: z.number(),
  cells: z.array(ChangedCell),
});
export type ChangedRow = z.infer<typeof ChangedRow>;

export const TableName = z.enum(['email', 'calendar', 'analytics_plots', 'project_management', 'customer_relationship_manager']);
export type TableName = z.infer<typeof TableName>;

export const TableDifference = z.object({
  table: TableName,
  /** Rows the predicted calls produced that the ground truth did not. */
  added: z.array(ExplainedRow),
  /** Rows the ground truth has that the predicted end state lacks. */
  removed: z.array(ExplainedRow),
  /** Rows present in both (matched by key) whose compared cells differ. */
  changed: z.array(ChangedRow),
  /**
   * Set when the rows hold the same values but the table still differs: the row labels or the row order
   * differ (pandas `DataFrame.equals` compares both), e.g. operations run in another order.
   */
  orderOrLabelsDiffer: z.boolean(),
  /** One sentence a person can read. */
  summary: z.string(),
});
export type TableDifference = z.infer<typeof TableDifference>;

export const RewardExplanation = z.object({
  reward: z.number(),
  /** Tables that differ between the two replayed end states; empty when the reward is 1. */
  tables: z.array(TableDifference),
  /** Predicted calls the replay skipped (invalid JSON, unknown tool, bad keyword, exception), with the reason. */
  skippedPredictedCalls: z.array(z.object({ index: z.number(), name: z.string(), reason: z.string() })),
  /** The same for ground-truth calls (a broken ground truth is worth knowing about). */
  skippedGroundTruthCalls: z.array(z.object({ index: z.number(), name: z.string(), reason: z.string() })),
  /** One paragraph a person can read. */
  summary: z.string(),
});
export type RewardExplanation = z.infer<typeof RewardExplanation>;
