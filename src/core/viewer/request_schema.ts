import { z } from 'zod';
import { MAX_ROWS_PER_REQUEST, MAX_SEARCH_LIMIT } from './request_limits';

/**
 * The requests a viewer UI sends to its host, as zod schemas; their TypeScript types are derived from them. The
 * HTTP API is reachable by any local process that has the token, so requests are checked before use, not trusted
 * for their type.
 */


export const FileRole = z.enum(['primary', 'compare']);
export type FileRole = z.infer<typeof FileRole>;
const Entry = z.number().int().min(0);

export const RewardFilter = z.enum(['all', 'pass', 'fail', 'partial', 'unscored']);
export type RewardFilter = z.infer<typeof RewardFilter>;
export const ErrorFilter = z.enum(['any', 'errors', 'clean']);
export type ErrorFilter = z.infer<typeof ErrorFilter>;

export const RolloutFilter = z
  .object({
    reward: RewardFilter.optional(),
    /** Empty or absent: every category. `(none)` selects rollouts without one. */
    categories: z.array(z.string().max(500)).max(1000).optional(),
    /** Matches the task id or the task index exactly. */
    taskId: z.string().max(500).optional(),
    turnsMin: z.number().int().min(0).nullable().optional(),
    turnsMax: z.number().int().min(0).nullable().optional(),
    errors: ErrorFilter.optional(),
  })
  .strict();
export type RolloutFilter = z.infer<typeof RolloutFilter>;

export const SortKey = z.enum(['line', 'reward', 'task', 'turns', 'toolCalls', 'tokens', 'category']);
export type SortKey = z.infer<typeof SortKey>;

export const SortSpec = z.object({ key: SortKey, descending: z.boolean() }).strict();
export type SortSpec = z.infer<typeof SortSpec>;

const SearchId = z.string().min(1).max(100);

export const ViewerRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }).strict(),
  z.object({ type: z.literal('summary'), role: FileRole }).strict(),
  z.object({ type: z.literal('query'), filter: RolloutFilter, sort: SortSpec, within: z.array(Entry).nullable().optional() }).strict(),
  z.object({ type: z.literal('rows'), role: FileRole, entries: z.array(Entry).max(MAX_ROWS_PER_REQUEST) }).strict(),
  z.object({ type: z.literal('rollout'), role: FileRole, entry: Entry }).strict(),
  z.object({ type: z.literal('compare') }).strict(),
  z
    .object({
      type: z.literal('search'),
      searchId: SearchId,
      text: z.string().max(1000),
      filter: RolloutFilter,
      limit: z.number().int().min(1).max(MAX_SEARCH_LIMIT),
    })
    .strict(),
  z.object({ type: z.literal('cancelSearch'), searchId: SearchId }).strict(),
  z.object({ type: z.literal('failures') }).strict(),
  /** All of a conversation item's text (a tool output sent as a preview). */
  z.object({ type: z.literal('itemText'), role: FileRole, entry: Entry, item: z.number().int().min(0) }).strict(),
  z.object({ type: z.literal('taskInput'), taskIndex: z.number().int().min(0) }).strict(),
  /** The line as written in the file (browser: shown as text). */
  z.object({ type: z.literal('rawLine'), role: FileRole, entry: Entry }).strict(),
  /** Open the file at the line in the editor (VS Code); a host that cannot answers false. */
  z.object({ type: z.literal('revealLine'), role: FileRole, entry: Entry }).strict(),
  /** A rollout by task and repeat (deep links). */
  z.object({ type: z.literal('locate'), role: FileRole, taskIndex: z.number().int().min(0), rolloutIndex: z.number().int().min(0).nullable() }).strict(),
  /** A link in a message: the editor host asks the user, then opens it; other hosts answer false. */
  z.object({ type: z.literal('openLink'), url: z.string().max(4000) }).strict(),
]);

export type ViewerRequest = z.infer<typeof ViewerRequestSchema>;

export const RequestEnvelopeSchema = z
  .object({ kind: z.literal('request'), id: z.number().int().min(0), request: ViewerRequestSchema })
  .strict();

export function parseViewerRequest(value: unknown): { ok: true; request: ViewerRequest } | { ok: false; error: string } {
  const parsed = ViewerRequestSchema.safeParse(value);
  if (parsed.success) return { ok: true, request: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, error: issue ? `invalid request: ${issue.path.join('.') || '(root)'} ${issue.message}` : 'invalid request' };
}
