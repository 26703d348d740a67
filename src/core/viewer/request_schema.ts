import { z } from 'zod';
import { MAX_ROWS_PER_REQUEST, MAX_SEARCH_LIMIT, type ViewerRequest } from '../../../webview/protocol';

/**
 * Validation of requests arriving from a webview or a browser: the HTTP API is reachable by any local process
 * that has the token, so requests are checked before use, not trusted for their TypeScript type.
 */

const FileRole = z.enum(['primary', 'compare']);
const Entry = z.number().int().min(0);

const RolloutFilter = z
  .object({
    reward: z.enum(['all', 'pass', 'fail', 'partial', 'unscored']).optional(),
    categories: z.array(z.string().max(500)).max(1000).optional(),
    taskId: z.string().max(500).optional(),
    turnsMin: z.number().int().min(0).nullable().optional(),
    turnsMax: z.number().int().min(0).nullable().optional(),
    errors: z.enum(['any', 'errors', 'clean']).optional(),
  })
  .strict();

const SortSpec = z
  .object({
    key: z.enum(['line', 'reward', 'task', 'turns', 'toolCalls', 'tokens', 'category']),
    descending: z.boolean(),
  })
  .strict();

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
]);

export const RequestEnvelopeSchema = z
  .object({ kind: z.literal('request'), id: z.number().int().min(0), request: ViewerRequestSchema })
  .strict();

// The schema and the protocol's TypeScript union must describe the same requests.
type Parsed = z.infer<typeof ViewerRequestSchema>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesProtocol: Same<Parsed['type'], ViewerRequest['type']> = true;
void schemaMatchesProtocol;

export function parseViewerRequest(value: unknown): { ok: true; request: ViewerRequest } | { ok: false; error: string } {
  const parsed = ViewerRequestSchema.safeParse(value);
  if (parsed.success) return { ok: true, request: parsed.data as ViewerRequest };
  const issue = parsed.error.issues[0];
  return { ok: false, error: issue ? `invalid request: ${issue.path.join('.') || '(root)'} ${issue.message}` : 'invalid request' };
}
