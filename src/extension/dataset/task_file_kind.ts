/**
 * Whether a JSONL file holds task rows (input for a collection) rather than rollouts, judged from its first
 * non-blank line: a task row has `responses_create_params` and no `response`/`reward` of its own. Editor-free.
 */

export type JsonlKind = 'tasks' | 'rollouts' | 'other';

export function jsonlKindOfLine(line: string): JsonlKind {
  const text = line.trim();
  if (!text.startsWith('{')) return 'other';
  let row: unknown;
  try {
    row = JSON.parse(text);
  } catch {
    // A broken first line: fall back to the keys it mentions (Validate Dataset will say what is wrong).
    if (/"response"\s*:/.test(text) && /"reward"\s*:/.test(text)) return 'rollouts';
    return text.includes('"responses_create_params"') ? 'tasks' : 'other';
  }
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return 'other';
  const keys = row as Record<string, unknown>;
  if ('response' in keys && 'reward' in keys) return 'rollouts';
  return 'responses_create_params' in keys ? 'tasks' : 'other';
}

/** The kind of a file from its lines (stops at the first non-blank one). */
export function jsonlKindOf(lines: Iterable<string>): JsonlKind {
  for (const line of lines) if (line.trim() !== '') return jsonlKindOfLine(line);
  return 'other';
}
