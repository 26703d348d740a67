import { isJsonObject } from './json_object';

/**
 * A rollout's identity in its trajectory, as NeMo Gym derives it from the `/run` row
 * (nemo_gym/rollout_correlation.py `maybe_rollout_id_from_run_body`, rollout_collection.py `_trajectory_identity`).
 */

/** NeMo Gym's pattern for an explicit `_ng_rollout_id` (a path segment and a file name in its capture store). */
const ROLLOUT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export class InvalidRolloutIdError extends Error {
  constructor(value: unknown) {
    super(`_ng_rollout_id must be a string of letters, digits, dots, dashes or underscores starting with a letter or digit; got ${JSON.stringify(value)}`);
    this.name = 'ValueError';
  }
}

/**
 * `_ng_rollout_id` when the row has one, else `<task index>-<rollout index>`; a retry (`_ng_attempt_index` > 0)
 * appends `-a<n>`. Null without indices. Throws {@link InvalidRolloutIdError} for a malformed explicit id.
 */
export function rolloutIdOf(row: Record<string, unknown>): string | null {
  const explicit = row._ng_rollout_id;
  let id: string;
  if (explicit !== undefined && explicit !== null) {
    if (typeof explicit !== 'string' || !ROLLOUT_ID_PATTERN.test(explicit)) throw new InvalidRolloutIdError(explicit);
    id = explicit;
  } else {
    const task = row._ng_task_index;
    const rollout = row._ng_rollout_index;
    if (task === undefined || task === null || rollout === undefined || rollout === null) return null;
    id = `${pyStr(task)}-${pyStr(rollout)}`;
  }
  const attempt = Number(row._ng_attempt_index ?? 0);
  return Number.isFinite(attempt) && Math.trunc(attempt) > 0 ? `${id}-a${Math.trunc(attempt)}` : id;
}

/** The task id: the row's `task_id`, `problem_id` or `instance_id`, else its task index; null without any. */
export function taskIdOf(row: Record<string, unknown>): string | null {
  for (const key of ['task_id', 'problem_id', 'instance_id', '_ng_task_index']) {
    const value = row[key];
    if (value !== undefined && value !== null) return pyStr(value);
  }
  return null;
}

/** Python `str()` of a JSON value, for the values ids are made of. */
function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  return isJsonObject(value) || Array.isArray(value) ? JSON.stringify(value) : String(value);
}
