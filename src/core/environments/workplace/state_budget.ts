import { PyException, type PyValue } from '../../python/value';

/** What one session may add to its tables (`max_session_state_mb`); real tasks add a few kilobytes. */
export const DEFAULT_MAX_SESSION_STATE_BYTES = 16 * 1024 * 1024;

/**
 * The bytes a session's writes have added to its tables, against a limit: a policy that sends huge values (or the
 * same large email hundreds of times) bloats its own session only up to here; past it, the write is refused
 * before anything changes and the tool answers an error (a documented deviation: NeMo Gym keeps growing).
 */
export class StateBudget {
  private used = 0;

  constructor(readonly limitBytes: number = DEFAULT_MAX_SESSION_STATE_BYTES) {}

  /** Accounts for `bytes` more, or throws without accounting when that would pass the limit. */
  charge(bytes: number): void {
    if (this.used + bytes > this.limitBytes) {
      throw new PyException(
        'MemoryError',
        `this session's data would grow past its limit of ${formatMiB(this.limitBytes)} (max_session_state_mb); the change was not made`,
      );
    }
    this.used += bytes;
  }
}

/** Roughly what a cell costs to hold: string length, a few bytes for scalars, a bounded walk for containers. */
export function approximateCellBytes(value: PyValue): number {
  if (typeof value === 'string') return value.length;
  if (value === null || typeof value !== 'object') return 8;
  let total = 16;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'string') total += current.length;
    else if (current instanceof Map) for (const [key, item] of current) stack.push(key, item);
    else if (Array.isArray(current)) stack.push(...current);
    else total += 8;
  }
  return total;
}

function formatMiB(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
}
