import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * How many HTTP attempts one model call made upstream: the `openai` SDK retries inside a single `create()` (429,
 * 5xx, dropped connections, timeouts), out of the caller's sight. The fetch the SDK uses counts each attempt
 * against the call running in the current async context.
 */
export interface UpstreamAttempts {
  attempts: number;
}

const current = new AsyncLocalStorage<UpstreamAttempts>();

/** Runs `call`, counting the upstream attempts made on its behalf into `counter`. */
export function countingUpstreamAttempts<T>(counter: UpstreamAttempts, call: () => Promise<T>): Promise<T> {
  return current.run(counter, call);
}

/** A fetch that counts every request it sends against the model call in whose context it runs. */
export function attemptCountingFetch(fetchImpl: typeof fetch): typeof fetch {
  return (input, init) => {
    const counter = current.getStore();
    if (counter) counter.attempts += 1;
    return fetchImpl(input, init);
  };
}

/** Response header with which the model server tells its caller how many upstream attempts a call took. */
export const UPSTREAM_ATTEMPTS_HEADER = 'x-gym-upstream-attempts';
