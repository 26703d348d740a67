/**
 * Values that are usually there at once and only sometimes later (a tool call whose regular expression runs in a
 * worker thread). Code written with these helpers stays synchronous — no promise, no microtask — whenever every
 * step was.
 */
export type MaybePromise<T> = T | Promise<T>;

/** `next(value)` now if the value is there, else once it is. */
export function andThen<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** A left fold whose steps may be asynchronous; the steps run one after another, in order. */
export function foldInOrder<T, A>(items: readonly T[], initial: A, step: (accumulator: A, item: T, index: number) => MaybePromise<A>): MaybePromise<A> {
  const from = (start: number, accumulator: A): MaybePromise<A> => {
    let current = accumulator;
    for (let index = start; index < items.length; index++) {
      const next = step(current, items[index] as T, index);
      if (next instanceof Promise) return next.then((value) => from(index + 1, value));
      current = next;
    }
    return current;
  };
  return from(0, initial);
}
