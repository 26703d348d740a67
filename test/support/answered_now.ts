import type { MaybePromise } from '../../src/core/maybe_promise';

/**
 * The answer of a call that must come at once: every call without an expensive regular expression stays on the
 * synchronous fast path (no promise). Fails the test otherwise.
 */
export function answeredNow<T>(value: MaybePromise<T>): T {
  if (value instanceof Promise) throw new Error('expected an immediate answer, got a promise (a regular expression went to a worker thread)');
  return value;
}
